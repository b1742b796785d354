import { z } from "zod";
import { nyDateTime } from "~/modules/infusions/schema";
import { ADVERSE_EVENTS } from "./vitals";

const reason = (what: string) =>
  z
    .string({ error: `Enter ${what}.` })
    .trim()
    .min(1, `Enter ${what}.`)
    .max(2000, "Keep it under 2,000 characters.");

export const outcomeSchema = z
  .object({
    outcome: z.enum(["held", "missed", "stopped_early"], { error: "Choose what happened." }),
    stoppedEarlyReason: z.string().trim().max(2000, "Keep it under 2,000 characters.").optional(),
    overrideReason: z.string().trim().max(2000, "Keep the reason under 2,000 characters.").optional(),
  })
  .refine((v) => v.outcome !== "stopped_early" || Boolean(v.stoppedEarlyReason), {
    path: ["stoppedEarlyReason"],
    message: "Say why the infusion was stopped early.",
  });

/** A number field: blank reads as missing (its own message), text as a number. */
const number = (what: string, check: (n: z.ZodCoercedNumber) => z.ZodType<number> = (n) => n) =>
  z.preprocess((v) => (v === "" ? undefined : v), check(z.coerce.number({ error: `Enter ${what}.` })));

const whole = (what: string, min: number, max: number) =>
  number(what, (n) =>
    n
      .int(`Enter ${what} as a whole number.`)
      .min(min, `${capital(what)} below ${min} is not a reading: check it.`)
      .max(max, `${capital(what)} above ${max} is not a reading: check it.`),
  );

const capital = (text: string) => `${text[0]!.toUpperCase()}${text.slice(1)}`;

/** A reading that may be left blank (not taken), else range-checked. */
const optionalWhole = (what: string, min: number, max: number) =>
  z.union([z.literal("").transform(() => null), whole(what, min, max)]).default(null);

export const recordSchema = z
  .object({
    doseMgPerKg: number("the dose in mg/kg", (n) =>
      n.gt(0, "Enter the dose in mg/kg.").max(2, "A dose above 2 mg/kg is not an infusion dose: check it."),
    ),
    doseMg: number("the total dose in mg", (n) =>
      n.gt(0, "Enter the total dose in mg.").max(400, "A total above 400 mg is not an infusion dose: check it."),
    ),
    route: z.enum(["IV", "IM"], { error: "Choose the route." }),
    startedAt: nyDateTime("the infusion's start"),
    endedAt: nyDateTime("the infusion's end"),
    systolicBefore: whole("the systolic pressure before", 50, 260),
    diastolicBefore: whole("the diastolic pressure before", 20, 160),
    heartRateBefore: whole("the heart rate before", 20, 250),
    systolicDuring: optionalWhole("the systolic pressure during", 50, 260),
    diastolicDuring: optionalWhole("the diastolic pressure during", 20, 160),
    heartRateDuring: optionalWhole("the heart rate during", 20, 250),
    systolicAfter: optionalWhole("the systolic pressure after", 50, 260),
    diastolicAfter: optionalWhole("the diastolic pressure after", 20, 160),
    heartRateAfter: optionalWhole("the heart rate after", 20, 250),
    spo2Lowest: optionalWhole("the lowest SpO2", 50, 100),
    dissociation: number("the dissociation rating", (n) =>
      n.int().min(0, "Choose the dissociation rating.").max(4, "Choose the dissociation rating."),
    ),
    adverseEvents: z
      .array(z.enum(ADVERSE_EVENTS, { error: "Choose adverse events from the list." }))
      .max(ADVERSE_EVENTS.length)
      .default([]),
    adverseNotes: z.string().trim().max(4000, "Keep it under 4,000 characters.").optional(),
    recoveredAt: nyDateTime("the time the patient recovered"),
    dischargedAt: nyDateTime("the discharge time"),
    escort: z
      .string({ error: "Enter who took the patient home." })
      .trim()
      .min(1, "Enter who took the patient home (name and relationship).")
      .max(200, "Keep it under 200 characters."),
  })
  .refine((v) => v.endedAt > v.startedAt, { path: ["endedAt"], message: "The end must come after the start." })
  .refine((v) => v.recoveredAt >= v.endedAt, {
    path: ["recoveredAt"],
    message: "Recovery cannot come before the infusion ended.",
  })
  .refine((v) => v.dischargedAt >= v.recoveredAt, {
    path: ["dischargedAt"],
    message: "Discharge cannot come before recovery.",
  })
  .transform((v) => ({
    dose_mg_per_kg: v.doseMgPerKg,
    dose_mg: v.doseMg,
    route: v.route,
    started_at: v.startedAt,
    ended_at: v.endedAt,
    systolic_before: v.systolicBefore,
    diastolic_before: v.diastolicBefore,
    heart_rate_before: v.heartRateBefore,
    systolic_during: v.systolicDuring,
    diastolic_during: v.diastolicDuring,
    heart_rate_during: v.heartRateDuring,
    systolic_after: v.systolicAfter,
    diastolic_after: v.diastolicAfter,
    heart_rate_after: v.heartRateAfter,
    spo2_lowest: v.spo2Lowest,
    dissociation: v.dissociation,
    adverse_events: [...v.adverseEvents],
    adverse_notes: v.adverseNotes || null,
    recovered_at: v.recoveredAt,
    discharged_at: v.dischargedAt,
    escort: v.escort,
  }));

export const addendumSchema = z.object({ body: reason("the correction") });
