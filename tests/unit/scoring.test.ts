import { describe, expect, it } from "vitest";
import {
  baselineFor,
  changeFromBaseline,
  changeLabel,
  DEFAULT_MEASURE_SETTINGS,
  isRemission,
  isResponse,
  lostResponse,
  meaningfulWorsening,
  measureDefinitions,
  pcl5Clusters,
  phq9Band,
  phq9SafetySignal,
  probablePtsd,
  ScoringError,
  total,
  validateItems,
  type Scored,
} from "~/modules/measures/scoring";

const phq9 = (...items: number[]) => [...items, ...Array<number>(9 - items.length).fill(0)];
const filled = (n: number, value: number) => Array<number>(n).fill(value);

describe("validateItems", () => {
  it("accepts a complete PHQ-9 and PCL-5 at every end of their ranges and returns the items unchanged", () => {
    expect(validateItems("PHQ9", filled(9, 0))).toEqual(filled(9, 0));
    expect(validateItems("PHQ9", filled(9, 3))).toEqual(filled(9, 3));
    expect(validateItems("PCL5", filled(20, 4))).toEqual(filled(20, 4));
    expect(validateItems("PHQ9", [0, 1, 2, 3, 0, 1, 2, 3, 1])).toEqual([0, 1, 2, 3, 0, 1, 2, 3, 1]);
  });

  it("refuses too few or too many items, naming the count", () => {
    expect(() => validateItems("PHQ9", filled(8, 1))).toThrow(new ScoringError("PHQ-9 has 9 items; 8 were given."));
    expect(() => validateItems("PHQ9", filled(10, 1))).toThrow(new ScoringError("PHQ-9 has 9 items; 10 were given."));
    expect(() => validateItems("PCL5", filled(19, 1))).toThrow(new ScoringError("PCL-5 has 20 items; 19 were given."));
    expect(() => validateItems("PCL5", filled(9, 1))).toThrow(ScoringError);
    expect(() => validateItems("PHQ9", [])).toThrow(ScoringError);
  });

  it("refuses an unanswered item, even when the count is right", () => {
    const withUndefined: unknown[] = [...filled(8, 1), undefined];
    expect(() => validateItems("PHQ9", withUndefined)).toThrow(
      new ScoringError("PHQ-9 item 9 must be a whole number from 0 to 3."),
    );
    const withNull: unknown[] = [null, ...filled(19, 1)];
    expect(() => validateItems("PCL5", withNull)).toThrow(
      new ScoringError("PCL-5 item 1 must be a whole number from 0 to 4."),
    );
    // A sparse array has the right length but a hole where an answer should be.
    const sparse = filled(9, 1);
    delete sparse[4];
    expect(sparse).toHaveLength(9);
    expect(() => validateItems("PHQ9", sparse)).toThrow(
      new ScoringError("PHQ-9 item 5 must be a whole number from 0 to 3."),
    );
    expect(() => validateItems("PHQ9", new Array(9))).toThrow(ScoringError);
  });

  it("refuses out-of-range answers on each instrument's own scale", () => {
    expect(() => validateItems("PHQ9", [4, ...filled(8, 0)])).toThrow(
      new ScoringError("PHQ-9 item 1 must be a whole number from 0 to 3."),
    );
    expect(() => validateItems("PHQ9", [...filled(8, 0), -1])).toThrow(
      new ScoringError("PHQ-9 item 9 must be a whole number from 0 to 3."),
    );
    // 4 is the top of the PCL-5 scale, 5 is beyond it.
    expect(validateItems("PCL5", [4, ...filled(19, 0)])[0]).toBe(4);
    expect(() => validateItems("PCL5", [...filled(12, 0), 5, ...filled(7, 0)])).toThrow(
      new ScoringError("PCL-5 item 13 must be a whole number from 0 to 4."),
    );
  });

  it("refuses non-integers, numeric strings and non-finite numbers rather than guessing", () => {
    for (const bad of [1.5, 0.0001, "2", NaN, Infinity, true, {}]) {
      expect(() => validateItems("PHQ9", [...filled(3, 0), bad, ...filled(5, 0)]), `value ${String(bad)}`).toThrow(
        new ScoringError("PHQ-9 item 4 must be a whole number from 0 to 3."),
      );
    }
  });
});

describe("PHQ-9 bands", () => {
  it.each([
    [0, "minimal"],
    [4, "minimal"],
    [5, "mild"],
    [9, "mild"],
    [10, "moderate"],
    [14, "moderate"],
    [15, "moderately severe"],
    [19, "moderately severe"],
    [20, "severe"],
    [27, "severe"],
  ] as const)("a total of %i is %s", (score, band) => {
    expect(phq9Band(score)).toBe(band);
  });

  it("totals the items it is given", () => {
    expect(total(filled(9, 3))).toBe(27);
    expect(total([1, 2, 3, 0, 0, 0, 0, 0, 1])).toBe(7);
    expect(total(filled(20, 4))).toBe(80);
  });
});

