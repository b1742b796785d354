import { Text } from "@react-email/components";
import { Notice } from "./layout";

export interface ReferralOfferEmailProps {
  offersUrl: string;
  expiresIn: string;
}

export const referralOfferSubject = () => "Ember Health is offering you a trauma-focused therapy referral";

export default function ReferralOfferEmail({ offersUrl, expiresIn }: ReferralOfferEmailProps) {
  return (
    <Notice
      preview="A referral is waiting for your answer"
      heading="A referral is waiting for your answer"
      action={{ label: "See the referral", href: offersUrl }}
    >
      <Text>
        Ember Health&apos;s care coordination team would like to refer a patient to you for trauma-focused therapy
        alongside ketamine treatment. Sign in to see a summary of the patient&apos;s needs and accept or decline. The
        offer is open for {expiresIn}.
      </Text>
    </Notice>
  );
}
