import { ROLE_LABELS } from "~/lib/roles";
import { Form, FormError, SubmitButton, TextAreaField, TextField } from "~/components/form";
import { When } from "~/components/time";
import { Alert, Badge } from "~/components/ui";
import type { StateFor } from "~/lib/intent-state";
import { NOTE_KIND_LABELS, NOTE_MAX_LENGTH, type NoteKind } from "~/modules/notes/labels";
import type { NotesData } from "./types";

const KIND_TONE: Record<NoteKind, "neutral" | "good" | "warn" | "bad"> = {
  progress_update: "neutral",
  session_summary: "neutral",
  infusion_summary: "good",
  question: "warn",
  safety_concern: "bad",
};

/** One note of the thread, with its addenda, its review and acknowledgement, and what the reader may add. */
export function NoteCard({
  note: n,
  role,
  actorId,
  iAmTeamPsychiatrist,
  stateFor,
}: {
  note: NotesData["notes"][number];
  role: NotesData["role"];
  actorId: string;
  iAmTeamPsychiatrist: boolean;
  stateFor: StateFor;
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
      {n.addenda.map((d) => (
        <aside key={d.id} className="addendum" aria-label="Addendum">
          <p className="muted">
            Addendum by {d.author_name} · <When at={d.created_at} />
          </p>
          <div className="note-text">{d.body}</div>
        </aside>
      ))}
      {n.review_requested ? (
        n.signed_at ? (
          <p>
            <Badge tone="good">Signed off</Badge> by {n.signed_by} · <When at={n.signed_at} />
            {n.sign_off_comment ? <span className="note-text"> — {n.sign_off_comment}</span> : null}
          </p>
        ) : (
          <p>
            <Badge tone="warn">Awaiting psychiatrist review</Badge>
          </p>
        )
      ) : null}
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
      {iAmTeamPsychiatrist && n.review_requested && !n.signed_at && n.author_id !== actorId ? (
        <Form method="post" noValidate aria-label="Sign off this note">
          <FormError message={stateFor("sign-off", n.id)?.formError} />
          <input type="hidden" name="intent" value="sign-off" />
          <input type="hidden" name="target" value={n.id} />
          <input type="hidden" name="noteId" value={n.id} />
          <TextField label="Comment (optional)" name="comment" errors={stateFor("sign-off", n.id)?.errors.comment} />
          <SubmitButton>Sign off</SubmitButton>
        </Form>
      ) : null}
      {role === "clinician" && n.kind === "safety_concern" && !n.acknowledged_at ? (
        <Form method="post" noValidate aria-label="Acknowledge this safety concern">
          <FormError message={stateFor("acknowledge", n.id)?.formError} />
          <input type="hidden" name="intent" value="acknowledge" />
          <input type="hidden" name="target" value={n.id} />
          <input type="hidden" name="noteId" value={n.id} />
          <TextAreaField
            label="Response and action taken"
            name="response"
            rows={3}
            defaultValue={stateFor("acknowledge", n.id)?.values.response}
            errors={stateFor("acknowledge", n.id)?.errors.response}
          />
          <SubmitButton className="button button-danger">Acknowledge</SubmitButton>
        </Form>
      ) : null}
      {n.author_id === actorId ? (
        <details open={Boolean(stateFor("addendum", n.id))}>
          <summary>Add an addendum</summary>
          <Form method="post" noValidate>
            <FormError message={stateFor("addendum", n.id)?.formError} />
            <input type="hidden" name="intent" value="addendum" />
            <input type="hidden" name="target" value={n.id} />
            <input type="hidden" name="noteId" value={n.id} />
            <TextAreaField
              label="Addendum"
              name="body"
              rows={3}
              maxLength={NOTE_MAX_LENGTH}
              defaultValue={stateFor("addendum", n.id)?.values.body}
              errors={stateFor("addendum", n.id)?.errors.body}
            />
            <SubmitButton>Add addendum</SubmitButton>
          </Form>
        </details>
      ) : null}
    </article>
  );
}
