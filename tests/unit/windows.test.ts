import { describe, expect, it } from "vitest";
import { toLocalInput, wallTime, zonedToUtc } from "~/lib/time";
import { rescheduleSchema, scheduleSchema } from "~/modules/infusions/schema";
import {
  clinicDay,
  courseWarnings,
  DEFAULT_VISIT_SETTINGS,
  isInWindow,
  proposalConflicts,
  visitTimes,
  windowFor,
  withinClinicHours,
  type ClinicHours,
} from "~/modules/infusions/windows";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const NY = "America/New_York";
const HOURS: ClinicHours = { opens_at: "08:00", closes_at: "19:00", time_zone: NY };

/** New York wall time to an instant; fails the test if that reading does not exist. */
function ny(local: string): Date {
  const instant = zonedToUtc(local, NY);
  if (!instant) throw new Error(`${local} does not exist in New York`);
  return instant;
}

const at = (iso: string) => new Date(iso);

/** A visit row as the database returns it, from a New York start time. */
function visitRow(id: string, local: string, status = "scheduled") {
  const t = visitTimes(ny(local), DEFAULT_VISIT_SETTINGS);
  return { id, status, starts_at: t.startsAt, ends_at: t.endsAt, window_closes_at: t.windowClosesAt };
}

describe("visitTimes", () => {
  it("ends the visit 90 minutes after it starts and opens the window then, for 72 hours", () => {
    const t = visitTimes(at("2026-10-14T14:00:00Z"), DEFAULT_VISIT_SETTINGS);
    expect(t.endsAt.toISOString()).toBe("2026-10-14T15:30:00.000Z");
    expect(t.windowOpensAt.toISOString()).toBe("2026-10-14T15:30:00.000Z");
    expect(t.windowClosesAt.toISOString()).toBe("2026-10-17T15:30:00.000Z");
  });

  it("follows the clinic's settings", () => {
    const t = visitTimes(at("2026-10-14T14:00:00Z"), { visitMinutes: 120, infusionMinutes: 40, windowHours: 48 });
    expect(t.endsAt.toISOString()).toBe("2026-10-14T16:00:00.000Z");
    expect(t.windowClosesAt.toISOString()).toBe("2026-10-16T16:00:00.000Z");
  });
});

describe("a course across the November change (2026-11-01, EDT to EST)", () => {
  const course = ["2026-10-28T10:00", "2026-10-30T10:00", "2026-11-02T10:00", "2026-11-04T10:00"].map((l, i) =>
    visitRow(`v${i + 1}`, l),
  );
  const [, friday, monday] = course;

  it("starts every visit at 10:00 New York time, an hour later in UTC after the change", () => {
    expect(course.map((v) => v.starts_at.toISOString())).toEqual([
      "2026-10-28T14:00:00.000Z",
      "2026-10-30T14:00:00.000Z",
      "2026-11-02T15:00:00.000Z",
      "2026-11-04T15:00:00.000Z",
    ]);
    expect(course.map((v) => wallTime(v.starts_at, NY).time)).toEqual(["10:00", "10:00", "10:00", "10:00"]);
  });

  it("keeps each window exactly 72 hours of absolute time", () => {
    for (const v of course) expect(v.window_closes_at.getTime() - v.ends_at.getTime()).toBe(72 * HOUR);
  });

  it("shows the window closing an hour earlier on the wall clock when the change falls inside it", () => {
    expect(wallTime(friday!.ends_at, NY)).toEqual({ date: "2026-10-30", time: "11:30" });
    expect(wallTime(friday!.window_closes_at, NY)).toEqual({ date: "2026-11-02", time: "10:30" });
    // A window with no change inside it opens and closes at the same wall-clock time.
    expect(wallTime(monday!.ends_at, NY).time).toBe("11:30");
    expect(wallTime(monday!.window_closes_at, NY)).toEqual({ date: "2026-11-05", time: "11:30" });
  });

  it("finds the window holding a session by absolute time, not by wall-clock time", () => {
    // 10:15 EST on Monday is inside Friday's window (closes 10:30 EST), before Monday's visit ends.
    expect(windowFor(ny("2026-11-02T10:15"), course)?.id).toBe("v2");
    // 10:45 EST: Friday's window closed at 10:30 EST, although 72 h after 11:30 EDT "looks like" 11:30.
    expect(windowFor(ny("2026-11-02T10:45"), course)).toBeUndefined();
    expect(windowFor(ny("2026-11-02T11:30"), course)?.id).toBe("v3");
  });

  it("reads clinic hours in local time on both sides of the change", () => {
    const within = (iso: string) => {
      const t = visitTimes(at(iso), DEFAULT_VISIT_SETTINGS);
      return withinClinicHours(t.startsAt, t.endsAt, HOURS);
    };
    // 12:00 UTC is 08:00 EDT on Friday (open) but 07:00 EST on Monday (closed).
    expect(within("2026-10-30T12:00:00Z")).toBe(true);
    expect(within("2026-11-02T12:00:00Z")).toBe(false);
    expect(within("2026-11-02T13:00:00Z")).toBe(true);
    // The last start that ends by 19:00 is 17:30 local: 21:30 UTC before, 22:30 UTC after.
    expect(within("2026-10-30T21:30:00Z")).toBe(true);
    expect(within("2026-10-30T21:31:00Z")).toBe(false);
    expect(within("2026-11-02T22:30:00Z")).toBe(true);
    expect(within("2026-11-02T22:31:00Z")).toBe(false);
    expect(within("2026-10-30T22:30:00Z")).toBe(false);
  });
});