describe("PHQ-9 safety signal", () => {
  it("is raised by any answer above 0 on item 9 and by nothing else", () => {
    expect(phq9SafetySignal(filled(9, 0))).toBe(false);
    expect(phq9SafetySignal([3, 3, 3, 3, 3, 3, 3, 3, 0])).toBe(false);
    for (const answer of [1, 2, 3]) expect(phq9SafetySignal(phq9(0, 0, 0, 0, 0, 0, 0, 0, answer))).toBe(true);
    // Item 8 is not item 9.
    expect(phq9SafetySignal(phq9(0, 0, 0, 0, 0, 0, 0, 3, 0))).toBe(false);
  });
});

describe("PCL-5 clusters", () => {
  it("puts each item in its DSM-5 cluster: B 1–5, C 6–7, D 8–14, E 15–20", () => {
    const expected = (item: number) => (item <= 5 ? "B" : item <= 7 ? "C" : item <= 14 ? "D" : "E");
    for (let item = 1; item <= 20; item++) {
      const items = filled(20, 0);
      items[item - 1] = 3;
      const clusters = pcl5Clusters(items);
      expect(clusters[expected(item)], `item ${item}`).toBe(3);
      expect(clusters.B + clusters.C + clusters.D + clusters.E, `item ${item}`).toBe(3);
    }
  });

  it("sums to the total", () => {
    const items = [4, 3, 2, 1, 0, 4, 4, 1, 1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 2];
    expect(pcl5Clusters(items)).toEqual({ B: 10, C: 8, D: 7, E: 12 });
    expect(total(items)).toBe(37);
  });

  it("reads probable PTSD from 33 up by default, and from the clinic's own threshold when set", () => {
    expect(probablePtsd(32)).toBe(false);
    expect(probablePtsd(33)).toBe(true);
    expect(probablePtsd(80)).toBe(true);
    expect(probablePtsd(0)).toBe(false);
    const settings = { pcl5Threshold: 31, pcl5MeaningfulChange: 10 };
    expect(probablePtsd(30, settings)).toBe(false);
    expect(probablePtsd(31, settings)).toBe(true);
  });
});

describe("response and remission", () => {
  it("counts a fall of exactly 50% as response, and anything less as none", () => {
    expect(isResponse(20, 10)).toBe(true);
    expect(isResponse(20, 11)).toBe(false);
    expect(isResponse(20, 0)).toBe(true);
    // An odd baseline: half of 15 is 7.5, so 7 responds and 8 does not.
    expect(isResponse(15, 7)).toBe(true);
    expect(isResponse(15, 8)).toBe(false);
    expect(isResponse(50, 25)).toBe(true);
    expect(isResponse(50, 26)).toBe(false);
  });

  it("never reads response from a baseline of 0", () => {
    expect(isResponse(0, 0)).toBe(false);
  });

  it("reads remission as a PHQ-9 total under 5, and never from a PCL-5", () => {
    expect(isRemission("PHQ9", 4)).toBe(true);
    expect(isRemission("PHQ9", 5)).toBe(false);
    expect(isRemission("PHQ9", 0)).toBe(true);
    expect(isRemission("PCL5", 0)).toBe(false);
    expect(isRemission("PCL5", 4)).toBe(false);
  });

  it("reports change from baseline with its direction, meaning, response and remission", () => {
    expect(changeFromBaseline("PHQ9", 20, 10)).toEqual({
      change: -10,
      direction: "improved",
      meaningful: false,
      response: true,
      remission: false,
    });
    expect(changeFromBaseline("PHQ9", 12, 4)).toEqual({
      change: -8,
      direction: "improved",
      meaningful: false,
      response: true,
      remission: true,
    });
    expect(changeFromBaseline("PHQ9", 10, 12)).toEqual({
      change: 2,
      direction: "worse",
      meaningful: false,
      response: false,
      remission: false,
    });
    expect(changeFromBaseline("PHQ9", 10, 10).direction).toBe("unchanged");
    // PCL-5: a change of 10 or more either way is clinically meaningful; 9 is not.
    expect(changeFromBaseline("PCL5", 50, 41)).toEqual({
      change: -9,
      direction: "improved",
      meaningful: false,
      response: false,
      remission: false,
    });
    expect(changeFromBaseline("PCL5", 50, 40)).toEqual({
      change: -10,
      direction: "improved",
      meaningful: true,
      response: false,
      remission: false,
    });
    expect(changeFromBaseline("PCL5", 40, 50)).toEqual({
      change: 10,
      direction: "worse",
      meaningful: true,
      response: false,
      remission: false,
    });
    expect(changeFromBaseline("PCL5", 50, 25)).toEqual({
      change: -25,
      direction: "improved",
      meaningful: true,
      response: true,
      remission: false,
    });
    expect(changeFromBaseline("PCL5", 50, 44, { pcl5Threshold: 33, pcl5MeaningfulChange: 6 }).meaningful).toBe(true);
  });
});

