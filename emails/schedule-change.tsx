import { Text } from "@react-email/components";
import { Notice } from "./layout";

export interface ScheduleChangeEmailProps {
  change: "scheduled" | "rescheduled" | "cancelled";
  scheduleUrl: string;
  /** The patient's calendar code: how the portal and calendar feeds name the patient, never by name. */
  calendarCode?: string;
  /** The visit's time before the change (New York, with the zone), for a move or a cancellation. */
  from?: string;
  /** The visit's time after the change; for new visits, the first one's. */
  to?: string;
}

const WHAT = {
  scheduled: "New infusion visits were scheduled",
  rescheduled: "An infusion visit was rescheduled",
  cancelled: "An infusion visit was cancelled",
} as const;

export const scheduleChangeSubject = ({ change }: ScheduleChangeEmailProps) =>
  `${WHAT[change]} for one of your Ember patients`;

/** What changed, in one sentence: the calendar reference and the times, nothing else about the patient. */
function whatChanged({ change, calendarCode, from, to }: ScheduleChangeEmailProps): string | null {
  if (!calendarCode) return null;
  const ref = `calendar ref ${calendarCode}`;
  if (change === "rescheduled" && from && to) return `The visit for ${ref} moved from ${from} to ${to}.`;
  if (change === "cancelled" && from) return `The visit for ${ref} on ${from} was cancelled.`;
  if (change === "scheduled" && to) return `New visits for ${ref}, the first on ${to}.`;
  return null;
}

export default function ScheduleChangeEmail(props: ScheduleChangeEmailProps) {
  const changed = whatChanged(props);
  return (
    <Notice
      preview="Check your therapy sessions against the new infusion dates"
      heading={WHAT[props.change]}
      action={{ label: "See the schedule", href: props.scheduleUrl }}
    >
      {changed ? <Text>{changed}</Text> : null}
      <Text>
        The infusion schedule of one of your Ember patients changed. The therapy window after each visit moves with it:
        sign in to see the new dates and check whether your planned trauma-focused sessions still fall inside a window.
      </Text>
    </Notice>
  );
}
