export const CLINIC_TIME_ZONE = "America/New_York";

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
