import { describe, expect, it } from "vitest";
import {
  passesHardFilters,
  rankCandidates,
  WEIGHTS,
  type Candidate,
  type Ranked,
  type ReferralNeeds,
} from "~/modules/referrals/matching";

const TODAY = "2026-11-28";

/** A provider who passes every hard filter and is average on every ranking factor. */
function candidate(userId: string, overrides: Partial<Candidate> = {}): Candidate {
  return {
    userId,
    name: `Provider ${userId}`,
    modalities: [],
    certifiedModalities: [],
    licenceState: "NY",
    licenceStates: ["NY"],
    licenceExpiresOn: "2028-06-30",
    boroughs: ["Queens"],
    telehealth: false,
    insurances: ["Aetna"],
    languages: ["English"],
    acceptingNew: true,
    openSlotsPerWeek: 4,
    availableDays: [],
    activePatients: 0,
    offersAccepted: 0,
    offersAnswered: 0,
    medianResponseHours: null,
    ...overrides,
  };
}

const NEEDS: ReferralNeeds = {
  modality: "WET",
  setting: "in_person",
  borough: "Brooklyn",
  insurance: "Aetna",
  language: "Spanish",
  windowDays: null,
};

const rank = (candidates: Candidate[], needs: Partial<ReferralNeeds> = {}) =>
  rankCandidates(candidates, { ...NEEDS, ...needs }, TODAY);
const ids = (ranked: Ranked[]) => ranked.map((r) => r.candidate.userId);
const scoreOf = (ranked: Ranked[], userId: string) => ranked.find((r) => r.candidate.userId === userId)!.score;
/** The score of one provider, alone, against the needs. */
const scored = (c: Candidate, needs: Partial<ReferralNeeds> = {}) => rank([c], needs)[0]!;

describe("hard filters", () => {
  const cases: [string, Partial<Candidate>, Partial<ReferralNeeds>, string][] = [
    [
      "a licence only outside New York",
      { licenceState: "NJ", licenceStates: ["NJ", "CT"] },
      {},
      "no licence valid in New York",
    ],
    ["an expired licence", { licenceExpiresOn: "2026-11-27" }, {}, "licence expired"],
    ["not accepting new patients", { acceptingNew: false }, {}, "not accepting new patients"],
    ["no open slot", { openSlotsPerWeek: 0 }, {}, "no open slot"],
    ["not taking the patient's insurance", { insurances: ["Cigna", "Medicaid"] }, {}, "does not take Aetna"],
    [
      "not taking VA Community Care",
      { insurances: ["Aetna"] },
      { insurance: "VA Community Care" },
      "does not take VA Community Care",
    ],
  ];

  it.each(cases)("excludes a provider with %s", (_, overrides, needs, failure) => {
    const excluded = candidate("excluded", overrides);
    expect(passesHardFilters(excluded, { ...NEEDS, ...needs }, TODAY)).toEqual([failure]);
    expect(ids(rank([candidate("kept", { insurances: ["Aetna", "VA Community Care"] }), excluded], needs))).toEqual([
      "kept",
    ]);
  });

  it("lists every failure at once", () => {
    const c = candidate("x", {
      licenceState: "NJ",
      licenceStates: [],
      licenceExpiresOn: "2020-01-01",
      acceptingNew: false,
      openSlotsPerWeek: 0,
      insurances: [],
    });
    expect(passesHardFilters(c, NEEDS, TODAY)).toEqual([
      "no licence valid in New York",
      "licence expired",
      "not accepting new patients",
      "no open slot",
      "does not take Aetna",
    ]);
  });

  it("accepts New York from either the licence on file or the profile's list of states", () => {
    expect(
      passesHardFilters(candidate("a", { licenceState: "NJ", licenceStates: ["NJ", "NY"] }), NEEDS, TODAY),
    ).toEqual([]);
    expect(passesHardFilters(candidate("b", { licenceState: "NY", licenceStates: [] }), NEEDS, TODAY)).toEqual([]);
  });

  it("keeps a licence that expires today, and drops it the day after", () => {
    const c = candidate("a", { licenceExpiresOn: TODAY });
    expect(passesHardFilters(c, NEEDS, TODAY)).toEqual([]);
    expect(passesHardFilters(c, NEEDS, "2026-11-29")).toEqual(["licence expired"]);
  });

  it("does not filter on insurance for a self-paying patient", () => {
    const c = candidate("a", { insurances: [] });
    expect(passesHardFilters(c, { ...NEEDS, insurance: "Self-pay" }, TODAY)).toEqual([]);
    expect(ids(rank([c], { insurance: "Self-pay" }))).toEqual(["a"]);
  });
});

