import { Text } from "@react-email/components";
import { Notice } from "./layout";

export interface InvitationEmailProps {
  inviterName: string;
  roleLabel: string;
  acceptUrl: string;
  expiresOn: string;
}

export const invitationSubject = () => "You are invited to the Ember Health provider portal";

export default function InvitationEmail({ inviterName, roleLabel, acceptUrl, expiresOn }: InvitationEmailProps) {
  return (
    <Notice
      preview="Set up your Ember Health portal account"
      heading="You are invited to the Ember Health provider portal"
      action={{ label: "Accept the invitation", href: acceptUrl }}
    >
      <Text>
        {inviterName} at Ember Health invited you to join the provider portal as {roleLabel}. The portal is where Ember
        and outside providers coordinate care: infusion dates, therapy planning and care notes.
      </Text>
      <Text>This link works once and expires on {expiresOn}.</Text>
    </Notice>
  );
}
