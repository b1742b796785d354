import { Text } from "@react-email/components";
import { Notice } from "./layout";

export interface CareTeamAddedEmailProps {
  patientUrl: string;
}

export const careTeamAddedSubject = () => "You were added to a patient's care team at Ember Health";

export default function CareTeamAddedEmail({ patientUrl }: CareTeamAddedEmailProps) {
  return (
    <Notice
      preview="You joined a patient's care team"
      heading="You joined a patient's care team"
      action={{ label: "Open the patient", href: patientUrl }}
    >
      <Text>
        An Ember care coordinator added you to a patient&apos;s care team. The patient&apos;s pages open to you while a
        release of information naming you is on file; if it is not recorded yet, you will get another notice when it is.
      </Text>
    </Notice>
  );
}
