import { z } from "zod";
import { isoDate } from "~/modules/patients/schema";

const text = (what: string) =>
  z
    .string({ error: `Enter the ${what}.` })
    .trim()
    .min(1, `Enter the ${what}.`)
    .max(120, `Keep the ${what} under 120 characters.`);

export function medicationSchema(today: string) {
  return z.object({
    name: text("medication's name"),
    dose: text("dose and how often (for example 0.5 mg at night)"),
    prescriber: text("prescriber's name"),
    startedOn: isoDate("the start date")
      .refine((v) => v <= today, "The start date cannot be in the future.")
      .optional(),
  });
}

export function stopMedicationSchema(today: string) {
  return z.object({
    medicationId: z.uuid({ error: "Choose a medication on the list." }),
    stoppedOn: isoDate("the stop date").refine((v) => v <= today, "The stop date cannot be in the future."),
  });
}

export const reviewMedicationSchema = z.object({ medicationId: z.uuid({ error: "Choose a medication on the list." }) });

export const reviewListEntrySchema = z.object({
  name: text("name on the list (for example Benzodiazepines)"),
  terms: z
    .string({ error: "Enter at least one name to match." })
    .transform((v) =>
      [
        ...new Set(
          v
            .split(/[,\n]/)
            .map((t) => t.trim().toLowerCase())
            .filter(Boolean),
        ),
      ].slice(0, 60),
    )
    .refine((terms) => terms.length > 0, "Enter at least one name to match.")
    .refine(
      (terms) => terms.every((t) => t.length >= 3 && t.length <= 60),
      "Each name to match needs 3 to 60 characters.",
    ),
});

export const retireListEntrySchema = z.object({ entryId: z.uuid({ error: "Choose an entry on the list." }) });
