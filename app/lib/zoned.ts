import { CLINIC_TIME_ZONE } from "./time";

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
      second: "2-digit",
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

function offsetMs(instant: Date, timeZone: string): number {
  const { date, time } = wallTime(instant, timeZone);
  const seconds = instant.getUTCSeconds();
  return (
    Date.parse(`${date}T${time}:${String(seconds).padStart(2, "0")}Z`) -
    (instant.getTime() - instant.getUTCMilliseconds())
  );
}

/**
 * The instant at which a wall clock in `timeZone` reads `local` ("YYYY-MM-DDTHH:MM"), or null
 * when that reading never happens there (the hour skipped when clocks spring forward). In the
 * repeated autumn hour the first (daylight) reading is taken.
 */
export function zonedToUtc(local: string, timeZone: string = CLINIC_TIME_ZONE): Date | null {
  const match = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})$/.exec(local);
  if (!match) return null;
  const asUtc = Date.parse(`${local}:00Z`);
  if (Number.isNaN(asUtc)) return null;
  const offsets = new Set([-1, 0, 1].map((days) => offsetMs(new Date(asUtc + days * 86_400_000), timeZone)));
  for (const guess of [...offsets].map((o) => asUtc - o).sort((a, b) => a - b)) {
    const instant = new Date(guess);
    const back = wallTime(instant, timeZone);
    if (back.date === match[1] && back.time === match[2]) return instant;
  }
  return null;
}

/** The value for a `datetime-local` input showing this instant in the clinic's zone. */
export function toLocalInput(instant: Date | string, timeZone: string = CLINIC_TIME_ZONE): string {
  const { date, time } = wallTime(new Date(instant), timeZone);
  return `${date}T${time}`;
}