describe("a course across the March change (2027-03-14, EST to EDT)", () => {
  const course = ["2027-03-10T10:00", "2027-03-12T10:00", "2027-03-15T10:00", "2027-03-17T10:00"].map((l, i) =>
    visitRow(`m${i + 1}`, l),
  );
  const [, friday, monday] = course;

  it("starts every visit at 10:00 New York time, an hour earlier in UTC after the change", () => {
    expect(course.map((v) => v.starts_at.toISOString())).toEqual([
      "2027-03-10T15:00:00.000Z",
      "2027-03-12T15:00:00.000Z",
      "2027-03-15T14:00:00.000Z",
      "2027-03-17T14:00:00.000Z",
    ]);
  });

  it("keeps the window 72 hours and shows it closing an hour later on the wall clock", () => {
    expect(friday!.window_closes_at.getTime() - friday!.ends_at.getTime()).toBe(72 * HOUR);
    expect(wallTime(friday!.ends_at, NY)).toEqual({ date: "2027-03-12", time: "11:30" });
    expect(wallTime(friday!.window_closes_at, NY)).toEqual({ date: "2027-03-15", time: "12:30" });
    // So Monday's visit (ends 11:30 EDT) starts while Friday's window is still open.
    expect(windowFor(ny("2027-03-15T12:00"), course)?.id).toBe(monday!.id);
    expect(isInWindow(ny("2027-03-15T12:00"), friday!)).toBe(true);
    expect(isInWindow(ny("2027-03-15T12:30"), friday!)).toBe(false);
  });

  it("reads clinic hours in local time on both sides of the change", () => {
    const within = (iso: string) => {
      const t = visitTimes(at(iso), DEFAULT_VISIT_SETTINGS);
      return withinClinicHours(t.startsAt, t.endsAt, HOURS);
    };
    // 12:30 UTC is 07:30 EST on Friday (closed) but 08:30 EDT on Monday (open).
    expect(within("2027-03-12T12:30:00Z")).toBe(false);
    expect(within("2027-03-12T13:00:00Z")).toBe(true);
    expect(within("2027-03-15T12:30:00Z")).toBe(true);
    expect(within("2027-03-15T11:59:00Z")).toBe(false);
    // 17:30 local is 22:30 UTC before the change and 21:30 UTC after it.
    expect(within("2027-03-12T22:30:00Z")).toBe(true);
    expect(within("2027-03-15T22:30:00Z")).toBe(false);
    expect(within("2027-03-15T21:30:00Z")).toBe(true);
  });
});

