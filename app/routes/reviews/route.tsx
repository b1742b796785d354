import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import type { z } from "zod";
import { auditContextOf, requireActor } from "~/auth/session.server";
import { recordAudit } from "~/audit/audit.server";
import { EmptyState, PageHeader } from "~/components/ui";
import { redirectWithFlash } from "~/lib/flash.server";
import type { FormAnswer } from "~/lib/form-answer";
import { answerForm } from "~/lib/forms.server";
import { dispatchIntent } from "~/lib/intents.server";
import { clinicToday, elapsedHours } from "~/lib/time";
import { returnNoteSchema, signOffSchema } from "~/modules/notes/forms.server";
import { NoteError } from "~/modules/notes/notes.server";
import { reviewQueue } from "~/modules/notes/queues.server";
import { noteForReview, returnNote, signOffNote } from "~/modules/notes/review.server";
import { QueueList, ReviewNote } from "./review-note";

export const meta: MetaFunction = () => [{ title: "Review queue · Ember Health Provider Portal" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const actor = await requireActor(request, context, ["psychiatrist"]);
  const now = context.now();
  const today = clinicToday(now);
  const queue = await reviewQueue(context.db, actor, today);
  // The note asked for, when it is still in the queue; else the oldest.
  const wanted = new URL(request.url).searchParams.get("note");
  const currentId = (queue.find((q) => q.id === wanted) ?? queue[0])?.id;
  const current = currentId ? await noteForReview(context.db, actor, today, currentId) : undefined;
  await recordAudit(context.db, auditContextOf(context, actor), {
    action: "note.review_queue",
    entityType: "care_note",
    entityId: current?.id,
    patientId: current?.patient_id,
    detail: { noteIds: queue.map((q) => q.id) },
  });
  return {
    queue: queue.map((q) => ({ ...q, waitedHours: Math.floor(elapsedHours(new Date(q.queued_at), now)) })),
    current: current ? { ...current, waitedHours: Math.floor(elapsedHours(new Date(current.queued_at), now)) } : null,
  };
}

/** A refusal of a decision, shown as the form's own message (or beside the comments). */
class ReviewRefused extends Error {
  constructor(
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}

type Decision = {
  context: ActionFunctionArgs["context"];
  formData: FormData;
  actor: Awaited<ReturnType<typeof requireActor>>;
};

/** Runs a decision's form; after it, the psychiatrist lands on the next note in the queue, or the clear queue. */
function decide<S extends z.ZodType<{ noteId: string }>>(
  { context, formData, actor }: Decision,
  intent: string,
  schema: S,
  run: (value: z.output<S>, input: { now: Date; today: string; appUrl: string }) => Promise<unknown>,
  done: string,
) {
  return answerForm(
    formData,
    { intent, target: formData.get("noteId")?.toString() || undefined, schema, refusals: [ReviewRefused] },
    async (value) => {
      const now = context.now();
      const today = clinicToday(now);
      const before = await reviewQueue(context.db, actor, today);
      try {
        await run(value, { now, today, appUrl: context.config.appUrl });
      } catch (error) {
        if (error instanceof NoteError)
          throw new ReviewRefused(error.message, error.field === "form" ? undefined : error.field);
        throw error;
      }
      context.wakeMailer();
      // Next in queue: the note after this one in the queue as it was, else the first still waiting.
      const after = before.slice(before.findIndex((q) => q.id === value.noteId) + 1);
      const next = after[0] ?? before.find((q) => q.id !== value.noteId);
      return next
        ? redirectWithFlash(context, `/reviews?note=${next.id}`, {
            kind: "success",
            message: `${done} Next in queue below.`,
          })
        : redirectWithFlash(context, "/reviews", { kind: "success", message: `${done} The queue is clear.` });
    },
  );
}

const REVIEW_INTENTS = {
  "sign-off": (d: Decision) =>
    decide(
      d,
      "sign-off",
      signOffSchema,
      (form, input) => signOffNote(d.context.db, d.actor, auditContextOf(d.context, d.actor), { ...form, ...input }),
      "Note signed off; the author was sent a receipt.",
    ),
  return: (d: Decision) =>
    decide(
      d,
      "return",
      returnNoteSchema,
      (form, input) => returnNote(d.context.db, d.actor, auditContextOf(d.context, d.actor), { ...form, ...input }),
      "Note returned to its author with your comments; they were sent a receipt.",
    ),
};

export async function action({ request, context }: ActionFunctionArgs) {
  const actor = await requireActor(request, context, ["psychiatrist"]);
  const formData = await request.formData();
  return dispatchIntent(formData, REVIEW_INTENTS, { context, formData, actor });
}

export default function Reviews() {
  const { queue, current } = useLoaderData<typeof loader>();
  const answer = useActionData<typeof action>() as FormAnswer | undefined;
  return (
    <>
      <PageHeader
        title="Review queue"
        description="Notes on your patients sent for psychiatrist review, oldest first. Infusion summaries always come here. Sign a note off, or return it to its author with comments."
      />
      {current ? (
        <>
          <ReviewNote key={current.id} note={current} answer={answer} />
          <QueueList queue={queue} currentId={current.id} />
        </>
      ) : (
        <EmptyState title="The queue is clear">
          <p>
            No note is waiting for your review. When a colleague asks for your review, answers your comments with an
            addendum, or an Ember clinician posts an infusion summary for one of your patients, it appears here.
          </p>
        </EmptyState>
      )}
    </>
  );
}
