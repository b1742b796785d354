import { Text } from "@react-email/components";
import { Notice } from "./layout";

export interface MeasureReminderEmailProps {
  measuresUrl: string;
}

export const measureReminderSubject = () => "A symptom measure is due for one of your Ember patients";

export default function MeasureReminderEmail({ measuresUrl }: MeasureReminderEmailProps) {
  return (
    <Notice
      preview="PHQ-9 and PCL-5 are due"
      heading="Symptom measures are due"
      action={{ label: "Record them in the portal", href: measuresUrl }}
    >
      <Text>
        A PHQ-9 and PCL-5 are due for one of your Ember patients, so the clinic and you can follow the response to the
        infusions on one shared chart. Sign in to record them.
      </Text>
    </Notice>
  );
}
