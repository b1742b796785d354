import { expect, it } from "vitest";
import type { Database } from "../../db/engine";
import { clinicToday } from "~/lib/time";
import { shortlistCandidates } from "~/modules/referrals/candidates.server";
import { rankCandidates, type Candidate, type Ranked, type ReferralNeeds } from "~/modules/referrals/matching";
import { getReferral, openReferral } from "~/modules/referrals/referrals.server";
import { matchReferral } from "~/modules/referrals/match.server";
import { HOUR } from "../support/clock";
import { describeEachEngine } from "../support/db";
import {
  actorFor,
  auditContextFor,
  createUser,
  insertClinicBasics,
  insertCourse,
  insertPatient,
} from "../support/factories";

// 11:00 in New York on Tuesday 2026-10-20.
const NOW = new Date("2026-10-20T15:00:00Z");
const TODAY = clinicToday(NOW);
const YESTERDAY = "2026-10-19";

type OfferStatus = "open" | "accepted" | "declined" | "expired" | "withdrawn";

/** One provider of the fixture: what the ranking should see of them, and how the database is to hold it. */
interface ProviderFixture {
  label: string;
  candidate: Omit<Candidate, "userId" | "activePatients" | "offersAccepted" | "offersAnswered" | "medianResponseHours">;
  role: "therapist" | "psychiatrist" | "clinician";
  active: boolean;
  /** Membership of the referred patient's care team. */
  team: "none" | "current" | "ended";
  /** Current patients besides the referred one. */
  caseload: number;
  /** An offer of the referral being matched. */
  offerHere: OfferStatus | null;
  /** Offers of earlier referrals, with the hours taken to answer. */
  history: { status: OfferStatus; hours: number }[];
}

/** Certified in every modality, everywhere, every language and insurance: tops any ranking it is allowed into. */
function ideal(
  label: string,
  overrides: Partial<ProviderFixture> & { profile?: Partial<ProviderFixture["candidate"]> } = {},
): ProviderFixture {
  const { profile, ...rest } = overrides;
  return {
    label,
    candidate: {
      name: label,
      modalities: ["WET", "CPT", "PE"],
      certifiedModalities: ["WET", "CPT", "PE"],
      licenceState: "NY",
      licenceStates: ["NY"],
      licenceExpiresOn: "2028-12-31",
      boroughs: ["Manhattan", "Brooklyn", "Queens", "Bronx", "Staten Island"],
      telehealth: true,
      insurances: ["Aetna", "Cigna", "Medicaid"],
      languages: ["English", "Spanish", "Mandarin"],
      acceptingNew: true,
      openSlotsPerWeek: 8,
      availableDays: ["mon", "tue", "wed", "thu", "fri", "sat", "sun"],
      ...profile,
    },
    role: "therapist",
    active: true,
    team: "none",
    caseload: 0,
    offerHere: null,
    history: [{ status: "accepted", hours: 2 }],
    ...rest,
  };
}

/** Ideal providers but for one thing each: the hard filters must keep out exactly the ones marked out. */
const EDGE_CASES: [ProviderFixture, "in" | "out"][] = [
  [ideal("Licence only in New Jersey", { profile: { licenceState: "NJ", licenceStates: ["NJ"] } }), "out"],
  [ideal("New York only on the profile", { profile: { licenceState: "NJ", licenceStates: ["NJ", "NY"] } }), "in"],
  [ideal("Licence expired yesterday", { profile: { licenceExpiresOn: YESTERDAY } }), "out"],
  [ideal("Licence expires today", { profile: { licenceExpiresOn: TODAY } }), "in"],
  [ideal("Not accepting new patients", { profile: { acceptingNew: false } }), "out"],
  [ideal("No open slot", { profile: { openSlotsPerWeek: 0 } }), "out"],
  [ideal("Takes no insurance", { profile: { insurances: [] } }), "out"],
  [ideal("Deactivated", { active: false }), "out"],
  [ideal("A clinic clinician", { role: "clinician" }), "out"],
  [ideal("On the patient's team", { team: "current" }), "out"],
  [ideal("Left the patient's team", { team: "ended" }), "in"],
  ...(["open", "accepted", "declined", "expired"] as const).map((s): [ProviderFixture, "out"] => [
    ideal(`Offered this referral, ${s}`, { offerHere: s }),
    "out",
  ]),
  [ideal("Offered this referral, withdrawn", { offerHere: "withdrawn" }), "in"],
];

