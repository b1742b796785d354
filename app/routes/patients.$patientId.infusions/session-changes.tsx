import { getFormProps, useForm } from "@conform-to/react";
import type { z } from "zod";
import { Form, FormError, SubmitButton, TextField } from "~/components/form";
import { refusalFor, resultFor } from "~/lib/form-answer";
import { formatDateTime, toLocalInput } from "~/lib/time";
import type { sessionMoveSchema } from "~/modules/infusions/forms.server";
import type { InfusionAnswer } from "./actions.server";
import { OutsideWindowQuestion } from "./outside-window";
import type { InfusionsData } from "./types";

type Session = InfusionsData["sessions"][number];

/** A planned session ahead: move it to a new time, or cancel it (undone from the notice that follows). */
export function SessionChanges({ session: s, answer }: { session: Session; answer: InfusionAnswer }) {
  const moveResult = resultFor(answer, "move-session", s.id);
  const cancelRefusal = refusalFor(answer, "cancel-session", s.id);
  const [move, fields] = useForm<z.input<typeof sessionMoveSchema>>({
    id: `move-session-${s.id}`,
    lastResult: moveResult,
    defaultValue: { startsAt: toLocalInput(s.starts_at) },
    shouldValidate: "onSubmit",
  });
  const when = formatDateTime(s.starts_at);
  return (
    <details open={Boolean(moveResult || cancelRefusal)}>
      <summary>
        Move or cancel<span className="visually-hidden"> the session on {when}</span>
      </summary>
      <Form method="post" {...getFormProps(move)} aria-label={`Move the session on ${when}`}>
        <FormError form={move} />
        <input type="hidden" name="intent" value="move-session" />
        <input type="hidden" name="sessionId" value={s.id} />
        <TextField label="New date and time (New York time)" field={fields.startsAt} type="datetime-local" />
        <OutsideWindowQuestion field={fields.outsideWindow} />
        <SubmitButton>Move session</SubmitButton>
      </Form>
      <Form method="post" aria-label={`Cancel the session on ${when}`}>
        <FormError message={cancelRefusal} />
        <input type="hidden" name="intent" value="cancel-session" />
        <input type="hidden" name="sessionId" value={s.id} />
        <SubmitButton className="button button-danger">Cancel session</SubmitButton>
      </Form>
    </details>
  );
}

/** "Undo": a cancelled session comes back while its time is still ahead (offered in the notice and on its row). */
export function RestoreSession({
  session: s,
  answer,
  inNotice = false,
}: {
  session: Pick<Session, "id" | "starts_at">;
  answer: InfusionAnswer;
  inNotice?: boolean;
}) {
  const when = formatDateTime(s.starts_at);
  return (
    <Form
      method="post"
      className="inline-form"
      aria-label={inNotice ? `Undo cancelling the session on ${when}` : `Restore the cancelled session on ${when}`}
    >
      <FormError message={refusalFor(answer, "restore-session", s.id)} />
      <input type="hidden" name="intent" value="restore-session" />
      <input type="hidden" name="sessionId" value={s.id} />
      <button type="submit" className="button-link">
        {inNotice ? "Undo" : "restore"}
      </button>
    </Form>
  );
}
