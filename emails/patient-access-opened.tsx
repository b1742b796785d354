import { Text } from "@react-email/components";
import { Notice } from "./layout";

export interface PatientAccessOpenedEmailProps {
  patientUrl: string;
}

export const patientAccessOpenedSubject = () => "A patient's record is open to you in the Ember portal";

export default function PatientAccessOpenedEmail({ patientUrl }: PatientAccessOpenedEmailProps) {
  return (
    <Notice
      preview="A release of information naming you was recorded"
      heading="A patient's record is open to you"
      action={{ label: "Open the patient", href: patientUrl }}
    >
      <Text>
        Ember Health recorded a patient&apos;s release of information naming you, so you can now see what it allows on
        the patient&apos;s pages. Sign in to open them.
      </Text>
    </Notice>
  );
}
