import { wallTime, CLINIC_TIME_ZONE, daysBetween } from "~/lib/time";

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

export interface VisitSettings {
  visitMinutes: number;
  infusionMinutes: number;
  windowHours: number;
}

export const DEFAULT_VISIT_SETTINGS: VisitSettings = { visitMinutes: 90, infusionMinutes: 40, windowHours: 72 };

/**
 * A visit's times, all absolute instants: the window opens when the visit ends and closes a fixed
 * number of hours later. Computed on UTC instants, so a daylight-saving change inside the window
 * neither stretches nor shrinks it.
 */
export function visitTimes(startsAt: Date, settings: VisitSettings) {
  const endsAt = new Date(startsAt.getTime() + settings.visitMinutes * MINUTE);
  return {
    startsAt,
    endsAt,
    windowOpensAt: endsAt,
    windowClosesAt: new Date(endsAt.getTime() + settings.windowHours * HOUR),
  };
}

export function isInWindow(moment: Date, visit: { ends_at: Date; window_closes_at: Date }): boolean {
  return moment.getTime() >= visit.ends_at.getTime() && moment.getTime() < visit.window_closes_at.getTime();
}

/** The visit whose therapy window holds this moment (the latest, if windows overlap), or undefined. */
export function windowFor<V extends { ends_at: Date; window_closes_at: Date; status: string }>(
  moment: Date,
  visits: V[],
): V | undefined {
  return visits
    .filter((v) => v.status !== "cancelled" && isInWindow(moment, v))
    .sort((a, b) => b.ends_at.getTime() - a.ends_at.getTime())[0];
}

/** The New York calendar day of a moment: two visits on one such day are a conflict for the patient. */
export const clinicDay = (moment: Date, timeZone = CLINIC_TIME_ZONE) => wallTime(moment, timeZone).date;

export interface ClinicHours {
  opens_at: string;
  closes_at: string;
  time_zone: string;
}

/** The whole visit, arrival to discharge, falls inside the clinic's opening hours of that day. */
export function withinClinicHours(startsAt: Date, endsAt: Date, hours: ClinicHours): boolean {
  const start = wallTime(startsAt, hours.time_zone);
  const end = wallTime(endsAt, hours.time_zone);
  return start.date === end.date && start.time >= hours.opens_at && end.time <= hours.closes_at;
}

export function overlaps(a: { startsAt: Date; endsAt: Date }, b: { startsAt: Date; endsAt: Date }): boolean {
  return a.startsAt < b.endsAt && b.startsAt < a.endsAt;
}

/**
 * What is unusual about a course but not wrong: a typical initial course is 4–6 visits over 1–2
 * weeks. These are warnings to confirm, never refusals.
 */
export function courseWarnings(starts: Date[], kind: "course" | "booster"): string[] {
  if (kind === "booster" || starts.length === 0) return [];
  const warnings: string[] = [];
  if (starts.length < 4 || starts.length > 6) {
    warnings.push(
      `This course has ${starts.length} visit${starts.length === 1 ? "" : "s"}; a typical initial course has 4 to 6.`,
    );
  }
  const sorted = [...starts].sort((a, b) => a.getTime() - b.getTime());
  // Counted in New York calendar days: the hour of the first and last visit, or a daylight-saving
  // change between them, must not turn two weeks into "14 days" that warns.
  const spanDays = daysBetween(clinicDay(sorted[0]!), clinicDay(sorted[sorted.length - 1]!));
  if (spanDays > 14) warnings.push(`The visits span ${spanDays} days; a typical course runs over 1 to 2 weeks.`);
  return warnings;
}

/** Two visits of the proposal on one New York day, or a visit outside clinic hours: refused. */
export function proposalConflicts(starts: Date[], settings: VisitSettings, hours: ClinicHours): string[] {
  const problems: string[] = [];
  const days = new Map<string, number>();
  for (const start of starts) {
    const { endsAt } = visitTimes(start, settings);
    const day = clinicDay(start, hours.time_zone);
    days.set(day, (days.get(day) ?? 0) + 1);
    if (!withinClinicHours(start, endsAt, hours)) {
      const t = wallTime(start, hours.time_zone);
      problems.push(
        `The visit on ${t.date} at ${t.time} does not fit the clinic's hours (${hours.opens_at}–${hours.closes_at}, a visit lasts ${settings.visitMinutes} minutes).`,
      );
    }
  }
  for (const [day, count] of days)
    if (count > 1) problems.push(`Two visits on ${day}: a patient has at most one infusion visit a day.`);
  return problems;
}