describe("reading a change the right way", () => {
  it("labels a change by its direction, never by a bare sign", () => {
    expect(changeLabel(changeFromBaseline("PCL5", 40, 52))).toBe("worse by 12");
    expect(changeLabel(changeFromBaseline("PCL5", 52, 40))).toBe("improved by 12");
    expect(changeLabel(changeFromBaseline("PHQ9", 14, 15))).toBe("worse by 1");
    expect(changeLabel(changeFromBaseline("PHQ9", 14, 14))).toBe("no change");
  });

  it("flags a PCL-5 rise of the meaningful change or more as a meaningful worsening, and nothing else", () => {
    expect(meaningfulWorsening("PCL5", 40, 50)).toBe(true);
    expect(meaningfulWorsening("PCL5", 40, 49)).toBe(false);
    // A meaningful fall is an improvement, not a worsening.
    expect(meaningfulWorsening("PCL5", 50, 40)).toBe(false);
    // The PHQ-9 has no meaningful-change rule here.
    expect(meaningfulWorsening("PHQ9", 5, 27)).toBe(false);
    expect(meaningfulWorsening("PCL5", 40, 46, { pcl5Threshold: 33, pcl5MeaningfulChange: 6 })).toBe(true);
  });

  it("states its definitions from the values it scores with", () => {
    expect(measureDefinitions(DEFAULT_MEASURE_SETTINGS)).toEqual([
      { term: "Baseline", definition: "the last score on or before the first visit of a course" },
      { term: "Response", definition: "a fall of 50% or more from baseline" },
      { term: "Remission", definition: "a PHQ-9 under 5" },
      { term: "PCL-5 meaningful change", definition: "10 points or more from baseline, either way" },
      { term: "Probable PTSD", definition: "a PCL-5 of 33 or more" },
    ]);
    const own = measureDefinitions({ pcl5Threshold: 31, pcl5MeaningfulChange: 8 });
    expect(own.find((d) => d.term === "Probable PTSD")?.definition).toBe("a PCL-5 of 31 or more");
    expect(own.find((d) => d.term === "PCL-5 meaningful change")?.definition).toBe(
      "8 points or more from baseline, either way",
    );
  });
});

describe("baselineFor", () => {
  const score = (id: string, instrument: "PHQ9" | "PCL5", taken_on: string, value = 10): Scored => ({
    id,
    instrument,
    taken_on,
    total: value,
  });

  it("takes the last score of the instrument on or before the first visit day", () => {
    const scores = [
      score("a", "PHQ9", "2026-10-01"),
      score("b", "PHQ9", "2026-10-10"),
      score("c", "PHQ9", "2026-10-20"),
      score("d", "PCL5", "2026-10-12"),
    ];
    expect(baselineFor(scores, "PHQ9", "2026-10-15")?.id).toBe("b");
    // Taken on the day of the first visit still counts as baseline.
    expect(baselineFor(scores, "PHQ9", "2026-10-20")?.id).toBe("c");
    expect(baselineFor(scores, "PCL5", "2026-10-15")?.id).toBe("d");
  });

  it("does not depend on the order the scores arrive in", () => {
    const scores = [
      score("late", "PHQ9", "2026-10-14"),
      score("early", "PHQ9", "2026-09-01"),
      score("after", "PHQ9", "2026-11-01"),
    ];
    expect(baselineFor(scores, "PHQ9", "2026-10-15")?.id).toBe("late");
    expect(baselineFor([...scores].reverse(), "PHQ9", "2026-10-15")?.id).toBe("late");
  });

  it("takes the later-recorded of two scores on the same day", () => {
    const scores = [score("first", "PHQ9", "2026-10-10", 18), score("second", "PHQ9", "2026-10-10", 16)];
    expect(baselineFor(scores, "PHQ9", "2026-10-15")?.id).toBe("second");
  });

  it("has no baseline when every score is after the first visit or of the other instrument", () => {
    expect(baselineFor([score("a", "PHQ9", "2026-10-16")], "PHQ9", "2026-10-15")).toBeUndefined();
    expect(baselineFor([score("a", "PCL5", "2026-10-01")], "PHQ9", "2026-10-15")).toBeUndefined();
    expect(baselineFor([], "PHQ9", "2026-10-15")).toBeUndefined();
  });
});

describe("lostResponse", () => {
  it("is lost when a later score met response and the latest no longer does", () => {
    expect(lostResponse(20, [10, 15])).toBe(true);
    expect(lostResponse(20, [14, 9, 11])).toBe(true);
    // Exactly 50% still responds; one point above it does not.
    expect(lostResponse(20, [9, 10])).toBe(false);
    expect(lostResponse(20, [9, 11])).toBe(true);
  });

  it("is not lost when response was never met, or is met again at the latest score", () => {
    expect(lostResponse(20, [])).toBe(false);
    expect(lostResponse(20, [15, 14, 18])).toBe(false);
    expect(lostResponse(20, [10, 15, 8])).toBe(false);
  });

  it("needs a score after the one that responded: a single responding score is not a loss", () => {
    expect(lostResponse(20, [10])).toBe(false);
    expect(lostResponse(20, [15, 10])).toBe(false);
  });

  it("never reads a loss from a baseline of 0", () => {
    expect(lostResponse(0, [0, 5])).toBe(false);
  });
});
