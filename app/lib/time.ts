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

/** A moment as the clinic reads it, with its zone named: "Tue, Mar 10, 2026, 9:30 AM EDT". */
export function formatDateTime(value: Date | string): string {
  return dateTime.format(new Date(value));
}

/** A calendar date (`YYYY-MM-DD`), which has no zone: "Mar 10, 2026". */
export function formatDate(value: string): string {
  return dateOnly.format(new Date(`${value}T00:00:00Z`));
}

/** Today's calendar date in New York. */
export function clinicToday(now: Date = new Date()): string {
  return new Intl.DateTimeFormat("en-CA", { timeZone: CLINIC_TIME_ZONE }).format(now);
}
