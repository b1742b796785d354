import { wallTime, addDays, startOfDayInZone } from "~/lib/time";
import type { ClinicHours } from "./windows";

const ISO_DAY = /^\d{4}-\d{2}-\d{2}$/;

/** 0 for Sunday … 6 for Saturday, for a calendar date. */
export const weekday = (day: string) => new Date(`${day}T00:00:00Z`).getUTCDay();

/** The Monday that starts the clinic week holding `day`. */
export const mondayOf = (day: string) => addDays(day, -((weekday(day) + 6) % 7));

/** A `YYYY-MM-DD` from a query string that names a real date, or null. */
export function parseDay(value: string | null): string | null {
  if (!value || !ISO_DAY.test(value)) return null;
  const parsed = Date.parse(`${value}T00:00:00Z`);
  return Number.isNaN(parsed) || new Date(parsed).toISOString().slice(0, 10) !== value ? null : value;
}

/**
 * The instants that bound whole clinic days, from the first midnight to the midnight after the
 * last day. Midnight exists every day in New York (clocks change at 2 AM), so neither is null.
 */
export function clinicDaysSpan(first: string, days: number, timeZone: string) {
  return { from: startOfDayInZone(first, timeZone), to: startOfDayInZone(addDays(first, days), timeZone) };
}

export interface FreeSlot {
  from: string;
  to: string;
  /** How many whole visits fit end to end. */
  visits: number;
}

const minutesOf = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));
const hhmmOf = (minutes: number) =>
  `${String(Math.floor(minutes / 60)).padStart(2, "0")}:${String(minutes % 60).padStart(2, "0")}`;

/**
 * The stretches of a clinic day, within its opening hours, when no visit is running at the clinic
 * and a whole visit still fits: where the next booking can go. Cancelled visits free their time.
 * Read as wall-clock times of the clinic's zone.
 */
export function freeSlots(
  day: string,
  hours: ClinicHours,
  visits: { starts_at: string | Date; ends_at: string | Date; status: string }[],
  visitMinutes: number,
): FreeSlot[] {
  const opens = minutesOf(hours.opens_at);
  const closes = minutesOf(hours.closes_at);
  const busy = visits
    .filter((v) => v.status !== "cancelled")
    .map((v) => {
      const start = wallTime(new Date(v.starts_at), hours.time_zone);
      const end = wallTime(new Date(v.ends_at), hours.time_zone);
      return { from: start.date < day ? 0 : minutesOf(start.time), to: end.date > day ? 24 * 60 : minutesOf(end.time) };
    })
    .sort((a, b) => a.from - b.from);
  const slots: FreeSlot[] = [];
  let cursor = opens;
  for (const b of [...busy, { from: closes, to: closes }]) {
    const end = Math.min(b.from, closes);
    if (end - cursor >= visitMinutes)
      slots.push({ from: hhmmOf(cursor), to: hhmmOf(end), visits: Math.floor((end - cursor) / visitMinutes) });
    cursor = Math.max(cursor, b.to);
  }
  return slots;
}

/** Visits grouped by clinic day over `days` days from `firstDay`, each day with its free time. */
export function clinicDays<V extends { starts_at: string; ends_at: string; status: string }>(
  firstDay: string,
  days: number,
  visits: V[],
  hours: ClinicHours,
  visitMinutes: number,
) {
  return Array.from({ length: days }, (_, i) => {
    const day = addDays(firstDay, i);
    const onDay = visits.filter((v) => wallTime(new Date(v.starts_at), hours.time_zone).date === day);
    return { day, visits: onDay, slots: freeSlots(day, hours, onDay, visitMinutes) };
  });
}
