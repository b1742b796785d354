import { Text } from "@react-email/components";
import { Notice } from "./layout";

export interface SafetyEscalationEmailProps {
  alertUrl: string;
  minutes: number;
}

export const safetyEscalationSubject = () => "Escalated: a safety signal for an Ember patient is still unacknowledged";

export default function SafetyEscalationEmail({ alertUrl, minutes }: SafetyEscalationEmailProps) {
  return (
    <Notice
      preview="No Ember clinician has acknowledged a safety signal yet"
      heading="Escalated: safety signal not yet acknowledged"
      action={{ label: "Open it in the portal", href: alertUrl }}
    >
      <Text>
        A safety signal raised for an Ember patient has not been acknowledged by an Ember clinician within {minutes}{" "}
        minutes. Sign in now: an Ember clinician must review it and record the action taken. In an emergency, call 911
        or 988.
      </Text>
    </Notice>
  );
}
