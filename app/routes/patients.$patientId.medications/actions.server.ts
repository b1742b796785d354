import { data, type AppLoadContext } from "@remix-run/node";
import type { Actor } from "~/auth/actor";
import type { AuditContext } from "~/audit/audit.server";
import { redirectWithFlash } from "~/lib/flash.server";
import { parseSubmission } from "~/lib/forms.server";
import {
  addMedication,
  markMedicationReviewed,
  MedicationError,
  stopMedication,
} from "~/modules/medications/medications.server";
import { medicationSchema, reviewMedicationSchema, stopMedicationSchema } from "~/modules/medications/schema";
import type { z } from "zod";

export interface MedicationChange {
  context: AppLoadContext;
  formData: FormData;
  actor: Actor;
  audit: AuditContext;
  patientId: string;
  today: string;
  now: Date;
}

/** A form's answer, tagged with the form (and the row) it belongs to. */
export type MedicationAnswer = { intent: string; target: string; result: unknown } | undefined;

async function withForm<S extends z.ZodType>(
  change: MedicationChange,
  intent: string,
  schema: S,
  run: (value: z.output<S>) => Promise<string>,
) {
  const target = String(change.formData.get("medicationId") ?? "");
  const submission = parseSubmission(change.formData, schema);
  if (submission.status !== "success")
    return data(
      { intent, target, result: submission.reply() },
      { status: submission.status === undefined ? 200 : 400 },
    );
  try {
    const message = await run(submission.value);
    return redirectWithFlash(change.context, `/patients/${change.patientId}/medications`, { kind: "success", message });
  } catch (error) {
    if (error instanceof MedicationError)
      return data({ intent, target, result: submission.reply({ formErrors: [error.message] }) }, { status: 409 });
    throw error;
  }
}

export const MEDICATION_INTENTS = {
  add: (change: MedicationChange) =>
    withForm(change, "add", medicationSchema(change.today), async (form) => {
      const { context, actor, audit, patientId } = change;
      await addMedication(context.db, actor, audit, { patientId, ...form, startedOn: form.startedOn ?? null });
      return `${form.name} added to the medication list.`;
    }),
  stop: (change: MedicationChange) =>
    withForm(change, "stop", stopMedicationSchema(change.today), async (form) => {
      await stopMedication(change.context.db, change.audit, { patientId: change.patientId, ...form });
      return "Stop date recorded.";
    }),
  review: (change: MedicationChange) =>
    withForm(change, "review", reviewMedicationSchema, async (form) => {
      const { context, actor, audit, patientId, now } = change;
      await markMedicationReviewed(context.db, actor, audit, { patientId, medicationId: form.medicationId, now });
      return "Medication marked reviewed for the current course.";
    }),
};
