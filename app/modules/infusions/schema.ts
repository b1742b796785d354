import { z } from "zod";
import { zonedToUtc } from "~/lib/time";
import { BOOSTER_DECISIONS } from "./labels";
import { expandPattern } from "./pattern";
import { isTraumaModality, PROTOCOL_SESSIONS, protocolLength, TRAUMA_MODALITIES } from "~/lib/therapies";

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

const courseSettings = {
  locationId: z.enum(["brooklyn-heights", "chelsea", "tribeca", "upper-east-side", "williamsburg"], {
    error: "Choose the clinic.",
  }),
  clinicianId: z.uuid({ error: "Choose the supervising clinician." }),
  kind: z.enum(["course", "booster"], { error: "Choose a course or booster visits." }),
};

/** The visit times typed or previewed, blanks dropped (a cleared date takes that visit out). */
const typedVisits = z
  .array(z.string().max(40))
  .default([])
  .transform((values) => values.map((v) => v.trim()).filter((v) => v !== ""));

export const MAX_VISITS_AT_ONCE = 12;

export const scheduleSchema = z.object({
  ...courseSettings,
  visit: typedVisits.pipe(
    z
      .array(nyDateTime("each visit's start"))
      .min(1, "Enter at least one visit start time.")
      .max(MAX_VISITS_AT_ONCE, `Schedule at most ${MAX_VISITS_AT_ONCE} visits at once.`),
  ),
  /** The times the preview showed: booking saves exactly these, or shows the preview again. */
  previewed: typedVisits,
});

const LOCAL_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/;
const ISO_DAY = /^\d{4}-\d{2}-\d{2}$/;
const CLOCK_TIME = /^([01]\d|2[0-3]):[0-5]\d$/;
const wholeNumber = (value: string, min: number, max: number) =>
  /^\d{1,3}$/.test(value) && Number(value) >= min && Number(value) <= max;

/**
 * A course to preview: a pattern (weekdays or every few days, at a time, a number of visits from a
 * first date) or, once previewed, the dates as adjusted one by one. Dates typed are previewed as
 * they are: one that has passed or does not exist is explained in the preview, not refused here.
 */
export const previewSchema = z
  .object({
    ...courseSettings,
    visit: typedVisits.pipe(
      z
        .array(z.string().regex(LOCAL_DATE_TIME, "Enter each visit's date and time."))
        .max(MAX_VISITS_AT_ONCE, `Preview at most ${MAX_VISITS_AT_ONCE} visits at once.`),
    ),
    repeat: z.enum(["weekdays", "interval"], { error: "Choose weekdays or every few days." }).default("weekdays"),
    weekday: z.array(z.enum(["0", "1", "2", "3", "4", "5", "6"])).default([]),
    everyDays: z.string().max(10).default(""),
    firstDay: z.string().max(20).default(""),
    time: z.string().max(20).default(""),
    count: z.string().max(10).default(""),
  })
  .superRefine((v, ctx) => {
    if (v.visit.length) return;
    const problem = (path: string, message: string) => ctx.addIssue({ code: "custom", path: [path], message });
    if (!ISO_DAY.test(v.firstDay) || !zonedToUtc(`${v.firstDay}T12:00`)) problem("firstDay", "Enter the first date.");
    if (!CLOCK_TIME.test(v.time)) problem("time", "Enter the time of day the visits start.");
    if (!wholeNumber(v.count, 1, MAX_VISITS_AT_ONCE))
      problem("count", `Enter how many visits: 1 to ${MAX_VISITS_AT_ONCE}.`);
    if (v.repeat === "weekdays" && v.weekday.length === 0) problem("weekday", "Tick at least one weekday.");
    if (v.repeat === "interval" && !wholeNumber(v.everyDays, 1, 14))
      problem("everyDays", "Enter the days between visits: 1 to 14 (2 is every other day).");
  })
  .transform(({ locationId, clinicianId, kind, visit, ...p }) => ({
    locationId,
    clinicianId,
    kind,
    visits: visit.length
      ? visit
      : expandPattern(
          p.repeat === "weekdays"
            ? {
                repeat: "weekdays",
                weekdays: p.weekday.map(Number),
                firstDay: p.firstDay,
                time: p.time,
                count: Number(p.count),
              }
            : {
                repeat: "interval",
                everyDays: Number(p.everyDays),
                firstDay: p.firstDay,
                time: p.time,
                count: Number(p.count),
              },
        ),
  }));

export const rescheduleSchema = z.object({ visitId: z.uuid(), startsAt: nyDateTime("the new start time") });
export const cancelSchema = z.object({
  visitId: z.uuid(),
  reason: z.string().trim().min(1, "Enter the reason for cancelling.").max(500),
});

/** "Plan it anyway": the provider's answer to the question a time outside every window raises. */
const outsideWindowConfirmed = z
  .literal("yes")
  .optional()
  .transform((value) => value === "yes");

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
    outsideWindow: outsideWindowConfirmed,
  })
  .refine((v) => v.protocolNumber === null || v.protocolTotal === null || v.protocolNumber <= v.protocolTotal, {
    path: ["protocolNumber"],
    message: "The session number cannot be above the protocol's total.",
  })
  .superRefine((v, ctx) => {
    if (v.protocolTotal === null || !isTraumaModality(v.modality)) return;
    const { min, max } = PROTOCOL_SESSIONS[v.modality];
    if (v.protocolTotal < min || v.protocolTotal > max)
      ctx.addIssue({
        code: "custom",
        path: ["protocolTotal"],
        message: `${v.modality} takes ${protocolLength(v.modality)} sessions.`,
      });
  });

export const sessionOutcomeSchema = z.object({ sessionId: z.uuid(), outcome: z.enum(["held", "missed"]) });
export const sessionMoveSchema = z.object({
  sessionId: z.uuid(),
  startsAt: nyDateTime("the session's new date and time"),
  outsideWindow: outsideWindowConfirmed,
});
export const sessionCancelSchema = z.object({ sessionId: z.uuid() });

export const boosterDecisionSchema = z.object({
  reviewId: z.uuid(),
  decision: z.enum(BOOSTER_DECISIONS.map((d) => d.value) as [string, ...string[]], { error: "Choose a decision." }),
  note: z.string().trim().min(1, "Enter a short note for the team.").max(2000),
});
