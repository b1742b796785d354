import type { AppLoadContext } from "@remix-run/node";
import type { Actor } from "~/auth/actor";
import type { AuditContext } from "~/audit/audit.server";
import { redirectWithFlash } from "~/lib/flash.server";
import { answerForm } from "~/lib/forms.server";
import { recordVisitOutcome } from "~/modules/infusions/outcomes.server";
import { ScheduleError } from "~/modules/infusions/infusions.server";
import { markMedicationReviewed, MedicationError } from "~/modules/medications/medications.server";
import { reviewMedicationSchema } from "~/modules/medications/schema";
import {
  addRecordAddendum,
  RecordError,
  saveInfusionRecord,
  signInfusionRecord,
} from "~/modules/visits/infusion-record.server";
import { CheckError, completePreInfusionCheck } from "~/modules/visits/pre-infusion-check.server";
import { addendumSchema, outcomeSchema, recordSchema } from "~/modules/visits/schema";
import { z } from "zod";

/** What every change on a visit starts from: who asks, about which visit, with which form. */
export interface VisitChange {
  context: AppLoadContext;
  formData: FormData;
  actor: Actor;
  audit: AuditContext;
  patientId: string;
  visitId: string;
  now: Date;
}

function done({ context, patientId, visitId }: VisitChange, message: string) {
  return redirectWithFlash(context, `/patients/${patientId}/visits/${visitId}`, { kind: "success", message });
}

/** Runs a form through its schema; a refusal of the module comes back as the form's own message. */
const withForm = <S extends z.ZodType>(
  change: VisitChange,
  intent: string,
  schema: S,
  run: (value: z.output<S>) => Promise<Response>,
) =>
  answerForm(
    change.formData,
    { intent, schema, refusals: [ScheduleError, RecordError, CheckError, MedicationError] },
    run,
  );

/** The check and the signature carry nothing but their intent. */
const NO_FIELDS = z.object({});

export const CLINICIAN_INTENTS = {
  "complete-check": (change: VisitChange) =>
    withForm(change, "complete-check", NO_FIELDS, async () => {
      const { context, actor, audit, patientId, visitId, now } = change;
      const findings = await completePreInfusionCheck(context.db, actor, audit, { patientId, visitId, now });
      return done(
        change,
        findings.length
          ? `Pre-infusion check complete, with ${findings.length} point${findings.length === 1 ? "" : "s"} noted.`
          : "Pre-infusion check complete: nothing noted.",
      );
    }),

  outcome: (change: VisitChange) =>
    withForm(change, "outcome", outcomeSchema, async (form) => {
      const { context, audit, patientId, visitId, now } = change;
      const result = await recordVisitOutcome(context.db, audit, { patientId, visitId, now, ...form });
      if (!result.recorded)
        throw new RecordError("Only a scheduled visit that has started can have its outcome recorded.");
      const overridden = result.overridden
        ? " The gate override and its reason are on the visit for the whole team."
        : "";
      const booster = result.boosterReviewDue
        ? " The course is complete: a booster review is now due in 21–28 days."
        : "";
      const next = form.outcome === "missed" ? "" : " Fill in the infusion record below and sign it.";
      const what = { held: "held", missed: "missed", stopped_early: "held, stopped early" }[form.outcome];
      return done(change, `Visit recorded as ${what}.${overridden}${booster}${next}`);
    }),

  "review-medication": (change: VisitChange) =>
    withForm(change, "review-medication", reviewMedicationSchema, async (form) => {
      const { context, actor, audit, patientId, now } = change;
      await markMedicationReviewed(context.db, actor, audit, { patientId, medicationId: form.medicationId, now });
      return done(change, "Medication marked reviewed for this course.");
    }),

  "save-record": (change: VisitChange) =>
    withForm(change, "save-record", recordSchema, async (record) => {
      const { context, actor, audit, patientId, visitId, now } = change;
      await saveInfusionRecord(context.db, actor, audit, { patientId, visitId, now, record });
      return done(change, "Infusion record saved. Sign it when it is complete: signing sends the summary.");
    }),

  "sign-record": (change: VisitChange) =>
    withForm(change, "sign-record", NO_FIELDS, async () => {
      const { context, actor, audit, patientId, visitId, now } = change;
      await signInfusionRecord(context.db, actor, audit, { patientId, visitId, now, appUrl: context.config.appUrl });
      context.wakeMailer();
      return done(
        change,
        "Record signed. The infusion summary is in the care notes, awaiting the psychiatrist's review.",
      );
    }),

  addendum: (change: VisitChange) =>
    withForm(change, "addendum", addendumSchema, async (form) => {
      const { context, actor, audit, patientId, visitId, now } = change;
      await addRecordAddendum(context.db, actor, audit, { patientId, visitId, body: form.body, now });
      return done(change, "Addendum added to the signed record.");
    }),
};
