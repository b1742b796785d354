import { TZDate } from "@date-fns/tz";
import { addHours } from "date-fns";

export const CLINIC_TIME_ZONE = "America/New_York";

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

const dateTime = new Intl.DateTimeFormat("en-US", {
  timeZone: CLINIC_TIME_ZONE,
  weekday: "short",
  month: "short",
  day: "numeric",
  year: "numeric",
  hour: "numeric",
  minute: "2-digit",
  timeZoneName: "short",
});

const dateOnly = new Intl.DateTimeFormat("en-US", { timeZone: "UTC", month: "short", day: "numeric", year: "numeric" });

const isoDay = new Intl.DateTimeFormat("en-CA", { timeZone: CLINIC_TIME_ZONE });

/**
 * Formatted moments, by epoch milliseconds: pages show the same visits and windows again and
 * again, and Intl formatting is the dearest part of rendering a long table. Bounded, then cleared.
 */
const formatted = new Map<number, string>();
const FORMATTED_MAX = 20_000;

/** A moment as the clinic reads it, with its zone named: "Tue, Mar 10, 2026, 9:30 AM EDT". */
export function formatDateTime(value: Date | string): string {
  const at = new Date(value);
  const key = at.getTime();
  let text = formatted.get(key);
  if (text === undefined) {
    text = dateTime.format(at);
    if (formatted.size >= FORMATTED_MAX) formatted.clear();
    formatted.set(key, text);
  }
  return text;
}

/** A calendar date (`YYYY-MM-DD`), which has no zone: "Mar 10, 2026". */
export function formatDate(value: string): string {
  return dateOnly.format(new Date(`${value}T00:00:00Z`));
}

/** Today's calendar date in New York. */
export function clinicToday(now: Date = new Date()): string {
  return isoDay.format(now);
}

const clockTime = new Intl.DateTimeFormat("en-US", {
  timeZone: CLINIC_TIME_ZONE,
  hour: "numeric",
  minute: "2-digit",
  timeZoneName: "short",
});

/** The time of day of a moment in New York, with its zone: "9:30 AM EST". For a page that already names the day. */
export function formatClockTime(value: Date | string): string {
  return clockTime.format(new Date(value));
}

const longDay = new Intl.DateTimeFormat("en-US", {
  timeZone: "UTC",
  weekday: "long",
  month: "long",
  day: "numeric",
  year: "numeric",
});

/** A calendar date with its weekday: "Monday, March 9, 2026". */
export function formatLongDate(value: string): string {
  return longDay.format(new Date(`${value}T00:00:00Z`));
}

/**
 * A calendar date (`YYYY-MM-DD`) moved by whole days (negative: earlier). Calendar dates have no
 * zone, so this is plain arithmetic on UTC midnights: cheap enough for the long tables that call it.
 */
export function addDays(day: string, days: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

/** Whole calendar days from one date to another: 1 from a Saturday to the Sunday after it. */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS);
}

/**
 * An instant a number of 24-hour days later (negative: earlier). Deadlines and look-back periods
 * are counted in elapsed time, so a daylight-saving change neither stretches nor shrinks them.
 */
export function plusDays(instant: Date, days: number): Date {
  return addHours(instant, days * 24);
}

/** An instant a number of hours later (negative: earlier). */
export function plusHours(instant: Date, hours: number): Date {
  return addHours(instant, hours);
}

/** The time from one instant to another in 24-hour days, with the fraction: callers round as they mean it. */
export function elapsedDays(from: Date, to: Date): number {
  return (to.getTime() - from.getTime()) / DAY_MS;
}

/** The time from one instant to another in hours, with the fraction. */
export function elapsedHours(from: Date, to: Date): number {
  return (to.getTime() - from.getTime()) / HOUR_MS;
}

const partsFormatter = new Map<string, Intl.DateTimeFormat>();
function formatterFor(timeZone: string) {
  let f = partsFormatter.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
    });
    partsFormatter.set(timeZone, f);
  }
  return f;
}

/** The wall-clock reading of an instant in a zone: `{ date: "2026-03-08", time: "09:30" }`. */
export function wallTime(instant: Date, timeZone: string = CLINIC_TIME_ZONE): { date: string; time: string } {
  const parts = Object.fromEntries(
    formatterFor(timeZone)
      .formatToParts(instant)
      .map((p) => [p.type, p.value]),
  );
  return { date: `${parts.year}-${parts.month}-${parts.day}`, time: `${parts.hour}:${parts.minute}` };
}

/**
 * The instant at which a wall clock in `timeZone` reads `local` ("YYYY-MM-DDTHH:MM"), or null
 * when that reading never happens there (the hour skipped when clocks spring forward). In the
 * repeated autumn hour the first (daylight) reading is taken.
 */
export function zonedToUtc(local: string, timeZone: string = CLINIC_TIME_ZONE): Date | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/.exec(local);
  if (!match) return null;
  const [year, month, day, hour, minute] = match.slice(1).map(Number) as [number, number, number, number, number];
  const instant = new Date(new TZDate(year, month - 1, day, hour, minute, timeZone).getTime());
  // A skipped or impossible reading comes back moved (02:30 to 03:30, 30 February to 2 March).
  return !Number.isNaN(instant.getTime()) && toLocalInput(instant, timeZone) === local ? instant : null;
}

/** The instant a calendar day begins in a zone. Midnight exists every day in New York (clocks change at 2 AM). */
export function startOfDayInZone(day: string, timeZone: string = CLINIC_TIME_ZONE): Date {
  return zonedToUtc(`${day}T00:00`, timeZone)!;
}

/** The value for a `datetime-local` input showing this instant in the clinic's zone. */
export function toLocalInput(instant: Date | string, timeZone: string = CLINIC_TIME_ZONE): string {
  const { date, time } = wallTime(new Date(instant), timeZone);
  return `${date}T${time}`;
}
