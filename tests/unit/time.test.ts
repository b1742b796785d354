import { describe, expect, it } from "vitest";
import { clinicToday, formatDate, formatDateTime } from "~/lib/time";

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