describe("ranking factors", () => {
  it("ranks certified in the modality above trained in it, above trained in another, above none", () => {
    const ranked = rank([
      candidate("none"),
      candidate("other", { modalities: ["CPT"] }),
      candidate("trained", { modalities: ["WET"] }),
      candidate("certified", { modalities: ["WET"], certifiedModalities: ["WET"] }),
    ]);
    expect(ids(ranked)).toEqual(["certified", "trained", "other", "none"]);
    expect(ranked.map((r) => r.reasons[0])).toEqual([
      "certified in WET (+30)",
      "trained in WET (+24)",
      "trained in CPT, not the modality asked for (+8)",
      "no trauma-focused modality listed (+0)",
    ]);
    // Certification in another modality than the one asked for is not certification in it.
    expect(scored(candidate("cpt-cert", { modalities: ["CPT"], certifiedModalities: ["CPT"] })).reasons[0]).toBe(
      "trained in CPT, not the modality asked for (+8)",
    );
  });

  it("counts any of the three trauma-focused modalities when the referral asks for any", () => {
    const ranked = rank(
      [
        candidate("pe", { modalities: ["PE"] }),
        candidate("cpt", { modalities: ["CPT"], certifiedModalities: ["CPT"] }),
      ],
      { modality: "any" },
    );
    expect(ids(ranked)).toEqual(["cpt", "pe"]);
    expect(ranked.map((r) => r.reasons[0])).toEqual(["certified in CPT (+30)", "trained in PE (+24)"]);
  });

  it("prefers the patient's borough for in-person care, and ignores telehealth there", () => {
    const ranked = rank([
      candidate("queens", { telehealth: true }),
      candidate("brooklyn", { boroughs: ["Manhattan", "Brooklyn"] }),
    ]);
    expect(ids(ranked)).toEqual(["brooklyn", "queens"]);
    expect(scoreOf(ranked, "brooklyn") - scoreOf(ranked, "queens")).toBe(20);
    expect(ranked[0]!.reasons[1]).toBe("practises in Brooklyn (+20)");
    expect(ranked[1]!.reasons[1]).toBe("not in Brooklyn (+0)");
  });

  it("prefers telehealth when the patient wants telehealth, whatever the borough", () => {
    const ranked = rank([candidate("brooklyn", { boroughs: ["Brooklyn"] }), candidate("tele", { telehealth: true })], {
      setting: "telehealth",
    });
    expect(ids(ranked)).toEqual(["tele", "brooklyn"]);
    expect(ranked.map((r) => r.reasons[1])).toEqual(["offers telehealth (+20)", "no telehealth (+0)"]);
  });

  it("with either setting, ranks the borough above telehealth above neither", () => {
    const ranked = rank(
      [candidate("neither"), candidate("tele", { telehealth: true }), candidate("borough", { boroughs: ["Brooklyn"] })],
      { setting: "either" },
    );
    expect(ids(ranked)).toEqual(["borough", "tele", "neither"]);
    expect(ranked.map((r) => r.reasons[1])).toEqual([
      "practises in Brooklyn (+20)",
      "offers telehealth (+15)",
      "neither the borough nor telehealth (+0)",
    ]);
  });

  it("prefers a provider who speaks the patient's language, whatever its case", () => {
    const ranked = rank([candidate("english"), candidate("spanish", { languages: ["English", "spanish"] })]);
    expect(ids(ranked)).toEqual(["spanish", "english"]);
    expect(scoreOf(ranked, "spanish") - scoreOf(ranked, "english")).toBe(15);
    expect(ranked.map((r) => r.reasons[2])).toEqual(["speaks Spanish (+15)", "does not list Spanish (+0)"]);
  });

  it("prefers availability on the days of the therapy window when there is one", () => {
    const windowDays = ["tue", "wed", "thu"];
    const ranked = rank(
      [candidate("mondays", { availableDays: ["mon"] }), candidate("wednesdays", { availableDays: ["mon", "wed"] })],
      { windowDays },
    );
    expect(ids(ranked)).toEqual(["wednesdays", "mondays"]);
    expect(ranked.map((r) => r.reasons[3])).toEqual([
      "available during the window (wed) (+10)",
      "not usually available during the window (+0)",
    ]);
    // Without a window, availability does not separate them.
    const unconstrained = rank([
      candidate("mondays", { availableDays: ["mon"] }),
      candidate("wednesdays", { availableDays: ["wed"] }),
    ]);
    expect(scoreOf(unconstrained, "mondays")).toBe(scoreOf(unconstrained, "wednesdays"));
    expect(unconstrained[0]!.reasons[3]).toBe("no timing constraint (+5)");
  });

  it("prefers providers with more of their weekly slots still free", () => {
    const ranked = rank([
      candidate("full", { openSlotsPerWeek: 4, activePatients: 6 }),
      candidate("half", { openSlotsPerWeek: 4, activePatients: 2 }),
      candidate("free", { openSlotsPerWeek: 4, activePatients: 0 }),
    ]);
    expect(ids(ranked)).toEqual(["free", "half", "full"]);
    expect(ranked.map((r) => r.reasons[4])).toEqual([
      "4 of 4 weekly slots free after 0 current Ember patients (+15)",
      "2 of 4 weekly slots free after 2 current Ember patients (+8)",
      "0 of 4 weekly slots free after 6 current Ember patients (+0)",
    ]);
  });

  it("prefers providers who accept offers and answer them quickly", () => {
    const ranked = rank([
      candidate("declines", { offersAccepted: 0, offersAnswered: 4, medianResponseHours: 48 }),
      candidate("slow", { offersAccepted: 4, offersAnswered: 4, medianResponseHours: 100 }),
      candidate("fast", { offersAccepted: 4, offersAnswered: 4, medianResponseHours: 10 }),
      candidate("days", { offersAccepted: 4, offersAnswered: 4, medianResponseHours: 48 }),
    ]);
    expect(ids(ranked)).toEqual(["fast", "days", "slow", "declines"]);
    expect(ranked.map((r) => r.reasons[5])).toEqual([
      "accepted 4 of 4 past offers, median reply 10 h (+10)",
      "accepted 4 of 4 past offers, median reply 48 h (+7)",
      "accepted 4 of 4 past offers, median reply 100 h (+5)",
      "accepted 0 of 4 past offers, median reply 48 h (+2)",
    ]);
    expect(scored(candidate("new")).reasons[5]).toBe("no past offers (+5)");
  });

  it("scores the ideal provider 100", () => {
    const ideal = candidate("ideal", {
      modalities: ["WET"],
      certifiedModalities: ["WET"],
      boroughs: ["Brooklyn"],
      languages: ["Spanish"],
      availableDays: ["tue"],
      offersAccepted: 3,
      offersAnswered: 3,
      medianResponseHours: 2,
    });
    expect(scored(ideal, { windowDays: ["tue"] }).score).toBe(100);
  });

  it("keeps the best answers to every factor adding up to 100", () => {
    const best =
      WEIGHTS.certified +
      WEIGHTS.place +
      WEIGHTS.language +
      Math.max(WEIGHTS.window, WEIGHTS.noWindow) +
      WEIGHTS.load +
      WEIGHTS.acceptance +
      WEIGHTS.replyWithinADay;
    expect(best).toBe(100);
  });
});

