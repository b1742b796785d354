import { Text } from "@react-email/components";
import { Notice } from "./layout";

export interface SafetyConcernEmailProps {
  threadUrl: string;
}

export const safetyConcernSubject = () => "Urgent: a safety concern was posted for one of your Ember patients";

export default function SafetyConcernEmail({ threadUrl }: SafetyConcernEmailProps) {
  return (
    <Notice
      preview="Sign in to read the safety concern now"
      heading="Urgent: safety concern posted"
      action={{ label: "Read it in the portal", href: threadUrl }}
    >
      <Text>
        A member of the care team posted a safety concern about one of your Ember patients. Sign in now to read it. It
        stays on the dashboards of the care team until an Ember clinician acknowledges it with a response. In an
        emergency, call 911 or 988.
      </Text>
    </Notice>
  );
}
