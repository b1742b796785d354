import { Text } from "@react-email/components";
import { Notice } from "./layout";

export interface OfferAcceptedEmailProps {
  referralUrl: string;
}

export const offerAcceptedSubject = () => "A provider accepted your referral: record the release of information";

export default function OfferAcceptedEmail({ referralUrl }: OfferAcceptedEmailProps) {
  return (
    <Notice
      preview="Record the release of information naming the provider"
      heading="A referral offer was accepted"
      action={{ label: "Open the referral", href: referralUrl }}
    >
      <Text>
        A provider accepted a referral you made and joined the patient&apos;s care team. They see the patient only once
        the patient&apos;s release of information naming them is recorded: sign in to record it.
      </Text>
    </Notice>
  );
}
