import { Text } from "@react-email/components";
import { Notice } from "./layout";

export interface EngagementReminderEmailProps {
  daysLeft: number;
  renewUrl: string;
}

export const engagementReminderSubject = ({ daysLeft }: EngagementReminderEmailProps) =>
  `An engagement confirmation expires in ${daysLeft} day${daysLeft === 1 ? "" : "s"}`;

export default function EngagementReminderEmail({ daysLeft, renewUrl }: EngagementReminderEmailProps) {
  return (
    <Notice
      preview="Renew your engagement confirmation in the Ember portal"
      heading="Please renew an engagement confirmation"
      action={{ label: "Review and renew", href: renewUrl }}
    >
      <Text>
        Your confirmation that you actively treat one of your Ember patients expires in {daysLeft} day
        {daysLeft === 1 ? "" : "s"}. Ember can only schedule infusions while a current confirmation is on file. Sign in
        to review and renew it.
      </Text>
    </Notice>
  );
}