/** mulberry32: the same fixture on every run. */
function seeded(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
  const int = (lo: number, hi: number) => lo + Math.floor(next() * (hi - lo + 1));
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!;
  const some = <T>(items: readonly T[], lo: number, hi: number): T[] => {
    const pool = [...items];
    const out: T[] = [];
    for (let n = Math.min(pool.length, int(lo, hi)); out.length < n;)
      out.push(pool.splice(Math.floor(next() * pool.length), 1)[0]!);
    return out;
  };
  return { next, int, pick, some };
}

// Few names, so that equal scores often share a name too; cases and accents a byte-wise sort orders differently.
const NAMES = [
  "Ana Lee",
  "ana Lee",
  "Ana Lee, LCSW",
  "Bea Ortiz",
  "de Vries, Jo",
  "Diaz, Jo",
  "Émile Roy",
  "Zed Young",
];
// Whole quarters of an hour, so the medians are exact on both sides; 24 and 72 sit on the edges.
const REPLY_HOURS = [1, 6, 20, 23.75, 24, 24.25, 28, 48, 72, 72.5, 100];

function variedProviders(count: number): ProviderFixture[] {
  const r = seeded(20261020);
  return Array.from({ length: count }, (_, i) => {
    const modalities = r.some(["WET", "CPT", "PE"], 0, 3);
    return {
      label: `varied ${i}`,
      candidate: {
        name: r.pick(NAMES),
        modalities,
        certifiedModalities: r.some(modalities, 0, 2),
        licenceState: r.next() < 0.9 ? "NY" : "NJ",
        licenceStates: r.pick([["NY"], ["NJ"], ["NJ", "NY"], []]),
        licenceExpiresOn: r.pick(["2028-12-31", "2027-03-01", TODAY, YESTERDAY]),
        boroughs: r.some(["Manhattan", "Brooklyn", "Queens", "Bronx"], 0, 2),
        telehealth: r.next() < 0.5,
        insurances: r.some(["Aetna", "Cigna", "Medicaid"], 0, 3),
        languages: r.pick([
          ["English"],
          ["English", "Spanish"],
          ["spanish"],
          ["English", "SPANISH"],
          ["Mandarin", "English"],
        ]),
        acceptingNew: r.next() < 0.9,
        // Six slots put the free share on x.5 points (1 of 6 free is 2.5): half must round up.
        openSlotsPerWeek: r.pick([0, 1, 2, 3, 4, 6, 6, 8]),
        availableDays: r.some(["mon", "tue", "wed", "thu", "fri", "sat", "sun"], 0, 3),
      },
      role: r.pick(["therapist", "therapist", "psychiatrist"] as const),
      active: r.next() < 0.95,
      team: r.next() < 0.05 ? "current" : "none",
      caseload: r.int(0, 7),
      offerHere: r.next() < 0.1 ? r.pick(["open", "declined", "withdrawn"] as const) : null,
      history: Array.from({ length: r.pick([0, 0, 1, 2, 2, 3, 4, 10]) }, () => ({
        status: r.pick(["accepted", "accepted", "declined", "expired", "withdrawn", "open"] as const),
        hours: r.pick(REPLY_HOURS),
      })),
    };
  });
}

const answers = (status: OfferStatus) => status === "accepted" || status === "declined" || status === "withdrawn";
const HOURS_HERE = 5;

/** percentile_cont(0.5), computed the way PostgreSQL does. */
function median(values: number[]): number | null {
  if (!values.length) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const at = 0.5 * (sorted.length - 1);
  const lo = Math.floor(at);
  return lo === at ? sorted[lo]! : sorted[lo]! + (sorted[lo + 1]! - sorted[lo]!) * (at - lo);
}

/** What `rankCandidates` should be given for a provider, worked out from the fixture alone. */
function expectedCandidate(f: ProviderFixture, userId: string): Candidate {
  const offers = [...f.history, ...(f.offerHere ? [{ status: f.offerHere, hours: HOURS_HERE }] : [])];
  return {
    ...f.candidate,
    userId,
    activePatients: f.caseload + (f.team === "current" ? 1 : 0),
    offersAccepted: offers.filter((o) => o.status === "accepted").length,
    offersAnswered: offers.filter((o) => ["accepted", "declined", "expired"].includes(o.status)).length,
    medianResponseHours: median(offers.filter((o) => answers(o.status)).map((o) => o.hours)),
  };
}

