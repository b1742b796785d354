import { z } from "zod";
import { zonedToUtc } from "~/lib/time";
import { BOOSTER_DECISIONS } from "./labels";
import { TRAUMA_MODALITIES } from "~/lib/therapies";

/** A `datetime-local` value read as New York wall time, to a UTC instant. */
export const nyDateTime = (what: string) =>
  z
    .string({ error: `Enter ${what}.` })
    .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/, `Enter ${what} as a date and time.`)
    .transform((value, ctx) => {
      const instant = zonedToUtc(value);
      if (!instant) {
        ctx.addIssue({
          code: "custom",
          message: `${what[0]!.toUpperCase()}${what.slice(1)} does not exist in New York (the clocks skip that hour).`,
        });
        return z.NEVER;
      }
      return instant;
    });

export const scheduleSchema = z.object({
  locationId: z.enum(["brooklyn-heights", "chelsea", "tribeca", "upper-east-side", "williamsburg"], {
    error: "Choose the clinic.",
  }),
  clinicianId: z.uuid({ error: "Choose the supervising clinician." }),
  kind: z.enum(["course", "booster"], { error: "Choose a course or booster visits." }),
  visit: z
    .array(z.string().max(40))
    .transform((values) => values.filter((v) => v.trim() !== ""))
    .pipe(
      z
        .array(nyDateTime("each visit's start"))
        .min(1, "Enter at least one visit start time.")
        .max(12, "Schedule at most 12 visits at once."),
    ),
});

export const rescheduleSchema = z.object({ visitId: z.uuid(), startsAt: nyDateTime("the new start time") });
export const cancelSchema = z.object({
  visitId: z.uuid(),
  reason: z.string().trim().min(1, "Enter the reason for cancelling.").max(500),
});

export const sessionSchema = z
  .object({
    startsAt: nyDateTime("the session's date and time"),
    modality: z.enum([...TRAUMA_MODALITIES, "other"], { error: "Choose the modality." }),
    protocolNumber: z
      .union([
        z.literal("").transform(() => null),
        z.coerce.number().int("Use a whole number.").min(1, "Session numbers start at 1.").max(50),
      ])
      .default(null),
    protocolTotal: z
      .union([
        z.literal("").transform(() => null),
        z.coerce.number().int("Use a whole number.").min(1, "A protocol has at least 1 session.").max(50),
      ])
      .default(null),
    mode: z.enum(["in_person", "telehealth"], { error: "Choose in person or telehealth." }),
  })
  .refine((v) => v.protocolNumber === null || v.protocolTotal === null || v.protocolNumber <= v.protocolTotal, {
    path: ["protocolNumber"],
    message: "The session number cannot be above the protocol's total.",
  });

export const sessionOutcomeSchema = z.object({ sessionId: z.uuid(), outcome: z.enum(["held", "missed"]) });

export const boosterDecisionSchema = z.object({
  reviewId: z.uuid(),
  decision: z.enum(BOOSTER_DECISIONS.map((d) => d.value) as [string, ...string[]], { error: "Choose a decision." }),
  note: z.string().trim().min(1, "Enter a short note for the team.").max(2000),
});
