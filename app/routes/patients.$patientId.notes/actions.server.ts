import { data, type AppLoadContext } from "@remix-run/node";
import type { Actor } from "~/auth/actor";
import type { AuditContext } from "~/audit/audit.server";
import { redirectWithFlash } from "~/lib/flash.server";
import { parseSubmission } from "~/lib/forms.server";
import { acknowledgeSafetyConcern, addAddendum, postNote, signOffNote } from "~/modules/notes/notes.server";
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
export type NoteAnswer = { intent: string; target: string; result: unknown } | undefined;

/** The form shown again: 400 when refused, 200 when the browser only asked for a field to be checked. */
function showAgain(intent: string, formData: FormData, submission: ReturnType<typeof parseSubmission>) {
  const target = String(formData.get("noteId") ?? "");
  return data({ intent, target, result: submission.reply() }, { status: submission.status === undefined ? 200 : 400 });
}

async function done({ context, patientId }: NoteChange, message: string) {
  return redirectWithFlash(context, `/patients/${patientId}/notes`, { kind: "success", message });
}

async function post(change: NoteChange) {
  const { context, formData, actor, audit, patientId, today, now } = change;
  const submission = parseSubmission(formData, postNoteSchema);
  if (submission.status !== "success") return showAgain("post", formData, submission);
  const form = submission.value;
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
}

async function addendum(change: NoteChange) {
  const { context, formData, actor, audit, patientId, now } = change;
  const submission = parseSubmission(formData, addendumSchema);
  if (submission.status !== "success") return showAgain("addendum", formData, submission);
  const form = submission.value;
  await addAddendum(context.db, actor, audit, { patientId, ...form, now });
  return done(change, "Addendum added.");
}

async function signOff(change: NoteChange) {
  const { context, formData, actor, audit, patientId, today, now } = change;
  const submission = parseSubmission(formData, signOffSchema);
  if (submission.status !== "success") return showAgain("sign-off", formData, submission);
  const form = submission.value;
  await signOffNote(context.db, actor, audit, { patientId, ...form, now, today });
  return done(change, "Note signed off.");
}

async function acknowledge(change: NoteChange) {
  const { context, formData, actor, audit, patientId, now } = change;
  const submission = parseSubmission(formData, acknowledgeSchema);
  if (submission.status !== "success") return showAgain("acknowledge", formData, submission);
  const form = submission.value;
  await acknowledgeSafetyConcern(context.db, actor, audit, { patientId, ...form, now });
  return done(change, "Safety concern acknowledged; it no longer shows on the team's dashboards.");
}

export const NOTE_INTENTS = { post, addendum, "sign-off": signOff, acknowledge };
