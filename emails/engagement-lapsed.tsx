import { Text } from "@react-email/components";
import { Notice } from "./layout";

export interface EngagementLapsedEmailProps {
  url: string;
}

export const engagementLapsedSubject = () => "A patient with booked infusions has no counting engagement confirmation";

/** No patient data: the notice and a link; who and when are behind the sign-in. */
export default function EngagementLapsedEmail({ url }: EngagementLapsedEmailProps) {
  return (
    <Notice
      preview="Engagement lapsed for a patient with infusion visits booked"
      heading="Engagement lapsed with visits booked"
      action={{ label: "Open in the portal", href: url }}
    >
      <Text>
        One of the patients whose infusion visits you coordinate or supervise no longer has a counting engagement
        confirmation from an outside licensed provider. Until one counts again, their visits cannot be moved or marked
        held without a recorded override. Sign in to see who and what to do next.
      </Text>
    </Notice>
  );
}
