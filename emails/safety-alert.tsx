import { Text } from "@react-email/components";
import { Notice } from "./layout";

export interface SafetyAlertEmailProps {
  patientUrl: string;
}

export const safetyAlertSubject = () => "Urgent: a safety signal was recorded for an Ember patient";

export default function SafetyAlertEmail({ patientUrl }: SafetyAlertEmailProps) {
  return (
    <Notice
      preview="A symptom measure raised a safety signal"
      heading="Urgent: safety signal on a symptom measure"
      action={{ label: "Open it in the portal", href: patientUrl }}
    >
      <Text>
        A symptom measure recorded for an Ember patient raised a safety signal. An Ember clinician must review it and
        record the action taken. Sign in now to see it. In an emergency, call 911 or 988.
      </Text>
    </Notice>
  );
}
