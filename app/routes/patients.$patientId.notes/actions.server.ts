import type { AppLoadContext } from "@remix-run/node";
import type { z } from "zod";
import type { Actor } from "~/auth/actor";
import type { AuditContext } from "~/audit/audit.server";
import { redirectWithFlash } from "~/lib/flash.server";
import type { FormAnswer } from "~/lib/form-answer";
import { answerForm } from "~/lib/forms.server";
import { acknowledgeSafetyConcern, addAddendum, NoteError, postNote } from "~/modules/notes/notes.server";
import { signOffNote } from "~/modules/notes/review.server";
import { acknowledgeSchema, addendumSchema, postNoteSchema, signOffSchema } from "~/modules/notes/forms.server";

/** What every change to a care-notes thread starts from: the writer, the patient and the form sent. */
export interface NoteChange {
  context: AppLoadContext;
  formData: FormData;
  actor: Actor;
  audit: AuditContext;
  patientId: string;
  today: string;
  now: Date;
}

/** A form's answer, tagged with the form (and the note) it belongs to. */
export type NoteAnswer = FormAnswer | undefined;

/** Runs one of the thread's forms; a refused one is shown again beside its note. */
const withForm = <S extends z.ZodType>(
  change: NoteChange,
  intent: string,
  schema: S,
  run: (value: z.output<S>) => Promise<Response>,
) =>
  answerForm(
    change.formData,
    { intent, target: change.formData.get("noteId")?.toString() || undefined, schema, refusals: [NoteError] },
    run,
  );

async function done({ context, patientId }: NoteChange, message: string) {
  return redirectWithFlash(context, `/patients/${patientId}/notes`, { kind: "success", message });
}

const post = (change: NoteChange) =>
  withForm(change, "post", postNoteSchema, async (form) => {
    const { context, actor, audit, patientId, today, now } = change;
    const result = await postNote(context.db, actor, audit, {
      patientId,
      ...form,
      requestReview: form.requestReview === "yes",
      now,
      today,
      appUrl: context.config.appUrl,
    });
    if (result.urgentNotices) context.wakeMailer();
    return done(
      change,
      form.kind === "safety_concern"
        ? `Safety concern posted; ${result.urgentNotices} Ember clinicians, coordinators and team members were notified at once.`
        : "Note posted.",
    );
  });

const addendum = (change: NoteChange) =>
  withForm(change, "addendum", addendumSchema, async (form) => {
    const { context, actor, audit, patientId, now } = change;
    const { requeued } = await addAddendum(context.db, actor, audit, { patientId, ...form, now });
    return done(change, requeued ? "Addendum added; the note is back in the review queue." : "Addendum added.");
  });

const signOff = (change: NoteChange) =>
  withForm(change, "sign-off", signOffSchema, async (form) => {
    const { context, actor, audit, patientId, today, now } = change;
    await signOffNote(context.db, actor, audit, { patientId, ...form, now, today, appUrl: context.config.appUrl });
    context.wakeMailer();
    return done(change, "Note signed off.");
  });

const acknowledge = (change: NoteChange) =>
  withForm(change, "acknowledge", acknowledgeSchema, async (form) => {
    const { context, actor, audit, patientId, now } = change;
    await acknowledgeSafetyConcern(context.db, actor, audit, { patientId, ...form, now });
    return done(change, "Safety concern acknowledged; it no longer shows on the team's dashboards.");
  });

export const NOTE_INTENTS = { post, addendum, "sign-off": signOff, acknowledge };
