import { Text } from "@react-email/components";
import { Notice } from "./layout";

export interface NotesDigestEmailProps {
  count: number;
  portalUrl: string;
  settingsUrl: string;
}

export const notesDigestSubject = ({ count }: NotesDigestEmailProps) =>
  `${count} new care note${count === 1 ? "" : "s"} on your Ember patients`;

export default function NotesDigestEmail({ count, portalUrl, settingsUrl }: NotesDigestEmailProps) {
  return (
    <Notice
      preview="New care notes are waiting in the portal"
      heading={`${count} new care note${count === 1 ? "" : "s"}`}
      action={{ label: "Open the portal", href: portalUrl }}
    >
      <Text>
        Colleagues posted {count} new care note{count === 1 ? "" : "s"} on patients you care for. You get at most one of
        these notices every 15 minutes. You can turn them off in your settings: {settingsUrl}
      </Text>
    </Notice>
  );
}