describe("isInWindow and windowFor", () => {
  const visit = visitRow("a", "2026-10-14T10:00");

  it("opens the window when the visit ends and closes it 72 hours later (end excluded)", () => {
    expect(isInWindow(new Date(visit.ends_at.getTime() - 1), visit)).toBe(false);
    expect(isInWindow(visit.ends_at, visit)).toBe(true);
    expect(isInWindow(new Date(visit.window_closes_at.getTime() - 1), visit)).toBe(true);
    expect(isInWindow(visit.window_closes_at, visit)).toBe(false);
  });

  it("takes the latest visit when windows overlap, and ignores cancelled visits", () => {
    const later = visitRow("b", "2026-10-15T10:00");
    const moment = ny("2026-10-15T14:00");
    expect(windowFor(moment, [visit, later])?.id).toBe("b");
    expect(windowFor(moment, [later, visit])?.id).toBe("b");
    expect(windowFor(moment, [visit, { ...later, status: "cancelled" }])?.id).toBe("a");
    expect(
      windowFor(moment, [
        { ...visit, status: "cancelled" },
        { ...later, status: "cancelled" },
      ]),
    ).toBeUndefined();
    // Held visits keep their windows.
    expect(windowFor(moment, [{ ...visit, status: "held" }])?.id).toBe("a");
  });
});

describe("clinicDay", () => {
  it("is the New York date, not the UTC date", () => {
    expect(clinicDay(at("2026-10-31T02:00:00Z"))).toBe("2026-10-30");
    expect(clinicDay(at("2026-10-31T04:00:00Z"))).toBe("2026-10-31");
    // After the change the New York day starts at 05:00 UTC.
    expect(clinicDay(at("2026-11-03T04:30:00Z"))).toBe("2026-11-02");
    expect(clinicDay(at("2026-11-03T05:00:00Z"))).toBe("2026-11-03");
  });
});

describe("proposalConflicts", () => {
  const starts = (...locals: string[]) => locals.map(ny);

  it("accepts one visit a day inside clinic hours", () => {
    expect(
      proposalConflicts(
        starts("2026-10-28T08:00", "2026-10-30T17:30", "2026-11-02T08:00", "2026-11-04T17:30"),
        DEFAULT_VISIT_SETTINGS,
        HOURS,
      ),
    ).toEqual([]);
  });

  it("refuses two visits on one New York day", () => {
    const problems = proposalConflicts(
      starts("2026-10-30T08:00", "2026-10-30T16:00", "2026-11-02T10:00"),
      DEFAULT_VISIT_SETTINGS,
      HOURS,
    );
    expect(problems).toEqual(["Two visits on 2026-10-30: a patient has at most one infusion visit a day."]);
  });

  it("counts the day in New York even when a late visit falls on the next UTC day", () => {
    const lateHours: ClinicHours = { opens_at: "08:00", closes_at: "22:00", time_zone: NY };
    // 20:00 EDT on the 30th is 00:00 UTC on the 31st; 20:00 EST on 2 November is 01:00 UTC on the 3rd.
    expect(
      proposalConflicts(starts("2026-10-30T10:00", "2026-10-30T20:00"), DEFAULT_VISIT_SETTINGS, lateHours),
    ).toEqual(["Two visits on 2026-10-30: a patient has at most one infusion visit a day."]);
    expect(
      proposalConflicts(starts("2026-11-02T20:00", "2026-11-03T08:00"), DEFAULT_VISIT_SETTINGS, lateHours),
    ).toEqual([]);
  });

  it("refuses a visit that starts before opening or ends after closing, naming the local time", () => {
    const problems = proposalConflicts(
      starts("2026-11-02T07:30", "2026-11-03T17:31", "2026-11-04T10:00"),
      DEFAULT_VISIT_SETTINGS,
      HOURS,
    );
    expect(problems).toHaveLength(2);
    expect(problems[0]).toContain("on 2026-11-02 at 07:30");
    expect(problems[1]).toContain("on 2026-11-03 at 17:31");
    expect(problems[0]).toContain("08:00–19:00");
  });

  it("gives every reason at once", () => {
    const problems = proposalConflicts(starts("2026-11-02T07:00", "2026-11-02T10:00"), DEFAULT_VISIT_SETTINGS, HOURS);
    expect(problems).toHaveLength(2);
  });
});

