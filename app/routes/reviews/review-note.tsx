import { getFormProps, useForm } from "@conform-to/react";
import { Link } from "@remix-run/react";
import type { SerializeFrom } from "@remix-run/node";
import type { ReactNode } from "react";
import { DataTable } from "~/components/data-table";
import { Form, FormError, SubmitButton, TextAreaField, TextField } from "~/components/form";
import { NoteHistory } from "~/components/note-history";
import { When } from "~/components/time";
import { Badge } from "~/components/ui";
import { resultFor, type FormAnswer } from "~/lib/form-answer";
import { ROLE_LABELS } from "~/lib/roles";
import { NOTE_KIND_LABELS } from "~/modules/notes/labels";
import type { loader } from "./route";

type Data = SerializeFrom<typeof loader>;
type Fields = { noteId: string; comment: string; comments: string };

function waited(hours: number) {
  if (hours < 1) return "under an hour";
  if (hours < 48) return `${hours} hour${hours === 1 ? "" : "s"}`;
  return `${Math.floor(hours / 24)} days`;
}

function Waiting({ hours }: { hours: number }) {
  return <Badge tone={hours >= 72 ? "bad" : hours >= 24 ? "warn" : "neutral"}>waiting {waited(hours)}</Badge>;
}

/** One of the two decisions on a note: its answer is shown only when it names this form and this note. */
function Decision({
  intent,
  noteId,
  answer,
  title,
  children,
}: {
  intent: "sign-off" | "return";
  noteId: string;
  answer: FormAnswer | undefined;
  title: string;
  children: (fields: ReturnType<typeof useForm<Fields>>[1]) => ReactNode;
}) {
  const [form, fields] = useForm<Fields>({
    id: `${intent}-${noteId}`,
    lastResult: resultFor(answer, intent, noteId),
    shouldValidate: "onBlur",
  });
  return (
    <section className="card" aria-labelledby={`${intent}-title`}>
      <h3 id={`${intent}-title`}>{title}</h3>
      <Form method="post" {...getFormProps(form)}>
        <FormError form={form} />
        <input type="hidden" name="intent" value={intent} />
        <input type="hidden" name="noteId" value={noteId} />
        {children(fields)}
      </Form>
    </section>
  );
}

/** The note at the head of the queue, in full, with "Sign off" and "Return with comments" side by side. */
export function ReviewNote({
  note: n,
  answer,
}: {
  note: NonNullable<Data["current"]>;
  answer: FormAnswer | undefined;
}) {
  return (
    <section aria-labelledby="current-title">
      <h2 id="current-title">Next in queue</h2>
      <article className="card note" aria-labelledby={`note-${n.id}`}>
        <header>
          <h3 id={`note-${n.id}`}>
            <Badge tone="neutral">{NOTE_KIND_LABELS[n.kind]}</Badge> for{" "}
            <Link to={`/patients/${n.patient_id}/notes#note-${n.id}`}>
              {n.last_name}, {n.first_name}
            </Link>{" "}
            <span className="muted">({n.record_number})</span>
          </h3>
          <p className="muted">
            {n.author_name} · {ROLE_LABELS[n.author_role]} · {n.author_organisation} · posted <When at={n.created_at} />{" "}
            · <Waiting hours={n.waitedHours} />
          </p>
        </header>
        <div className="note-text" data-testid="review-body">
          {n.body}
        </div>
        <NoteHistory addenda={n.addenda} returns={n.returns} />
      </article>
      <div className="grid review-decisions">
        <Decision intent="sign-off" noteId={n.id} answer={answer} title="Sign off">
          {(fields) => (
            <>
              <TextField label="Comment (optional)" field={fields.comment} />
              <SubmitButton pendingText="Signing off…">Sign off</SubmitButton>
            </>
          )}
        </Decision>
        <Decision intent="return" noteId={n.id} answer={answer} title="Return with comments">
          {(fields) => (
            <>
              <TextAreaField
                label="Comments for the author"
                field={fields.comments}
                rows={3}
                maxLength={4000}
                hint="The author answers with an addendum; the note then comes back to the queue."
              />
              <SubmitButton className="button button-secondary" pendingText="Returning…">
                Return with comments
              </SubmitButton>
            </>
          )}
        </Decision>
      </div>
    </section>
  );
}

/** Every note waiting, each with a preview: kind, patient, author, when posted and its first lines. */
export function QueueList({ queue, currentId }: { queue: Data["queue"]; currentId: string }) {
  return (
    <DataTable
      caption={`Waiting for your review (${queue.length})`}
      rows={queue}
      rowKey={(q) => q.id}
      empty={null}
      columns={[
        { header: "Waiting", cell: (q) => <Waiting hours={q.waitedHours} /> },
        {
          header: "Note",
          cell: (q) => (
            <>
              <strong>{NOTE_KIND_LABELS[q.kind]}</strong> for{" "}
              <Link to={`/patients/${q.patient_id}/notes#note-${q.id}`}>
                {q.last_name}, {q.first_name}
              </Link>
              {q.returned_before ? (
                <>
                  {" "}
                  <Badge tone="neutral">answered</Badge>
                </>
              ) : null}
              <br />
              <span className="muted">
                {q.author_name} · <When at={q.created_at} />
              </span>
            </>
          ),
        },
        {
          header: "First lines",
          cell: (q) => (
            <span className="note-preview">
              {q.preview}
              {q.truncated ? "…" : ""}
            </span>
          ),
        },
        {
          header: "Review",
          cell: (q) =>
            q.id === currentId ? (
              <span className="muted">Shown above</span>
            ) : (
              <Link to={`/reviews?note=${q.id}`}>
                Review<span className="visually-hidden"> this note</span>
              </Link>
            ),
        },
      ]}
    />
  );
}
