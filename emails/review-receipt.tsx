import { Text } from "@react-email/components";
import { Notice } from "./layout";

export interface ReviewReceiptEmailProps {
  outcome: "signed-off" | "returned";
  noteUrl: string;
}

export const reviewReceiptSubject = ({ outcome }: ReviewReceiptEmailProps) =>
  outcome === "signed-off" ? "Your care note was signed off" : "Your care note was returned with comments";

export default function ReviewReceiptEmail({ outcome, noteUrl }: ReviewReceiptEmailProps) {
  const signed = outcome === "signed-off";
  return (
    <Notice
      preview={signed ? "A psychiatrist signed off your care note" : "A psychiatrist returned your care note"}
      heading={signed ? "Care note signed off" : "Care note returned with comments"}
      action={{ label: "Open the note in the portal", href: noteUrl }}
    >
      <Text>
        {signed
          ? "A psychiatrist reviewed a care note you sent for review and signed it off. Nothing more is needed from you."
          : "A psychiatrist reviewed a care note you sent for review and returned it to you with comments. Read them in the portal and answer with an addendum: the note then goes back to the review queue."}
      </Text>
    </Notice>
  );
}
