import { describe, expect, it } from "vitest";
import {
  addDays,
  clinicToday,
  daysBetween,
  elapsedDays,
  elapsedHours,
  formatDate,
  formatDateTime,
  plusDays,
  plusHours,
  startOfDayInZone,
} from "~/lib/time";

// ICU puts a narrow no-break space before AM/PM; compare with plain spaces.
const plain = (s: string) => s.replace(/[\u202f\u00a0]/g, " ");
const at = (iso: string) => plain(formatDateTime(iso));

describe("formatDateTime", () => {
  it("names the zone: EST in winter, EDT in summer", () => {
    expect(at("2026-01-15T14:30:00Z")).toBe("Thu, Jan 15, 2026, 9:30 AM EST");
    expect(at("2026-07-15T14:30:00Z")).toBe("Wed, Jul 15, 2026, 10:30 AM EDT");
  });

  it("is right across the spring change on 2026-03-08", () => {
    // 2:00 AM EST jumps to 3:00 AM EDT at 07:00 UTC.
    expect(at("2026-03-08T06:59:00Z")).toBe("Sun, Mar 8, 2026, 1:59 AM EST");
    expect(at("2026-03-08T07:00:00Z")).toBe("Sun, Mar 8, 2026, 3:00 AM EDT");
    expect(at("2026-03-08T14:30:00Z")).toBe("Sun, Mar 8, 2026, 10:30 AM EDT");
    expect(at("2026-03-07T14:30:00Z")).toBe("Sat, Mar 7, 2026, 9:30 AM EST");
  });

  it("is right across the autumn change on 2026-11-01, naming which 1:30 AM it is", () => {
    // 2:00 AM EDT falls back to 1:00 AM EST at 06:00 UTC: 1:30 AM happens twice.
    expect(at("2026-11-01T05:30:00Z")).toBe("Sun, Nov 1, 2026, 1:30 AM EDT");
    expect(at("2026-11-01T06:30:00Z")).toBe("Sun, Nov 1, 2026, 1:30 AM EST");
    expect(at("2026-11-01T15:00:00Z")).toBe("Sun, Nov 1, 2026, 10:00 AM EST");
    expect(at("2026-10-31T14:00:00Z")).toBe("Sat, Oct 31, 2026, 10:00 AM EDT");
  });

  it("accepts a Date as well as a string", () => {
    expect(plain(formatDateTime(new Date("2026-03-08T07:00:00Z")))).toBe(at("2026-03-08T07:00:00Z"));
  });
});

describe("formatDate", () => {
  it("shows a calendar date as written, whatever the zone", () => {
    expect(formatDate("2026-03-08")).toBe("Mar 8, 2026");
    expect(formatDate("2026-11-01")).toBe("Nov 1, 2026");
    expect(formatDate("2026-12-31")).toBe("Dec 31, 2026");
    expect(formatDate("2027-01-01")).toBe("Jan 1, 2027");
  });
});

describe("clinicToday", () => {
  it("turns over at midnight in New York, not in UTC", () => {
    expect(clinicToday(new Date("2026-01-16T04:59:59Z"))).toBe("2026-01-15");
    expect(clinicToday(new Date("2026-01-16T05:00:00Z"))).toBe("2026-01-16");
    expect(clinicToday(new Date("2026-07-16T03:59:59Z"))).toBe("2026-07-15");
    expect(clinicToday(new Date("2026-07-16T04:00:00Z"))).toBe("2026-07-16");
  });

  it("is right on the days the clocks change", () => {
    expect(clinicToday(new Date("2026-03-08T04:59:00Z"))).toBe("2026-03-07");
    expect(clinicToday(new Date("2026-03-08T05:00:00Z"))).toBe("2026-03-08");
    expect(clinicToday(new Date("2026-03-09T03:59:00Z"))).toBe("2026-03-08");
    expect(clinicToday(new Date("2026-11-02T04:59:00Z"))).toBe("2026-11-01");
    expect(clinicToday(new Date("2026-11-02T05:00:00Z"))).toBe("2026-11-02");
  });
});

