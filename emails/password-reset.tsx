import { Text } from "@react-email/components";
import { Notice } from "./layout";

export interface PasswordResetEmailProps {
  resetUrl: string;
  validMinutes: number;
}

export const passwordResetSubject = () => "Reset your Ember Health portal password";

export default function PasswordResetEmail({ resetUrl, validMinutes }: PasswordResetEmailProps) {
  return (
    <Notice
      preview="A link to choose a new password"
      heading="Reset your password"
      action={{ label: "Choose a new password", href: resetUrl }}
    >
      <Text>
        Someone asked to reset the password of your Ember Health portal account. The link works once and for{" "}
        {validMinutes} minutes. If it was not you, ignore this email: your password stays as it is.
      </Text>
    </Notice>
  );
}