describe("courseWarnings", () => {
  /** `count` visits at 10:00 New York time, one a day from 2026-10-26 (spanning `count - 1` days). */
  const daily = (count: number) =>
    Array.from({ length: count }, (_, i) => new Date(ny("2026-10-26T10:00").getTime() + i * DAY));
  const countWarning = (w: string[]) => w.filter((m) => m.includes("a typical initial course has 4 to 6"));

  it("warns below 4 and above 6 visits, not at 4 or 6", () => {
    expect(countWarning(courseWarnings(daily(3), "course"))).toEqual([
      "This course has 3 visits; a typical initial course has 4 to 6.",
    ]);
    expect(courseWarnings(daily(4), "course")).toEqual([]);
    expect(courseWarnings(daily(6), "course")).toEqual([]);
    expect(countWarning(courseWarnings(daily(7), "course"))).toEqual([
      "This course has 7 visits; a typical initial course has 4 to 6.",
    ]);
    expect(courseWarnings(daily(1), "course")).toEqual([
      "This course has 1 visit; a typical initial course has 4 to 6.",
    ]);
  });

  it("warns when the visits span more than 14 days, not at 14", () => {
    const first = ny("2026-10-05T10:00");
    const fourteen = [first, ny("2026-10-08T10:00"), ny("2026-10-12T10:00"), ny("2026-10-19T10:00")];
    const fifteen = [first, ny("2026-10-08T10:00"), ny("2026-10-12T10:00"), ny("2026-10-20T10:00")];
    expect(courseWarnings(fourteen, "course")).toEqual([]);
    expect(courseWarnings(fifteen, "course")).toEqual([
      "The visits span 15 days; a typical course runs over 1 to 2 weeks.",
    ]);
  });

  it("counts the span in clinic days, whatever the hour of the first and last visit", () => {
    // Monday 08:00 to the Monday two weeks later at 17:30: 14 days on the calendar, 14.4 in hours.
    const course = [ny("2026-10-05T08:00"), ny("2026-10-08T10:00"), ny("2026-10-12T10:00"), ny("2026-10-19T17:30")];
    expect(courseWarnings(course, "course")).toEqual([]);
  });

  it("counts the span in clinic days across the November change (14 days and one hour of absolute time)", () => {
    const course = [ny("2026-10-26T10:00"), ny("2026-10-30T10:00"), ny("2026-11-04T10:00"), ny("2026-11-09T10:00")];
    expect(course[3]!.getTime() - course[0]!.getTime()).toBe(14 * DAY + HOUR);
    expect(courseWarnings(course, "course")).toEqual([]);
    const longer = [...course.slice(0, 3), ny("2026-11-10T10:00")];
    expect(courseWarnings(longer, "course")).toEqual([
      "The visits span 15 days; a typical course runs over 1 to 2 weeks.",
    ]);
  });

  it("is order-independent and gives both warnings together", () => {
    const scattered = [ny("2026-11-20T10:00"), ny("2026-10-26T10:00"), ny("2026-11-02T10:00")];
    expect(courseWarnings(scattered, "course")).toEqual([
      "This course has 3 visits; a typical initial course has 4 to 6.",
      "The visits span 25 days; a typical course runs over 1 to 2 weeks.",
    ]);
  });

  it("never warns about booster visits or an empty proposal", () => {
    expect(courseWarnings(daily(1), "booster")).toEqual([]);
    expect(courseWarnings([ny("2026-10-01T10:00"), ny("2026-11-20T10:00")], "booster")).toEqual([]);
    expect(courseWarnings([], "course")).toEqual([]);
  });
});