/** Inserts the providers, their caseloads and offer histories, and one referral to match; returns who should be considered. */
async function seed(db: Database, fixtures: ProviderFixture[]) {
  await insertClinicBasics(db);
  const coordinator = await createUser(db, { role: "coordinator" });
  const clinician = await createUser(db, { role: "clinician" });
  const patient = await insertPatient(db);
  const others = await Promise.all(Array.from({ length: 8 }, () => insertPatient(db)));
  const open = async (patientId: string, needsWindow: boolean) =>
    openReferral(db, actorFor(coordinator), auditContextFor(coordinator), {
      patientId,
      modality: "any",
      setting: "either",
      borough: "Brooklyn",
      insurance: "Aetna",
      language: "Spanish",
      urgency: "soon",
      needsWindow,
      now: NOW,
    });
  const earlier = await Promise.all(others.map((o) => open(o.id, false)));
  const referral = (await getReferral(db, await open(patient.id, true)))!;
  // Thursday 10:00 New York: the therapy window runs Thursday to Sunday.
  await insertCourse(db, {
    patientId: patient.id,
    clinicianId: clinician.id,
    createdBy: coordinator.id,
    starts: [new Date("2026-10-22T14:00:00Z")],
  });

  const users = await db
    .insertInto("users")
    .values(
      fixtures.map((f, i) => ({
        email: `match-${i}@example.test`,
        name: f.candidate.name,
        role: f.role,
        organisation: "Test Practice",
        password_hash: null,
        status: f.active ? "active" : "deactivated",
        deactivated_at: f.active ? null : NOW,
      })),
    )
    .returning("id")
    .execute();
  const ids = users.map((u) => u.id);
  const each = <T>(rows: (f: ProviderFixture, id: string) => T[]) => fixtures.flatMap((f, i) => rows(f, ids[i]!));
  await db
    .insertInto("provider_credentials")
    .values(
      each((f, id) => [
        {
          user_id: id,
          licence_type: "LCSW",
          licence_number: `M-${id.slice(0, 6)}`,
          licence_state: f.candidate.licenceState,
          licence_expires_on: f.candidate.licenceExpiresOn,
          npi: "1234567893",
        },
      ]),
    )
    .execute();
  await db
    .insertInto("provider_profiles")
    .values(
      each((f, id) => {
        const c = f.candidate;
        return [
          {
            user_id: id,
            modalities: c.modalities,
            certified_modalities: c.certifiedModalities,
            licence_states: c.licenceStates,
            boroughs: c.boroughs,
            telehealth: c.telehealth,
            insurances: c.insurances,
            languages: c.languages,
            accepting_new: c.acceptingNew,
            open_slots_per_week: c.openSlotsPerWeek,
            available_days: c.availableDays,
            available_times: [],
            updated_at: NOW,
          },
        ];
      }),
    )
    .execute();
  const member = (patientId: string, userId: string, ended: boolean) => ({
    patient_id: patientId,
    user_id: userId,
    team_role: "other" as const,
    started_at: NOW,
    added_by: coordinator.id,
    ended_at: ended ? NOW : null,
  });
  const members = each((f, id) => [
    ...others.slice(0, f.caseload).map((o) => member(o.id, id, false)),
    ...(f.team === "none" ? [] : [member(patient.id, id, f.team === "ended")]),
  ]);
  if (members.length) await db.insertInto("care_team_members").values(members).execute();
  const offer = (referralId: string, providerId: string, status: OfferStatus, hours: number) => {
    const offeredAt = new Date(NOW.getTime() - 200 * HOUR);
    return {
      referral_id: referralId,
      provider_id: providerId,
      offered_by: coordinator.id,
      offered_at: offeredAt,
      expires_at: new Date(offeredAt.getTime() + 72 * HOUR),
      status,
      responded_at: answers(status) ? new Date(offeredAt.getTime() + hours * HOUR) : null,
    };
  };
  const offers = each((f, id) => [
    ...f.history.map((h, j) => offer(earlier[j % earlier.length]!, id, h.status, h.hours)),
    ...(f.offerHere ? [offer(referral.id, id, f.offerHere, HOURS_HERE)] : []),
  ]);
  if (offers.length) await db.insertInto("referral_offers").values(offers).execute();

  // The providers the query itself must drop (rankCandidates never sees them): not an active
  // outside provider, already on the team, or already offered this referral.
  const considered = fixtures
    .map((f, i) => ({ f, candidate: expectedCandidate(f, ids[i]!) }))
    .filter(
      ({ f }) =>
        f.role !== "clinician" &&
        f.active &&
        f.team !== "current" &&
        (f.offerHere === null || f.offerHere === "withdrawn"),
    )
    .map(({ candidate }) => candidate);
  return { referral, ids, considered, coordinator, others };
}

