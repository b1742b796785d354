import { Text } from "@react-email/components";
import { Notice } from "./layout";

export interface OfferExpiredEmailProps {
  referralUrl: string;
}

export const offerExpiredSubject = () => "A referral offer expired without an answer";

export default function OfferExpiredEmail({ referralUrl }: OfferExpiredEmailProps) {
  return (
    <Notice
      preview="Offer the referral to another provider"
      heading="A referral offer expired"
      action={{ label: "Open the referral", href: referralUrl }}
    >
      <Text>
        An offer you made to a provider was not answered in time, so the referral is open again. Sign in to offer it to
        another candidate.
      </Text>
    </Notice>
  );
}
