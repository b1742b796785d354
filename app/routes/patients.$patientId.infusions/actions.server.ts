import type { AppLoadContext } from "@remix-run/node";
import type { Actor } from "~/auth/actor";
import type { AuditContext } from "~/audit/audit.server";
import { redirectWithFlash } from "~/lib/flash.server";
import { formState, parseForm, type FormState } from "~/lib/forms";
import { refuseIntent } from "~/lib/intents.server";
import { decideBoosterReview } from "~/modules/infusions/boosters.server";
import { cancelVisit, rescheduleVisit, scheduleCourse } from "~/modules/infusions/infusions.server";
import {
  boosterDecisionSchema,
  cancelSchema,
  rescheduleSchema,
  scheduleSchema,
  sessionOutcomeSchema,
  sessionSchema,
} from "~/modules/infusions/forms.server";
import { planTherapySession, recordSessionOutcome } from "~/modules/infusions/sessions.server";

/** What every change on the infusions page starts from: who asks, about which patient, with which form. */
export interface InfusionChange {
  context: AppLoadContext;
  formData: FormData;
  actor: Actor;
  audit: AuditContext;
  patientId: string;
  now: Date;
}

const refuse = ({ formData }: InfusionChange, state: FormState, status?: number) =>
  refuseIntent(formData, state, status);

async function done({ context, patientId }: InfusionChange, message: string, kind: "success" | "info" = "success") {
  return redirectWithFlash(context, `/patients/${patientId}/infusions`, { kind, message });
}

const warningsOf = (warnings: string[]) => (warnings.length ? ` Please check: ${warnings.join(" ")}` : "");

async function schedule(change: InfusionChange) {
  const form = parseForm(scheduleSchema, change.formData, ["visit"]);
  if (!form.ok) return refuse(change, formState(form));
  const { context, audit, patientId, now } = change;
  const result = await scheduleCourse(context.db, audit, {
    patientId,
    ...form.data,
    starts: form.data.visit,
    now,
    appUrl: context.config.appUrl,
  });
  context.wakeMailer();
  const count = form.data.visit.length;
  const base = `${count} visit${count === 1 ? "" : "s"} scheduled; the care team was notified.`;
  return done(change, `${base}${warningsOf(result.warnings)}`, result.warnings.length ? "info" : "success");
}

async function reschedule(change: InfusionChange) {
  const form = parseForm(rescheduleSchema, change.formData);
  if (!form.ok) return refuse(change, formState(form));
  const { context, audit, patientId, now } = change;
  const result = await rescheduleVisit(context.db, audit, {
    patientId,
    ...form.data,
    now,
    appUrl: context.config.appUrl,
  });
  context.wakeMailer();
  const outside = result.sessionsNowOutside
    ? ` ${result.sessionsNowOutside} planned session(s) now fall outside the window.`
    : "";
  const warnings = warningsOf(result.warnings);
  return done(
    change,
    `Visit moved; its therapy window moved with it and the care team was notified.${outside}${warnings}`,
    warnings ? "info" : "success",
  );
}

async function cancel(change: InfusionChange) {
  const form = parseForm(cancelSchema, change.formData);
  if (!form.ok) return refuse(change, formState(form));
  const { context, audit, patientId, now } = change;
  const ok = await cancelVisit(context.db, audit, { patientId, ...form.data, now, appUrl: context.config.appUrl });
  if (!ok) return refuse(change, formState({ formError: "Only a scheduled visit can be cancelled." }), 409);
  context.wakeMailer();
  return done(change, "Visit cancelled; the care team was notified.");
}

async function boosterDecision(change: InfusionChange) {
  const form = parseForm(boosterDecisionSchema, change.formData);
  if (!form.ok) return refuse(change, formState(form));
  const { context, audit, actor, patientId, now } = change;
  const ok = await decideBoosterReview(context.db, audit, { patientId, ...form.data, clinicianId: actor.id, now });
  return ok
    ? done(change, "Booster decision recorded.")
    : refuse(change, formState({ formError: "That review was already decided." }), 409);
}

async function planSession(change: InfusionChange) {
  const form = parseForm(sessionSchema, change.formData);
  if (!form.ok) return refuse(change, formState(form));
  const { context, audit, actor, patientId, now } = change;
  const result = await planTherapySession(context.db, actor, audit, { patientId, ...form.data, now });
  return result.inWindow
    ? done(change, "Session planned inside a therapy window.")
    : done(change, "Session planned. Note: it falls outside every therapy window.", "info");
}

async function sessionOutcome(change: InfusionChange) {
  const form = parseForm(sessionOutcomeSchema, change.formData);
  if (!form.ok) return refuse(change, formState(form));
  const { context, audit, actor, patientId, now } = change;
  const ok = await recordSessionOutcome(context.db, actor, audit, { patientId, ...form.data, now });
  return ok
    ? done(change, `Session marked ${form.data.outcome}.`)
    : refuse(change, formState({ formError: "Only your own planned sessions can be marked." }), 409);
}

/** Ember's clinicians run the visits; an outside provider plans and records their own therapy sessions. */
export const CLINICIAN_INTENTS = {
  schedule,
  reschedule,
  cancel,
  "booster-decision": boosterDecision,
};
export const PROVIDER_INTENTS = { "plan-session": planSession, "session-outcome": sessionOutcome };