describe("calendar dates", () => {
  it("move by whole days across month, year and both daylight-saving changes", () => {
    expect(addDays("2026-03-07", 1)).toBe("2026-03-08");
    expect(addDays("2026-03-08", 1)).toBe("2026-03-09");
    expect(addDays("2026-10-31", 1)).toBe("2026-11-01");
    expect(addDays("2026-11-01", 1)).toBe("2026-11-02");
    expect(addDays("2026-12-31", 1)).toBe("2027-01-01");
    expect(addDays("2028-03-01", -1)).toBe("2028-02-29");
    expect(addDays("2026-10-20", -60)).toBe("2026-08-21");
  });

  it("count the days between them, negative when the second comes first", () => {
    expect(daysBetween("2026-03-07", "2026-03-09")).toBe(2);
    expect(daysBetween("2026-10-31", "2026-11-02")).toBe(2);
    expect(daysBetween("2026-11-02", "2026-10-31")).toBe(-2);
    expect(daysBetween("2026-03-08", "2026-03-08")).toBe(0);
  });
});

describe("instants", () => {
  it("move by 24-hour days, so a day across the spring change ends an hour later on the wall clock", () => {
    // 9:30 AM EST on Saturday; a day later it is 10:30 AM EDT.
    expect(plusDays(new Date("2026-03-07T14:30:00Z"), 1).toISOString()).toBe("2026-03-08T14:30:00.000Z");
    expect(plain(formatDateTime(plusDays(new Date("2026-03-07T14:30:00Z"), 1)))).toBe("Sun, Mar 8, 2026, 10:30 AM EDT");
  });

  it("move by 24-hour days across the autumn change, and back", () => {
    const before = new Date("2026-10-31T13:30:00Z");
    expect(plusDays(before, 1).toISOString()).toBe("2026-11-01T13:30:00.000Z");
    expect(plain(formatDateTime(plusDays(before, 1)))).toBe("Sun, Nov 1, 2026, 8:30 AM EST");
    expect(plusDays(plusDays(before, 30), -30).toISOString()).toBe(before.toISOString());
  });

  it("move by hours and measure elapsed days and hours", () => {
    const start = new Date("2026-11-01T04:00:00Z");
    expect(plusHours(start, 72).toISOString()).toBe("2026-11-04T04:00:00.000Z");
    expect(elapsedDays(start, plusHours(start, 36))).toBe(1.5);
    expect(elapsedHours(start, plusDays(start, -1))).toBe(-24);
  });
});

describe("days in a zone", () => {
  it("starts a New York day at local midnight, in EST or EDT", () => {
    expect(startOfDayInZone("2026-03-08").toISOString()).toBe("2026-03-08T05:00:00.000Z");
    expect(startOfDayInZone("2026-03-09").toISOString()).toBe("2026-03-09T04:00:00.000Z");
    expect(startOfDayInZone("2026-11-01").toISOString()).toBe("2026-11-01T04:00:00.000Z");
    expect(startOfDayInZone("2026-11-02").toISOString()).toBe("2026-11-02T05:00:00.000Z");
  });

  it("has the spring change day last 23 hours and the autumn one 25", () => {
    const length = (day: string) => elapsedHours(startOfDayInZone(day), startOfDayInZone(addDays(day, 1)));
    expect(length("2026-03-08")).toBe(23);
    expect(length("2026-11-01")).toBe(25);
    expect(length("2026-07-15")).toBe(24);
  });

  it("starts a day in another zone too", () => {
    expect(startOfDayInZone("2026-07-15", "UTC").toISOString()).toBe("2026-07-15T00:00:00.000Z");
    expect(startOfDayInZone("2026-07-15", "America/Los_Angeles").toISOString()).toBe("2026-07-15T07:00:00.000Z");
  });
});
