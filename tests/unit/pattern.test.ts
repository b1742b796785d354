import { describe, expect, it } from "vitest";
import { zonedToUtc } from "~/lib/time";
import { expandPattern } from "~/modules/infusions/pattern";

describe("expandPattern", () => {
  it("books Monday, Wednesday and Friday at one time until the count is reached", () => {
    // 2026-10-19 is a Monday.
    expect(
      expandPattern({ repeat: "weekdays", weekdays: [1, 3, 5], firstDay: "2026-10-19", time: "10:00", count: 6 }),
    ).toEqual([
      "2026-10-19T10:00",
      "2026-10-21T10:00",
      "2026-10-23T10:00",
      "2026-10-26T10:00",
      "2026-10-28T10:00",
      "2026-10-30T10:00",
    ]);
  });

  it("starts at the first chosen weekday on or after the first date", () => {
    // 2026-10-20 is a Tuesday: the course starts on the Wednesday.
    expect(
      expandPattern({ repeat: "weekdays", weekdays: [5, 3], firstDay: "2026-10-20", time: "13:30", count: 3 }),
    ).toEqual(["2026-10-21T13:30", "2026-10-23T13:30", "2026-10-28T13:30"]);
  });

  it("books every other day, and every third day, counting calendar days", () => {
    expect(
      expandPattern({ repeat: "interval", everyDays: 2, firstDay: "2026-10-30", time: "09:00", count: 4 }),
    ).toEqual(["2026-10-30T09:00", "2026-11-01T09:00", "2026-11-03T09:00", "2026-11-05T09:00"]);
    expect(
      expandPattern({ repeat: "interval", everyDays: 3, firstDay: "2026-12-29", time: "15:00", count: 3 }),
    ).toEqual(["2026-12-29T15:00", "2027-01-01T15:00", "2027-01-04T15:00"]);
  });

  it("proposes exactly the count asked for, and nothing for no weekday or no visit", () => {
    expect(
      expandPattern({ repeat: "interval", everyDays: 1, firstDay: "2026-10-19", time: "10:00", count: 12 }),
    ).toHaveLength(12);
    expect(
      expandPattern({ repeat: "weekdays", weekdays: [], firstDay: "2026-10-19", time: "10:00", count: 6 }),
    ).toEqual([]);
    expect(
      expandPattern({ repeat: "interval", everyDays: 2, firstDay: "2026-10-19", time: "10:00", count: 0 }),
    ).toEqual([]);
  });

  it("keeps 10:00 New York time across the November and March changes: the UTC hour moves, the clinic's does not", () => {
    const autumn = expandPattern({
      repeat: "weekdays",
      weekdays: [5, 1],
      firstDay: "2026-10-30",
      time: "10:00",
      count: 2,
    });
    expect(autumn).toEqual(["2026-10-30T10:00", "2026-11-02T10:00"]);
    expect(autumn.map((local) => zonedToUtc(local)!.toISOString())).toEqual([
      "2026-10-30T14:00:00.000Z",
      "2026-11-02T15:00:00.000Z",
    ]);
    const spring = expandPattern({ repeat: "interval", everyDays: 1, firstDay: "2027-03-13", time: "10:00", count: 2 });
    expect(spring.map((local) => zonedToUtc(local)!.toISOString())).toEqual([
      "2027-03-13T15:00:00.000Z",
      "2027-03-14T14:00:00.000Z",
    ]);
  });
});