describe("zonedToUtc", () => {
  it("reads ordinary New York times in EDT and EST", () => {
    expect(zonedToUtc("2026-07-15T10:30")?.toISOString()).toBe("2026-07-15T14:30:00.000Z");
    expect(zonedToUtc("2026-12-15T10:30")?.toISOString()).toBe("2026-12-15T15:30:00.000Z");
  });

  it("returns null in the hour skipped when clocks spring forward (2027-03-14 and 2026-03-08)", () => {
    expect(zonedToUtc("2027-03-14T01:59")?.toISOString()).toBe("2027-03-14T06:59:00.000Z");
    expect(zonedToUtc("2027-03-14T02:00")).toBeNull();
    expect(zonedToUtc("2027-03-14T02:30")).toBeNull();
    expect(zonedToUtc("2027-03-14T02:59")).toBeNull();
    expect(zonedToUtc("2027-03-14T03:00")?.toISOString()).toBe("2027-03-14T07:00:00.000Z");
    expect(zonedToUtc("2026-03-08T02:30")).toBeNull();
  });

  it("takes the first (daylight) reading in the hour repeated when clocks fall back (2026-11-01)", () => {
    expect(zonedToUtc("2026-11-01T00:59")?.toISOString()).toBe("2026-11-01T04:59:00.000Z");
    expect(zonedToUtc("2026-11-01T01:00")?.toISOString()).toBe("2026-11-01T05:00:00.000Z");
    expect(zonedToUtc("2026-11-01T01:30")?.toISOString()).toBe("2026-11-01T05:30:00.000Z");
    expect(zonedToUtc("2026-11-01T01:59")?.toISOString()).toBe("2026-11-01T05:59:00.000Z");
    expect(zonedToUtc("2026-11-01T02:00")?.toISOString()).toBe("2026-11-01T07:00:00.000Z");
    // Both instants read 01:30 on the wall clock; the second one is an hour later.
    expect(wallTime(at("2026-11-01T06:30:00Z"), NY)).toEqual({ date: "2026-11-01", time: "01:30" });
  });

  it("refuses malformed and impossible readings", () => {
    expect(zonedToUtc("2026-02-30T10:00")).toBeNull();
    expect(zonedToUtc("2026-10-14 10:00")).toBeNull();
    expect(zonedToUtc("2026-10-14T25:00")).toBeNull();
    expect(zonedToUtc("")).toBeNull();
  });

  it("round-trips every quarter hour of both change days through toLocalInput", () => {
    for (const day of ["2026-11-01", "2027-03-14", "2026-03-08"]) {
      for (let minutes = 0; minutes < 24 * 60; minutes += 15) {
        const local = `${day}T${String(Math.floor(minutes / 60)).padStart(2, "0")}:${String(minutes % 60).padStart(2, "0")}`;
        const instant = zonedToUtc(local);
        if (day !== "2026-11-01" && local.slice(11, 13) === "02") {
          expect(instant, local).toBeNull();
        } else {
          expect(instant, local).not.toBeNull();
          expect(toLocalInput(instant!), local).toBe(local);
        }
      }
    }
  });
});

describe("the schedule forms read New York wall time", () => {
  it("refuses a start in the skipped hour with a message, and reads others as New York time", () => {
    const id = "7f0c1d2e-3a4b-4c5d-8e6f-7a8b9c0d1e2f";
    const skipped = rescheduleSchema.safeParse({ visitId: id, startsAt: "2027-03-14T02:30" });
    expect(skipped.success).toBe(false);
    expect(skipped.error!.issues[0]!.message).toBe(
      "The new start time does not exist in New York (the clocks skip that hour).",
    );
    const ok = rescheduleSchema.safeParse({ visitId: id, startsAt: "2027-03-15T10:00" });
    expect(ok.success && ok.data.startsAt.toISOString()).toBe("2027-03-15T14:00:00.000Z");
  });

  it("drops blank visit rows and converts each start", () => {
    const parsed = scheduleSchema.parse({
      locationId: "chelsea",
      clinicianId: "7f0c1d2e-3a4b-4c5d-8e6f-7a8b9c0d1e2f",
      kind: "course",
      visit: ["2026-10-30T10:00", " ", "2026-11-02T10:00"],
    });
    expect(parsed.visit.map((d) => d.toISOString())).toEqual(["2026-10-30T14:00:00.000Z", "2026-11-02T15:00:00.000Z"]);
  });
});
