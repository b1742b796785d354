import { z } from "zod";
import { isoDate, requiredText } from "~/modules/patients/schema";
import { DEPRESSION_COMORBIDITIES, SESSION_CADENCES, TRAUMA_THERAPIES } from "./labels";

export function engagementSchema(options: { today: string; earliestLastSession: string; maxSessionAgeDays: number }) {
  const notFuture = (what: string) =>
    isoDate(what).refine((v) => v <= options.today, `The ${what} cannot be in the future.`);
  return z
    .object({
      treatmentStartedOn: notFuture("treatment start date"),
      lastSessionOn: notFuture("date of the most recent session").refine(
        (v) => v >= options.earliestLastSession,
        `Not active: the most recent session was more than ${options.maxSessionAgeDays} days ago. Ember requires active treatment; confirm after your next session with the patient.`,
      ),
      cadence: z.enum(SESSION_CADENCES, { error: "Choose how often you see the patient." }),
      ptsdConfirmed: z.enum(["yes", "no"], { error: "Say whether you confirm the PTSD diagnosis." }),
      depression: z.enum(DEPRESSION_COMORBIDITIES, { error: "Choose the depression comorbidity, or none." }),
      traumaTherapy: z.enum(TRAUMA_THERAPIES, { error: "Choose the trauma-focused therapy, or none." }),
      // A blank field is a missing answer, not "0 sessions": coercion alone would turn "" into 0.
      sessionsHeld: z.preprocess(
        (v) => (typeof v === "string" && v.trim() === "" ? undefined : v),
        z.coerce
          .number({ error: "Enter the number of sessions held so far." })
          .int("Enter a whole number of sessions.")
          .min(0, "Sessions held cannot be negative.")
          .max(500, "Check the number of sessions."),
      ),
      agreesToCoordinate: z.literal("yes", { error: "Ember requires your agreement to coordinate care." }),
      signature: requiredText("your full name as your signature", 120),
    })
    .refine((v) => v.lastSessionOn >= v.treatmentStartedOn, {
      path: ["lastSessionOn"],
      message: "The most recent session cannot be before treatment started.",
    });
}

export const discussionSchema = (today: string) =>
  z.object({
    discussedOn: isoDate("the date of the discussion").refine(
      (v) => v <= today,
      "The discussion date cannot be in the future.",
    ),
    note: requiredText("a short note of what was discussed", 4000),
  });

/** The date of a new provider's intake with the patient: today or within the next 90 days. */
export const intakeSchema = (today: string, latest: string) =>
  z.object({
    intent: z.literal("intake"),
    scheduledOn: isoDate("the intake date")
      .refine((v) => v >= today, "The intake date cannot be in the past: confirm engagement once it is held.")
      .refine((v) => v <= latest, "Give an intake date within the next 90 days."),
  });
