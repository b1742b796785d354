import type { AppLoadContext } from "@remix-run/node";
import type { Actor } from "~/auth/actor";
import type { AuditContext } from "~/audit/audit.server";
import { redirectWithFlash } from "~/lib/flash.server";
import type { FormAnswer } from "~/lib/form-answer";
import { answerForm } from "~/lib/forms.server";
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
export type MedicationAnswer = FormAnswer | undefined;

/** Runs a form through its schema; a saved change goes back to the list with its message. */
const withForm = <S extends z.ZodType>(
  change: MedicationChange,
  intent: string,
  schema: S,
  run: (value: z.output<S>) => Promise<string>,
) =>
  answerForm(
    change.formData,
    {
      intent,
      target: change.formData.get("medicationId")?.toString() || undefined,
      schema,
      refusals: [MedicationError],
    },
    async (value) =>
      redirectWithFlash(change.context, `/patients/${change.patientId}/medications`, {
        kind: "success",
        message: await run(value),
      }),
  );

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
