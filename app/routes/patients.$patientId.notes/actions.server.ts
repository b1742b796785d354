import type { AppLoadContext } from "@remix-run/node";
import type { Actor } from "~/auth/actor";
import type { AuditContext } from "~/audit/audit.server";
import { redirectWithFlash } from "~/lib/flash.server";
import { formState, parseForm } from "~/lib/forms";
import { refuseIntent } from "~/lib/intents.server";
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

async function done({ context, patientId }: NoteChange, message: string) {
  return redirectWithFlash(context, `/patients/${patientId}/notes`, { kind: "success", message });
}

async function post(change: NoteChange) {
  const { context, formData, actor, audit, patientId, today, now } = change;
  const form = parseForm(postNoteSchema, formData);
  if (!form.ok) return refuseIntent(formData, formState(form));
  const result = await postNote(context.db, actor, audit, {
    patientId,
    ...form.data,
    requestReview: form.data.requestReview === "yes",
    now,
    today,
    appUrl: context.config.appUrl,
  });
  if (result.urgentNotices) context.wakeMailer();
  return done(
    change,
    form.data.kind === "safety_concern"
      ? `Safety concern posted; ${result.urgentNotices} Ember clinicians, coordinators and team members were notified at once.`
      : "Note posted.",
  );
}

async function addendum(change: NoteChange) {
  const { context, formData, actor, audit, patientId, now } = change;
  const form = parseForm(addendumSchema, formData);
  if (!form.ok) return refuseIntent(formData, formState(form));
  await addAddendum(context.db, actor, audit, { patientId, ...form.data, now });
  return done(change, "Addendum added.");
}

async function signOff(change: NoteChange) {
  const { context, formData, actor, audit, patientId, today, now } = change;
  const form = parseForm(signOffSchema, formData);
  if (!form.ok) return refuseIntent(formData, formState(form));
  await signOffNote(context.db, actor, audit, { patientId, ...form.data, now, today });
  return done(change, "Note signed off.");
}

async function acknowledge(change: NoteChange) {
  const { context, formData, actor, audit, patientId, now } = change;
  const form = parseForm(acknowledgeSchema, formData);
  if (!form.ok) return refuseIntent(formData, formState(form));
  await acknowledgeSafetyConcern(context.db, actor, audit, { patientId, ...form.data, now });
  return done(change, "Safety concern acknowledged; it no longer shows on the team's dashboards.");
}

export const NOTE_INTENTS = { post, addendum, "sign-off": signOff, acknowledge };
