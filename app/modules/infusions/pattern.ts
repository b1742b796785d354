import { addDays } from "~/lib/time";
import { weekday } from "./clinic-day";

/**
 * How a clinician describes a course instead of typing each date: on chosen weekdays (Monday,
 * Wednesday, Friday) or every so many days (every other day), at one time of day, for a number of
 * visits, from a first date.
 */
export type CoursePattern = {
  firstDay: string;
  /** The New York wall-clock time every visit starts at, "HH:MM". */
  time: string;
  count: number;
} & ({ repeat: "weekdays"; weekdays: readonly number[] } | { repeat: "interval"; everyDays: number });

/** The weekdays a clinician can tick, Monday first as a clinic week runs (0 is Sunday). */
export const WEEKDAYS = [
  { value: "1", label: "Mon" },
  { value: "2", label: "Tue" },
  { value: "3", label: "Wed" },
  { value: "4", label: "Thu" },
  { value: "5", label: "Fri" },
  { value: "6", label: "Sat" },
  { value: "0", label: "Sun" },
] as const;

/**
 * The visits a pattern proposes, as wall-clock readings "YYYY-MM-DDTHH:MM" of the clinic's zone:
 * a course keeps its time of day across a daylight-saving change (10:00 stays 10:00), so the
 * pattern is expanded in calendar days, never by adding 24-hour steps to an instant. The first
 * date counts only when it falls on a chosen weekday. No weekday ticked proposes nothing.
 */
export function expandPattern(pattern: CoursePattern): string[] {
  const days: string[] = [];
  if (pattern.count < 1) return days;
  if (pattern.repeat === "interval") {
    const step = Math.max(1, Math.floor(pattern.everyDays));
    for (let i = 0; i < pattern.count; i++) days.push(addDays(pattern.firstDay, i * step));
  } else {
    const chosen = new Set(pattern.weekdays);
    if (chosen.size === 0) return days;
    for (let day = pattern.firstDay; days.length < pattern.count; day = addDays(day, 1))
      if (chosen.has(weekday(day))) days.push(day);
  }
  return days.map((day) => `${day}T${pattern.time}`);
}
