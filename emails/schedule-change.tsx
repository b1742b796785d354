import { Text } from "@react-email/components";
import { Notice } from "./layout";

export interface ScheduleChangeEmailProps {
  change: "scheduled" | "rescheduled" | "cancelled";
  scheduleUrl: string;
}

const WHAT = {
  scheduled: "New infusion visits were scheduled",
  rescheduled: "An infusion visit was rescheduled",
  cancelled: "An infusion visit was cancelled",
} as const;

export const scheduleChangeSubject = ({ change }: ScheduleChangeEmailProps) =>
  `${WHAT[change]} for one of your Ember patients`;

export default function ScheduleChangeEmail({ change, scheduleUrl }: ScheduleChangeEmailProps) {
  return (
    <Notice
      preview="Check your therapy sessions against the new infusion dates"
      heading={WHAT[change]}
      action={{ label: "See the schedule", href: scheduleUrl }}
    >
      <Text>
        The infusion schedule of one of your Ember patients changed. The therapy window after each visit moves with it:
        sign in to see the new dates and check whether your planned trauma-focused sessions still fall inside a window.
      </Text>
    </Notice>
  );
}
