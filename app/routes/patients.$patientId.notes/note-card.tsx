import { resultFor } from "~/lib/form-answer";
import { getFormProps, useForm } from "@conform-to/react";
import type { ReactNode } from "react";
import { ROLE_LABELS } from "~/lib/roles";
import { Form, FormError, SubmitButton, TextAreaField, TextField } from "~/components/form";
import { NoteHistory } from "~/components/note-history";
import { When } from "~/components/time";
import { Alert, Badge } from "~/components/ui";
import { NOTE_KIND_LABELS, NOTE_MAX_LENGTH, type NoteKind } from "~/modules/notes/labels";
import type { NoteAnswer } from "./actions.server";
import type { NotesData } from "./types";

type NoteFields = { noteId: string; body: string; comment: string; response: string };
type NoteFieldSet = ReturnType<typeof useForm<NoteFields>>[1];

/** One of a note's forms: its answer is shown only when it names this form and this note. */
function NoteForm({
  intent,
  noteId,
  answer,
  label,
  children,
}: {
  intent: string;
  noteId: string;
  answer: NoteAnswer;
  label?: string;
  children: (fields: NoteFieldSet) => ReactNode;
}) {
  const [form, fields] = useForm<NoteFields>({
    id: `${intent}-${noteId}`,
    lastResult: resultFor(answer, intent, noteId),
    shouldValidate: "onBlur",
  });
  return (
    <Form method="post" {...getFormProps(form)} aria-label={label}>
      <FormError form={form} />
      <input type="hidden" name="intent" value={intent} />
      <input type="hidden" name="noteId" value={noteId} />
      {children(fields)}
    </Form>
  );
}

const KIND_TONE: Record<NoteKind, "neutral" | "good" | "warn" | "bad"> = {
  progress_update: "neutral",
  session_summary: "neutral",
  infusion_summary: "good",
  question: "warn",
  safety_concern: "bad",
};

/** Where a note sent for review stands: signed off, returned to its author, or waiting. */
function ReviewState({ note: n, mine }: { note: NotesData["notes"][number]; mine: boolean }) {
  if (n.signed_at)
    return (
      <p>
        <Badge tone="good">Signed off</Badge> by {n.signed_by} · <When at={n.signed_at} />
        {n.sign_off_comment ? <span className="note-text"> — {n.sign_off_comment}</span> : null}
      </p>
    );
  if (n.awaiting_author)
    return (
      <p>
        <Badge tone="bad">Returned</Badge>{" "}
        {mine
          ? "Returned to you with the comments above. Answer them with an addendum: the note then goes back to the review queue."
          : "Returned to its author with comments; it goes back to the review queue when they answer."}
      </p>
    );
  return (
    <p>
      <Badge tone="warn">Awaiting psychiatrist review</Badge>
    </p>
  );
}

/** One note of the thread, with its addenda, its review and acknowledgement, and what the reader may add. */
export function NoteCard({
  note: n,
  role,
  actorId,
  iAmTeamPsychiatrist,
  answer,
}: {
  note: NotesData["notes"][number];
  role: NotesData["role"];
  actorId: string;
  iAmTeamPsychiatrist: boolean;
  answer: NoteAnswer;
}) {
  return (
    <article className={`card note note-${n.kind}`} aria-labelledby={`note-${n.id}`}>
      <header>
        <h3 id={`note-${n.id}`}>
          <Badge tone={KIND_TONE[n.kind]}>{NOTE_KIND_LABELS[n.kind]}</Badge> {n.author_name}
          {n.unread ? (
            <>
              {" "}
              <Badge tone="warn">new</Badge>
            </>
          ) : null}
        </h3>
        <p className="muted">
          {ROLE_LABELS[n.author_role]} · {n.author_organisation} · <When at={n.created_at} />
        </p>
      </header>
      <div className="note-text" data-testid="note-body">
        {n.body}
      </div>
      <NoteHistory addenda={n.addenda} returns={n.returns} />
      {n.review_requested ? <ReviewState note={n} mine={n.author_id === actorId} /> : null}
      {n.kind === "safety_concern" ? (
        n.acknowledged_at ? (
          <p>
            <Badge tone="good">Acknowledged</Badge> by {n.acknowledged_by} · <When at={n.acknowledged_at} />
            {n.escalated_at ? " (after escalation)" : ""} — <span className="note-text">{n.acknowledgement}</span>
          </p>
        ) : (
          <Alert kind="error">
            Not yet acknowledged by an Ember clinician.
            {n.escalated_at ? (
              <>
                {" "}
                <Badge tone="bad">escalated</Badge> <When at={n.escalated_at} />: sent again to the Ember clinicians and
                admins.
              </>
            ) : null}
          </Alert>
        )
      ) : null}
      {iAmTeamPsychiatrist && n.review_requested && !n.signed_at && !n.awaiting_author && n.author_id !== actorId ? (
        <NoteForm intent="sign-off" noteId={n.id} answer={answer} label="Sign off this note">
          {(fields) => (
            <>
              <TextField label="Comment (optional)" field={fields.comment} />
              <SubmitButton>Sign off</SubmitButton>
            </>
          )}
        </NoteForm>
      ) : null}
      {role === "clinician" && n.kind === "safety_concern" && !n.acknowledged_at ? (
        <NoteForm intent="acknowledge" noteId={n.id} answer={answer} label="Acknowledge this safety concern">
          {(fields) => (
            <>
              <TextAreaField label="Response and action taken" field={fields.response} rows={3} />
              <SubmitButton className="button button-danger">Acknowledge</SubmitButton>
            </>
          )}
        </NoteForm>
      ) : null}
      {n.author_id === actorId ? (
        <details open={n.awaiting_author || (answer?.intent === "addendum" && answer.target === n.id)}>
          <summary>{n.awaiting_author ? "Answer the comments with an addendum" : "Add an addendum"}</summary>
          <NoteForm intent="addendum" noteId={n.id} answer={answer}>
            {(fields) => (
              <>
                <TextAreaField label="Addendum" field={fields.body} rows={3} maxLength={NOTE_MAX_LENGTH} />
                <SubmitButton>Add addendum</SubmitButton>
              </>
            )}
          </NoteForm>
        </details>
      ) : null}
    </article>
  );
}