describe("order and explanations", () => {
  const pool = [
    candidate("c-3", { name: "Bea Ortiz", modalities: ["WET"] }),
    candidate("c-1", { name: "Ana Lee", boroughs: ["Brooklyn"], languages: ["Spanish"] }),
    candidate("c-5", { name: "Ana Lee" }),
    candidate("c-2", { name: "Ana Lee" }),
    candidate("c-4", {
      name: "Carl Diaz",
      modalities: ["WET"],
      certifiedModalities: ["WET"],
      telehealth: true,
      activePatients: 1,
      offersAccepted: 1,
      offersAnswered: 2,
      medianResponseHours: 30,
    }),
    candidate("c-6", { name: "Zed Young", acceptingNew: false, modalities: ["WET"], certifiedModalities: ["WET"] }),
  ];

  it("breaks ties by name and then by id, so the order is the same whatever order the candidates arrive in", () => {
    const expected = ["c-1", "c-4", "c-3", "c-2", "c-5"];
    expect(ids(rank(pool))).toEqual(expected);
    // Every rotation and the reverse give the same ranking.
    for (let shift = 0; shift < pool.length; shift++) {
      const rotated = [...pool.slice(shift), ...pool.slice(0, shift)];
      expect(ids(rank(rotated))).toEqual(expected);
      expect(ids(rank([...rotated].reverse()))).toEqual(expected);
    }
    const [, , third, fourth, fifth] = rank(pool);
    expect(third!.score).toBeGreaterThan(fourth!.score);
    expect(fourth!.score).toBe(fifth!.score);
  });

  it("sorts highest score first", () => {
    const scores = rank(pool).map((r) => r.score);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
  });

  it("explains every score: one reason per factor, and their points add up to the score", () => {
    for (const needs of [
      {},
      { setting: "either" as const, windowDays: ["mon", "tue"] },
      { setting: "telehealth" as const, modality: "any" as const },
    ]) {
      for (const r of rank(pool, needs)) {
        expect(r.reasons).toHaveLength(6);
        const points = r.reasons.map((reason) => {
          const match = /\(\+(\d+)\)$/.exec(reason);
          expect(match, reason).not.toBeNull();
          return Number(match![1]);
        });
        expect(points.reduce((a, b) => a + b, 0)).toBe(r.score);
        expect(r.score).toBeLessThanOrEqual(100);
      }
    }
  });

  it("ranks an empty pool as empty", () => {
    expect(rank([])).toEqual([]);
  });
});