const NEEDS: ReferralNeeds[] = [
  {
    modality: "WET",
    setting: "in_person",
    borough: "Brooklyn",
    insurance: "Aetna",
    language: "Spanish",
    windowDays: null,
  },
  {
    modality: "any",
    setting: "either",
    borough: "Queens",
    insurance: "Cigna",
    language: "Spanish",
    windowDays: ["thu", "fri", "sat", "sun"],
  },
  {
    modality: "CPT",
    setting: "telehealth",
    borough: null,
    insurance: "Self-pay",
    language: "Mandarin",
    windowDays: [],
  },
  { modality: "PE", setting: "either", borough: null, insurance: "Medicaid", language: "English", windowDays: ["mon"] },
  {
    modality: "WET",
    setting: "in_person",
    borough: null,
    insurance: "Aetna",
    language: "spanish",
    windowDays: ["tue", "wed"],
  },
];

const view = (ranked: Ranked[]) =>
  ranked.map((r) => ({ id: r.candidate.userId, name: r.candidate.name, score: r.score, reasons: r.reasons }));
const byId = (entries: { id: string; score: number }[]) => Object.fromEntries(entries.map((e) => [e.id, e.score]));

describeEachEngine("referral matching in the database", (getDb) => {
  it("applies the hard filters in SQL, and scores every candidate exactly as rankCandidates does", async () => {
    const db = getDb();
    const fixtures = [...EDGE_CASES.map(([f]) => f), ...variedProviders(90)];
    const { referral, ids, considered } = await seed(db, fixtures);
    for (const needs of NEEDS) {
      const expected = rankCandidates(considered, needs, TODAY);
      const { considered: count, shortlist } = await shortlistCandidates(db, referral, needs, TODAY, null);
      expect(count, needs.insurance).toBe(expected.length);
      expect(byId(shortlist.map((s) => ({ id: s.candidate.userId, score: s.score }))), JSON.stringify(needs)).toEqual(
        byId(expected.map((r) => ({ id: r.candidate.userId, score: r.score }))),
      );
      // Caseloads and offer histories reach the ranking as the fixture has them.
      const wanted = new Map(expected.map((r) => [r.candidate.userId, r.candidate]));
      for (const s of shortlist) expect(s.candidate).toEqual(wanted.get(s.candidate.userId));

      const ranked = shortlist.map((s) => s.candidate.userId);
      for (const [i, [f, verdict]] of EDGE_CASES.entries()) {
        const kept = verdict === "in" || (f.label === "Takes no insurance" && needs.insurance === "Self-pay");
        expect(ranked.includes(ids[i]!), `${f.label} (${needs.insurance})`).toBe(kept);
      }
    }
  });

  it("returns the top of the ranking, ties at the cut included, so the page shows what ranking everyone would show", async () => {
    const db = getDb();
    const { referral, considered } = await seed(db, variedProviders(120));
    let cutsThroughATie = 0;
    for (const needs of NEEDS) {
      const everyone = rankCandidates(considered, needs, TODAY);
      for (const limit of [1, 3, 10, 25]) {
        const { considered: count, shortlist } = await shortlistCandidates(db, referral, needs, TODAY, limit);
        const top = everyone.slice(0, limit);
        expect(
          view(
            rankCandidates(
              shortlist.map((s) => s.candidate),
              needs,
              TODAY,
            ).slice(0, limit),
          ),
          `${JSON.stringify(needs)} top ${limit}`,
        ).toEqual(view(top));
        expect(count).toBe(everyone.length);
        // Exactly the providers scoring at least the last shown score leave the database, best first.
        const cutoff = top.at(-1)!.score;
        expect(shortlist.map((s) => s.score)).toEqual(everyone.filter((r) => r.score >= cutoff).map((r) => r.score));
        if (shortlist.length > limit) cutsThroughATie++;
      }
    }
    expect(cutsThroughATie).toBeGreaterThan(0);
  });

  it("keeps a referral's ranking, and ranks again as soon as anything it was ranked from changes", async () => {
    const db = getDb();
    const { referral, coordinator, others } = await seed(db, variedProviders(60));
    const needs = NEEDS[0]!;
    const LONG_AGO = new Date("2000-01-01T00:00:00Z");
    const top = async (today = TODAY) =>
      (await shortlistCandidates(db, referral, needs, today, 5)).shortlist.map((s) => s.candidate.userId);
    /** Marks the kept ranking, so a view that reuses it can be told from one that ranked again. */
    const mark = () =>
      db
        .updateTable("referral_matches")
        .set({ computed_at: LONG_AGO })
        .where("referral_id", "=", referral.id)
        .execute();
    const reused = async () =>
      (
        await db
          .selectFrom("referral_matches")
          .select("computed_at")
          .where("referral_id", "=", referral.id)
          .executeTakeFirstOrThrow()
      ).computed_at.getTime() === LONG_AGO.getTime();
    /** The same view with nothing kept: what ranking the directory now gives. */
    const afresh = async (today = TODAY) => {
      await db.deleteFrom("referral_matches").where("referral_id", "=", referral.id).execute();
      return top(today);
    };

    let before = await top();
    await mark();
    expect(await top()).toEqual(before);
    expect(await reused()).toBe(true);
    // Writes elsewhere leave it kept: here the note digest's bookkeeping on an account.
    await db.updateTable("users").set({ notes_digest_sent_at: NOW }).where("id", "=", before[1]!).execute();
    expect(await top()).toEqual(before);
    expect(await reused()).toBe(true);

    const changes: [string, (first: string) => Promise<unknown>][] = [
      [
        "stops taking new patients",
        (id) => db.updateTable("provider_profiles").set({ accepting_new: false }).where("user_id", "=", id).execute(),
      ],
      [
        "licence lapses",
        (id) =>
          db
            .updateTable("provider_credentials")
            .set({ licence_expires_on: YESTERDAY })
            .where("user_id", "=", id)
            .execute(),
      ],
      [
        "account deactivated",
        (id) =>
          db.updateTable("users").set({ status: "deactivated", deactivated_at: NOW }).where("id", "=", id).execute(),
      ],
      [
        "offered this referral",
        (id) =>
          db
            .insertInto("referral_offers")
            .values({
              referral_id: referral.id,
              provider_id: id,
              offered_by: coordinator.id,
              offered_at: NOW,
              expires_at: new Date(NOW.getTime() + 72 * HOUR),
              status: "open",
            })
            .execute(),
      ],
      [
        "joins the patient's team",
        (id) =>
          db
            .insertInto("care_team_members")
            .values({
              patient_id: referral.patient_id,
              user_id: id,
              team_role: "other",
              started_at: NOW,
              added_by: coordinator.id,
            })
            .execute(),
      ],
      // Caseload: four more current patients lower the top provider's free share.
      [
        "takes on other patients",
        (id) =>
          db
            .insertInto("care_team_members")
            .values(
              others.slice(0, 4).map((o) => ({
                patient_id: o.id,
                user_id: id,
                team_role: "other" as const,
                started_at: NOW,
                added_by: coordinator.id,
              })),
            )
            .execute(),
      ],
    ];
    for (const [what, change] of changes) {
      await mark();
      await change(before[0]!);
      const now = await top();
      expect(await reused(), what).toBe(false);
      expect(now, what).toEqual(await afresh());
      if (what !== "takes on other patients") expect(now, what).not.toContain(before[0]);
      before = now;
    }
    // A new day ranks again: licences expire by the calendar.
    await mark();
    expect(await top("2026-10-21")).toEqual(await afresh("2026-10-21"));
  });

  it("ranks a referral end to end as rankCandidates ranks the whole directory", async () => {
    const db = getDb();
    const { referral, considered } = await seed(db, [...EDGE_CASES.map(([f]) => f), ...variedProviders(60)]);
    for (const limit of [25, 4]) {
      const result = await matchReferral(db, referral, NOW, limit);
      expect([...(result.needs.windowDays ?? [])].sort()).toEqual(["fri", "sat", "sun", "thu"]);
      const everyone = rankCandidates(considered, result.needs, TODAY);
      expect(result.considered).toBe(everyone.length);
      expect(view(result.ranked)).toEqual(view(everyone.slice(0, limit)));
      expect(result.ranked.map((r) => r.candidate)).toEqual(everyone.slice(0, limit).map((r) => r.candidate));
    }
  });
});
