import ICAL from "ical.js";
import { describe, expect, it } from "vitest";
import { renderCalendar, type CalendarEvent } from "~/modules/infusions/ical";

const NOW = new Date("2026-10-20T13:00:00Z");

function event(overrides: Partial<CalendarEvent> = {}): CalendarEvent {
  return {
    uid: "visit-7f0c1d2e@ember-portal",
    start: new Date("2026-10-30T14:00:00Z"),
    end: new Date("2026-10-30T15:30:00Z"),
    summary: "Ketamine infusion — A.L. (Chelsea)",
    sequence: 0,
    cancelled: false,
    lastModified: new Date("2026-10-19T12:00:00Z"),
    ...overrides,
  };
}

function parse(ics: string) {
  const calendar = new ICAL.Component(ICAL.parse(ics));
  return {
    calendar,
    events: calendar.getAllSubcomponents("vevent").map((component) => {
      const e = new ICAL.Event(component);
      return {
        uid: e.uid,
        start: e.startDate.toJSDate(),
        end: e.endDate.toJSDate(),
        sequence: e.sequence,
        status: component.getFirstPropertyValue("status"),
        summary: e.summary,
        description: e.description,
        location: e.location,
        transp: component.getFirstPropertyValue("transp"),
      };
    }),
  };
}

describe("renderCalendar", () => {
  it("parses as one calendar with an event per input, each with its UID and instants", () => {
    const events = [
      event(),
      event({
        uid: "window-7f0c1d2e@ember-portal",
        start: new Date("2026-10-30T15:30:00Z"),
        end: new Date("2026-11-02T15:30:00Z"),
        summary: "Therapy window — A.L.",
      }),
    ];
    const { calendar, events: parsed } = parse(renderCalendar("Ember infusions", events, NOW));
    expect(calendar.name).toBe("vcalendar");
    expect(calendar.getFirstPropertyValue("version")).toBe("2.0");
    expect(calendar.getFirstPropertyValue("x-wr-calname")).toBe("Ember infusions");
    expect(parsed.map((e) => e.uid)).toEqual(["visit-7f0c1d2e@ember-portal", "window-7f0c1d2e@ember-portal"]);
    expect(parsed.map((e) => [e.start.toISOString(), e.end.toISOString()])).toEqual([
      ["2026-10-30T14:00:00.000Z", "2026-10-30T15:30:00.000Z"],
      ["2026-10-30T15:30:00.000Z", "2026-11-02T15:30:00.000Z"],
    ]);
    // Visits block time; windows do not.
    expect(parsed.map((e) => e.transp)).toEqual(["OPAQUE", "TRANSPARENT"]);
  });

  it("writes times in UTC (Z), so calendar clients need no time-zone definition", () => {
    const ics = renderCalendar("Ember", [event()], NOW);
    expect(ics).toContain("\r\nDTSTART:20261030T140000Z\r\n");
    expect(ics).toContain("\r\nDTEND:20261030T153000Z\r\n");
    expect(ics).toContain("\r\nDTSTAMP:20261020T130000Z\r\n");
    expect(ics).toContain("\r\nLAST-MODIFIED:20261019T120000Z\r\n");
    const [parsed] = parse(ics).events;
    expect(parsed!.start.getTime()).toBe(Date.parse("2026-10-30T14:00:00Z"));
  });

  it("carries SEQUENCE and STATUS:CONFIRMED or STATUS:CANCELLED", () => {
    const { events } = parse(
      renderCalendar(
        "Ember",
        [event({ uid: "a@ember-portal", sequence: 0 }), event({ uid: "b@ember-portal", sequence: 3, cancelled: true })],
        NOW,
      ),
    );
    expect(events.map((e) => [e.uid, e.sequence, e.status])).toEqual([
      ["a@ember-portal", 0, "CONFIRMED"],
      ["b@ember-portal", 3, "CANCELLED"],
    ]);
  });

  it("escapes commas, semicolons, backslashes and newlines, and they parse back intact", () => {
    const summary = "Infusion; A.L., Chelsea \\ room 2";
    const description = "First line, with a comma;\nsecond line\r\nthird line";
    const location = "Ember Health Chelsea, 245 W 19th St; New York, NY 10011";
    const ics = renderCalendar("Ember, NYC; infusions", [event({ summary, description, location })], NOW);
    expect(ics).toContain("SUMMARY:Infusion\\; A.L.\\, Chelsea \\\\ room 2\r\n");
    expect(ics).toContain("X-WR-CALNAME:Ember\\, NYC\\; infusions\r\n");
    // No raw newline inside a value: a new line in the file always ends a property or is a fold.
    for (const line of ics.split("\r\n")) expect(line).not.toMatch(/[\r\n]/);
    const { calendar, events } = parse(ics);
    expect(events[0]!.summary).toBe(summary);
    expect(events[0]!.description).toBe("First line, with a comma;\nsecond line\nthird line");
    expect(events[0]!.location).toBe(location);
    // ical.js types unknown X- properties as raw values: read the name back as TEXT ourselves.
    const rawName = calendar
      .getFirstProperty("x-wr-calname")!
      .toICALString()
      .replace(/^X-WR-CALNAME:/, "");
    expect(ICAL.design.icalendar.value.text!.fromICAL!(rawName)).toBe("Ember, NYC; infusions");
  });

  it("folds long lines at 75 octets (multi-byte characters kept whole) and they parse back intact", () => {
    const description = `${"Plan trauma-focused sessions in the window after the infusion — ".repeat(4)}Détails: ${"é".repeat(80)} 🙂 end`;
    const ics = renderCalendar("Ember", [event({ description })], NOW);
    const lines = ics.split("\r\n").slice(0, -1);
    const folded = lines.filter((l) => l.startsWith(" "));
    expect(folded.length).toBeGreaterThan(3);
    for (const line of lines) expect(Buffer.byteLength(line, "utf8"), line).toBeLessThanOrEqual(75);
    // No line was cut inside a UTF-8 sequence.
    for (const line of lines) expect(line).not.toContain("\uFFFD");
    expect(parse(ics).events[0]!.description).toBe(description);
  });

  it("ends every line with CRLF, the last one included", () => {
    const ics = renderCalendar("Ember", [event({ description: "x".repeat(200) })], NOW);
    expect(ics.endsWith("END:VCALENDAR\r\n")).toBe(true);
    expect(ics.startsWith("BEGIN:VCALENDAR\r\n")).toBe(true);
    expect(ics.replace(/\r\n/g, "")).not.toMatch(/[\r\n]/);
  });

  it("renders an empty calendar that still parses", () => {
    const { calendar, events } = parse(renderCalendar("Ember", [], NOW));
    expect(calendar.name).toBe("vcalendar");
    expect(events).toEqual([]);
  });
});
