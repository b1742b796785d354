import { expect, it } from "vitest";
import type { ReferralStatus } from "../../db/schema";
import { clinicToday } from "~/lib/time";
import { recordRelease } from "~/modules/patients/care-team.server";
import { confirmEngagement } from "~/modules/engagement/engagement.server";
import { requirePatient } from "~/modules/patients/patients.server";
import { saveProfile, type ProfileInput } from "~/modules/referrals/profiles.server";
import {
  cancelReferral,
  closeReferral,
  getReferral,
  openReferral,
  ReferralError,
  type ReferralInput,
} from "~/modules/referrals/referrals.server";
import { expireOffers, offerReferral, offersForProvider, respondToOffer } from "~/modules/referrals/offers.server";
import { matchReferral } from "~/modules/referrals/match.server";
import { referralHistory, referralPipeline } from "~/modules/referrals/pipeline.server";
import { HOUR, MINUTE } from "../support/clock";
import { describeEachEngine } from "../support/db";
import {
  actorFor,
  auditContextFor,
  createProvider,
  createUser,
  engagementInput,
  giveAccess,
  insertClinicBasics,
  insertCourse,
  insertPatient,
  type TestUser,
} from "../support/factories";

const APP_URL = "https://portal.ember.test";
// 11:00 in New York on Tuesday 2026-10-20.
const NOW = new Date("2026-10-20T15:00:00Z");
const TODAY = clinicToday(NOW);
const later = (ms: number) => new Date(NOW.getTime() + ms);

const NEEDS: Omit<ReferralInput, "patientId"> = {
  modality: "WET",
  setting: "in_person",
  borough: "Brooklyn",
  insurance: "Aetna",
  language: "Spanish",
  urgency: "soon",
  needsWindow: false,
};

/** A profile that passes every hard filter for NEEDS. */
const PROFILE: ProfileInput = {
  modalities: ["WET"],
  certifiedModalities: [],
  licenceStates: ["NY"],
  boroughs: ["Brooklyn"],
  practiceAddress: "1 Court St, Brooklyn",
  telehealth: "yes",
  insurances: ["Aetna", "Cigna"],
  languages: ["English", "Spanish"],
  acceptingNew: "yes",
  openSlotsPerWeek: 3,
  availableDays: ["mon", "wed"],
  availableTimes: ["evening"],
};

async function expectReferralError(promise: Promise<unknown>, status: number, message: RegExp) {
  const error = await promise.then(
    () => expect.unreachable("expected a ReferralError"),
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ReferralError);
  expect((error as ReferralError).status).toBe(status);
  expect((error as ReferralError).message).toMatch(message);
}

describeEachEngine("referrals", (getDb) => {
  async function setUp() {
    const db = getDb();
    await insertClinicBasics(db);
    const coordinator = await createUser(db, { role: "coordinator", name: "Maya Okafor" });
    const patient = await insertPatient(db, { firstName: "Teodora", lastName: "Blanchflower" });
    return { db, coordinator, patient };
  }

  /** An outside provider with a NY licence and a directory profile (PROFILE unless overridden). */
  async function providerWithProfile(
    name: string,
    profile: Partial<ProfileInput> = {},
    options: {
      role?: "therapist" | "psychiatrist";
      licenceState?: string;
      licenceExpiresOn?: string;
      status?: "active" | "deactivated";
    } = {},
  ): Promise<TestUser> {
    const db = getDb();
    const user = await createProvider(db, { role: options.role ?? "therapist", name });
    await saveProfile(db, auditContextFor(user), { ...PROFILE, ...profile, userId: user.id, now: NOW });
    if (options.licenceState || options.licenceExpiresOn) {
      await db
        .updateTable("provider_credentials")
        .set({
          ...(options.licenceState ? { licence_state: options.licenceState } : {}),
          ...(options.licenceExpiresOn ? { licence_expires_on: options.licenceExpiresOn } : {}),
        })
        .where("user_id", "=", user.id)
        .execute();
    }
    if (options.status === "deactivated")
      await db
        .updateTable("users")
        .set({ status: "deactivated", deactivated_at: NOW })
        .where("id", "=", user.id)
        .execute();
    return user;
  }

  async function open(coordinator: TestUser, patientId: string, needs: Partial<ReferralInput> = {}, now = NOW) {
    const id = await openReferral(getDb(), actorFor(coordinator), auditContextFor(coordinator), {
      ...NEEDS,
      ...needs,
      patientId,
      now,
    });
    return (await getReferral(getDb(), id))!;
  }
  const offer = (coordinator: TestUser, referralId: string, providerId: string, now = NOW, allowSeveral = false) =>
    offerReferral(getDb(), actorFor(coordinator), auditContextFor(coordinator), {
      referralId,
      providerId,
      allowSeveral,
      now,
      appUrl: APP_URL,
    });
  const respond = (provider: TestUser, offerId: string, accept: boolean, now: Date, reason?: string) =>
    respondToOffer(getDb(), actorFor(provider), auditContextFor(provider), {
      offerId,
      accept,
      reason,
      now,
      appUrl: APP_URL,
    });
  const statusOf = async (referralId: string) => (await getReferral(getDb(), referralId))!.status;
  const offerStatuses = async (referralId: string) =>
    Object.fromEntries(
      (
        await getDb()
          .selectFrom("referral_offers")
          .select(["provider_id", "status"])
          .where("referral_id", "=", referralId)
          .execute()
      ).map((o) => [o.provider_id, o.status]),
    );
  const match = async (referralId: string, now = NOW) =>
    matchReferral(getDb(), (await getReferral(getDb(), referralId))!, now);
  const outbox = () => getDb().selectFrom("email_outbox").selectAll().orderBy("id").execute();

  it("applies every hard filter in SQL and ranks who is left", async () => {
    const { db, coordinator, patient } = await setUp();
    const certified = await providerWithProfile("Ana Alvarez, LCSW", { certifiedModalities: ["WET"] });
    const trained = await providerWithProfile("Ben Brooks, LMHC");
    const nyByProfile = await providerWithProfile(
      "Cal Chen, PsyD",
      { modalities: ["CPT"], licenceStates: ["NJ", "NY"] },
      { licenceState: "NJ" },
    );
    const expiresToday = await providerWithProfile(
      "Dee Diaz, LMFT",
      { languages: ["English"] },
      { licenceExpiresOn: TODAY },
    );
    const onTeam = await providerWithProfile("Eve Evans, LCSW", { certifiedModalities: ["WET"] });
    await giveAccess(db, { patientId: patient.id, providerId: onTeam.id, by: coordinator, now: NOW });
    const excluded = {
      licenceNotNy: await providerWithProfile("Xa Jersey, LCSW", { licenceStates: ["NJ"] }, { licenceState: "NJ" }),
      expired: await providerWithProfile("Xb Expired, LCSW", {}, { licenceExpiresOn: "2026-10-19" }),
      notAccepting: await providerWithProfile("Xc Full, LCSW", { acceptingNew: undefined }),
      noSlot: await providerWithProfile("Xd Noslot, LCSW", { openSlotsPerWeek: 0 }),
      insurance: await providerWithProfile("Xe Cigna, LCSW", { insurances: ["Cigna", "Medicaid"] }),
      deactivated: await providerWithProfile("Xf Gone, LCSW", {}, { status: "deactivated" }),
    };
    // A provider with a licence and no profile is not in the directory at all.
    await createProvider(db, { name: "Xg Noprofile, LCSW" });

    const referral = await open(coordinator, patient.id);
    const result = await match(referral.id);
    expect(result.considered).toBe(4);
    expect(result.ranked.map((r) => r.candidate.name)).toEqual([
      "Ana Alvarez, LCSW",
      "Ben Brooks, LMHC",
      "Dee Diaz, LMFT",
      "Cal Chen, PsyD",
    ]);
    expect(result.ranked.map((r) => r.candidate.userId)).toEqual([
      certified.id,
      trained.id,
      expiresToday.id,
      nyByProfile.id,
    ]);
    const ids = result.ranked.map((r) => r.candidate.userId);
    for (const [why, user] of Object.entries({ ...excluded, onTeam })) expect(ids, why).not.toContain(user.id);

    const top = result.ranked[0]!;
    expect(top.candidate).toMatchObject({
      licenceState: "NY",
      licenceExpiresOn: "2028-12-31",
      activePatients: 0,
      offersAccepted: 0,
      offersAnswered: 0,
      medianResponseHours: null,
    });
    expect(top.reasons).toEqual([
      "certified in WET (+30)",
      "practises in Brooklyn (+20)",
      "speaks Spanish (+15)",
      "no timing constraint (+5)",
      "3 of 3 weekly slots free after 0 current Ember patients (+15)",
      "no past offers (+5)",
    ]);
    expect(top.score).toBe(90);

    // A self-paying patient drops the insurance filter, and only that one.
    const selfPay = await open(coordinator, patient.id, { insurance: "Self-pay" });
    const selfPayIds = (await match(selfPay.id)).ranked.map((r) => r.candidate.userId);
    expect(selfPayIds).toContain(excluded.insurance.id);
    expect(selfPayIds).toHaveLength(5);
    // Insurance that nobody takes leaves nobody.
    const va = await open(coordinator, patient.id, { insurance: "VA Community Care" });
    expect(await match(va.id)).toMatchObject({ considered: 0, ranked: [] });
  });

  it("feeds load and offer history from the database into the ranking", async () => {
    const { db, coordinator, patient } = await setUp();
    const busy = await providerWithProfile("Busy Bee, LCSW");
    const prompt = await providerWithProfile("Prompt Pat, LCSW");
    for (let i = 0; i < 2; i++) {
      const other = await insertPatient(db);
      await giveAccess(db, { patientId: other.id, providerId: busy.id, by: coordinator, now: NOW, release: null });
    }
    // Prompt Pat accepted one offer after 6 hours and declined one after 30: median 18 h.
    for (const [accept, hours] of [
      [true, 6],
      [false, 30],
    ] as const) {
      const other = await insertPatient(db);
      const r = await open(coordinator, other.id, {}, later(-100 * HOUR));
      const offerId = await offer(coordinator, r.id, prompt.id, later(-100 * HOUR));
      await respond(prompt, offerId, accept, later((-100 + hours) * HOUR), accept ? undefined : "full this month");
    }
    const referral = await open(coordinator, patient.id);
    const ranked = (await match(referral.id)).ranked;
    const busyRank = ranked.find((r) => r.candidate.userId === busy.id)!;
    const promptRank = ranked.find((r) => r.candidate.userId === prompt.id)!;
    expect(busyRank.candidate).toMatchObject({ activePatients: 2, offersAnswered: 0 });
    expect(busyRank.reasons[4]).toBe("1 of 3 weekly slots free after 2 current Ember patients (+5)");
    expect(promptRank.candidate).toMatchObject({
      activePatients: 1,
      offersAccepted: 1,
      offersAnswered: 2,
      medianResponseHours: 18,
    });
    expect(promptRank.reasons[5]).toBe("accepted 1 of 2 past offers, median reply 18 h (+8)");
    expect(ranked.map((r) => r.candidate.userId)).toEqual([prompt.id, busy.id]);
  });

  it("uses the weekdays of the therapy window after the next infusion when the referral needs it", async () => {
    const { db, coordinator, patient } = await setUp();
    const clinician = await createUser(db, { role: "clinician" });
    const weekend = await providerWithProfile("Wendy Weekend, LCSW", { availableDays: ["sat", "sun"] });
    const monday = await providerWithProfile("Manny Monday, LCSW", { availableDays: ["mon"] });
    // Thursday Oct 22, 10:00 New York: the window runs from 11:30 Thursday to 11:30 Sunday.
    await insertCourse(db, {
      patientId: patient.id,
      clinicianId: clinician.id,
      createdBy: coordinator.id,
      starts: [new Date("2026-10-22T14:00:00Z")],
    });
    const referral = await open(coordinator, patient.id, { needsWindow: true });
    const { needs, ranked } = await match(referral.id);
    expect(needs.windowDays?.sort()).toEqual(["fri", "sat", "sun", "thu"]);
    expect(ranked.map((r) => r.candidate.userId)).toEqual([weekend.id, monday.id]);
    expect(ranked[0]!.reasons[3]).toMatch(/^available during the window \((sat, sun|sun, sat)\) \(\+10\)$/);
    expect(ranked[1]!.reasons[3]).toBe("not usually available during the window (+0)");
  });

  it("runs the closed loop: offer, decline, offer, accept, release, engagement, close, with every event recorded", async () => {
    const { db, coordinator, patient } = await setUp();
    const first = await providerWithProfile("Ana Alvarez, LCSW", { certifiedModalities: ["WET"] });
    const second = await providerWithProfile("Ben Brooks, LMHC");
    const referral = await open(coordinator, patient.id);
    expect(referral.status).toBe("open");

    const offer1 = await offer(coordinator, referral.id, first.id, later(1 * HOUR));
    expect(await statusOf(referral.id)).toBe("offered");
    // The offer is not a candidate any more.
    expect((await match(referral.id)).ranked.map((r) => r.candidate.userId)).toEqual([second.id]);
    await respond(first, offer1, false, later(2 * HOUR), "No evening slots for WET this month.");
    expect(await statusOf(referral.id)).toBe("open");
    expect(await offerStatuses(referral.id)).toEqual({ [first.id]: "declined" });
    // A declined provider is neither matched nor offered again.
    expect((await match(referral.id)).ranked.map((r) => r.candidate.userId)).toEqual([second.id]);
    await expectReferralError(offer(coordinator, referral.id, first.id, later(3 * HOUR)), 409, /already offered/);

    const offer2 = await offer(coordinator, referral.id, second.id, later(3 * HOUR));
    await respond(second, offer2, true, later(4 * HOUR));
    const accepted = (await getReferral(db, referral.id))!;
    expect(accepted).toMatchObject({
      status: "accepted",
      accepted_provider_id: second.id,
      status_changed_at: later(4 * HOUR),
    });
    expect(
      await db
        .selectFrom("care_team_members")
        .select(["user_id", "team_role", "added_by", "ended_at"])
        .where("patient_id", "=", patient.id)
        .execute(),
    ).toEqual([{ user_id: second.id, team_role: "primary_therapist", added_by: coordinator.id, ended_at: null }]);

    // On the team, but the patient's record waits for the release of information.
    const view = () =>
      requirePatient(db, actorFor(second), auditContextFor(second), patient.id, TODAY, "engagement.view");
    await expect(view()).rejects.toMatchObject({ init: { status: 403 }, data: { awaitingRelease: expect.anything() } });
    await recordRelease(db, auditContextFor(coordinator), {
      patientId: patient.id,
      providerId: second.id,
      signedOn: "2026-10-20",
      expiresOn: "2027-10-20",
      scope: ["care_coordination"],
      now: later(5 * HOUR),
      appUrl: APP_URL,
    });
    expect((await view()).id).toBe(patient.id);

    await confirmEngagement(db, actorFor(second), auditContextFor(second), {
      ...engagementInput(second.name),
      patientId: patient.id,
      now: later(6 * HOUR),
    });
    expect(await statusOf(referral.id)).toBe("engaged");
    await closeReferral(db, actorFor(coordinator), auditContextFor(coordinator), {
      referralId: referral.id,
      now: later(7 * HOUR),
    });
    expect(await statusOf(referral.id)).toBe("closed");
    await expectReferralError(
      closeReferral(db, actorFor(coordinator), auditContextFor(coordinator), {
        referralId: referral.id,
        now: later(8 * HOUR),
      }),
      409,
      /closed once the provider has confirmed engagement/,
    );
    await expectReferralError(
      cancelReferral(db, actorFor(coordinator), auditContextFor(coordinator), {
        referralId: referral.id,
        reason: "too late",
        now: later(8 * HOUR),
      }),
      409,
      /already closed/,
    );

    const { events, offers } = await referralHistory(db, referral.id);
    expect(
      events.map((e) => ({ from: e.from_status, to: e.to_status, by: e.actor_name, at: e.at, note: e.note })),
    ).toEqual([
      { from: null, to: "open", by: "Maya Okafor", at: NOW, note: null },
      { from: "open", to: "offered", by: "Maya Okafor", at: later(1 * HOUR), note: null },
      {
        from: "offered",
        to: "open",
        by: "Ana Alvarez, LCSW",
        at: later(2 * HOUR),
        note: "declined: No evening slots for WET this month.",
      },
      { from: "open", to: "offered", by: "Maya Okafor", at: later(3 * HOUR), note: null },
      { from: "offered", to: "accepted", by: "Ben Brooks, LMHC", at: later(4 * HOUR), note: null },
      { from: "accepted", to: "engaged", by: "Ben Brooks, LMHC", at: later(6 * HOUR), note: null },
      { from: "engaged", to: "closed", by: "Maya Okafor", at: later(7 * HOUR), note: null },
    ]);
    expect(offers.map((o) => [o.provider_name, o.status, o.decline_reason])).toEqual([
      ["Ana Alvarez, LCSW", "declined", "No evening slots for WET this month."],
      ["Ben Brooks, LMHC", "accepted", null],
    ]);
    const pipeline = await referralPipeline(db, later(7 * HOUR));
    expect(pipeline.states.find((s) => s.status === "closed")!.count).toBe(1);
    expect(pipeline.waiting).toEqual([]);
  });

  it("closes only an engaged referral, and an engagement by another provider does not move it", async () => {
    const { db, coordinator, patient } = await setUp();
    const accepted = await providerWithProfile("Ben Brooks, LMHC");
    const bystander = await createProvider(db, { name: "Bo Stander, LCSW" });
    await giveAccess(db, { patientId: patient.id, providerId: bystander.id, by: coordinator, now: NOW });
    const referral = await open(coordinator, patient.id);
    await expectReferralError(
      closeReferral(db, actorFor(coordinator), auditContextFor(coordinator), { referralId: referral.id, now: NOW }),
      409,
      /closed once/,
    );
    await respond(accepted, await offer(coordinator, referral.id, accepted.id), true, later(HOUR));
    await expectReferralError(
      closeReferral(db, actorFor(coordinator), auditContextFor(coordinator), {
        referralId: referral.id,
        now: later(HOUR),
      }),
      409,
      /closed once/,
    );
    await confirmEngagement(db, actorFor(bystander), auditContextFor(bystander), {
      ...engagementInput(bystander.name),
      patientId: patient.id,
      now: later(2 * HOUR),
    });
    expect(await statusOf(referral.id)).toBe("accepted");
  });

  it("expires an unanswered offer after 72 hours, reopens the referral and tells the coordinator", async () => {
    const { db, coordinator, patient } = await setUp();
    const slow = await providerWithProfile("Sol Slow, LCSW");
    const referral = await open(coordinator, patient.id);
    const offerId = await offer(coordinator, referral.id, slow.id);
    expect(
      (await db.selectFrom("referral_offers").select("expires_at").where("id", "=", offerId).executeTakeFirstOrThrow())
        .expires_at,
    ).toEqual(later(72 * HOUR));

    expect(await expireOffers(db, { now: later(72 * HOUR - MINUTE), appUrl: APP_URL })).toBe(0);
    expect(await statusOf(referral.id)).toBe("offered");
    expect((await outbox()).filter((m) => m.template === "offer-expired")).toEqual([]);

    expect(await expireOffers(db, { now: later(72 * HOUR), appUrl: APP_URL })).toBe(1);
    expect(await offerStatuses(referral.id)).toEqual({ [slow.id]: "expired" });
    expect(await statusOf(referral.id)).toBe("open");
    const events = (await referralHistory(db, referral.id)).events;
    expect(events.at(-1)).toMatchObject({
      from_status: "offered",
      to_status: "open",
      actor_name: null,
      note: "offer expired",
      at: later(72 * HOUR),
    });
    const mail = (await outbox()).filter((m) => m.template === "offer-expired");
    expect(mail.map((m) => m.to_address)).toEqual([coordinator.email]);
    expect(mail[0]!.html).toContain(`${APP_URL}/referrals/${referral.id}`);
    for (const part of [mail[0]!.subject, mail[0]!.html, mail[0]!.text])
      expect(part).not.toMatch(/Teodora|Blanchflower/);

    // Once expired it cannot be answered, and the job does not expire it twice.
    await expectReferralError(respond(slow, offerId, true, later(73 * HOUR)), 404, /no longer open/);
    expect(await expireOffers(db, { now: later(100 * HOUR), appUrl: APP_URL })).toBe(0);
    expect((await outbox()).filter((m) => m.template === "offer-expired")).toHaveLength(1);
  });

  it("refuses an answer after expiry even before the job has run, and follows the clinic's expiry setting", async () => {
    const { db, coordinator, patient } = await setUp();
    const slow = await providerWithProfile("Sol Slow, LCSW");
    await db.updateTable("clinic_settings").set({ offer_expiry_hours: 24 }).execute();
    const referral = await open(coordinator, patient.id);
    const offerId = await offer(coordinator, referral.id, slow.id);
    await expectReferralError(respond(slow, offerId, true, later(24 * HOUR)), 404, /no longer open/);
    const [shown] = await offersForProvider(db, actorFor(slow), later(24 * HOUR));
    expect(shown!.status).toBe("expired");
    expect(await expireOffers(db, { now: later(24 * HOUR), appUrl: APP_URL })).toBe(1);
  });

  it("keeps a referral offered while another offer to several is still open", async () => {
    const { db, coordinator, patient } = await setUp();
    const a = await providerWithProfile("Ana Alvarez, LCSW");
    const b = await providerWithProfile("Ben Brooks, LMHC");
    const referral = await open(coordinator, patient.id);
    await offer(coordinator, referral.id, a.id, NOW);
    await offer(coordinator, referral.id, b.id, later(HOUR), true);
    expect(await expireOffers(db, { now: later(72 * HOUR), appUrl: APP_URL })).toBe(1);
    expect(await statusOf(referral.id)).toBe("offered");
    expect(await offerStatuses(referral.id)).toEqual({ [a.id]: "expired", [b.id]: "open" });
    expect(await expireOffers(db, { now: later(73 * HOUR), appUrl: APP_URL })).toBe(1);
    expect(await statusOf(referral.id)).toBe("open");
  });

  it("allows one open offer at a time unless the coordinator offers to several; accepting withdraws the rest", async () => {
    const { db, coordinator, patient } = await setUp();
    const [a, b, c] = [
      await providerWithProfile("Ana Alvarez, LCSW"),
      await providerWithProfile("Ben Brooks, LMHC"),
      await providerWithProfile("Cal Chen, PsyD"),
    ];
    const referral = await open(coordinator, patient.id);
    const offerA = await offer(coordinator, referral.id, a.id);
    await expectReferralError(offer(coordinator, referral.id, b.id), 409, /An offer is already open/);
    expect(await offerStatuses(referral.id)).toEqual({ [a.id]: "open" });
    const offerB = await offer(coordinator, referral.id, b.id, later(MINUTE), true);
    await offer(coordinator, referral.id, c.id, later(2 * MINUTE), true);
    expect(await offerStatuses(referral.id)).toEqual({ [a.id]: "open", [b.id]: "open", [c.id]: "open" });
    // One referral-offer notice per provider, without patient data.
    const notices = (await outbox()).filter((m) => m.template === "referral-offer");
    expect(notices.map((m) => m.to_address).sort()).toEqual([a.email, b.email, c.email].sort());
    for (const m of notices)
      for (const part of [m.subject, m.html, m.text]) expect(part).not.toMatch(/Teodora|Blanchflower|1986/);

    // A declines while others are open: the referral stays offered.
    await respond(a, offerA, false, later(HOUR), "full");
    expect(await statusOf(referral.id)).toBe("offered");
    await respond(b, offerB, true, later(2 * HOUR));
    expect(await offerStatuses(referral.id)).toEqual({ [a.id]: "declined", [b.id]: "accepted", [c.id]: "withdrawn" });
    expect(await statusOf(referral.id)).toBe("accepted");
    const cOffer = await db
      .selectFrom("referral_offers")
      .select("id")
      .where("provider_id", "=", c.id)
      .executeTakeFirstOrThrow();
    await expectReferralError(respond(c, cOffer.id, true, later(3 * HOUR)), 404, /no longer open/);
    await expectReferralError(
      offer(coordinator, referral.id, c.id, later(3 * HOUR), true),
      409,
      /accepted: it can no longer be offered/,
    );
    expect(
      (await db.selectFrom("care_team_members").select("user_id").where("patient_id", "=", patient.id).execute()).map(
        (m) => m.user_id,
      ),
    ).toEqual([b.id]);
  });

  it("shows a provider only their own offers, de-identified until they accept", async () => {
    const { db, coordinator, patient } = await setUp();
    const a = await providerWithProfile("Ana Alvarez, LCSW");
    const b = await providerWithProfile("Ben Brooks, LMHC");
    await db
      .updateTable("patients")
      .set({ risk_flags: ["dissociation"] })
      .where("id", "=", patient.id)
      .execute();
    const referral = await open(coordinator, patient.id);
    const offerA = await offer(coordinator, referral.id, a.id, NOW, true);
    const offerB = await offer(coordinator, referral.id, b.id, NOW, true);

    // What the database hands back for the offer, before any code of ours touches it.
    const rawRows: Array<Record<string, unknown>> = [];
    const watched = db.withPlugin({
      transformQuery: (args) => args.node,
      transformResult: async (args) => {
        rawRows.push(...(args.result.rows as Array<Record<string, unknown>>));
        return args.result;
      },
    });
    const seenByA = await offersForProvider(watched, actorFor(a), later(HOUR));
    expect(seenByA.map((o) => o.id)).toEqual([offerA]);
    // Only what a therapist needs to decide: no name, age, diagnoses or risk flags.
    expect(seenByA[0]).toEqual({
      id: offerA,
      status: "open",
      offered_at: NOW,
      expires_at: expect.any(Date),
      responded_at: null,
      patient: null,
      summary: {
        modality: "WET",
        setting: "in_person",
        borough: "Brooklyn",
        insurance: "Aetna",
        language: "Spanish",
        urgency: "soon",
        needsWindow: false,
      },
    });
    // Selected in SQL, not dropped afterwards: the query never returned those columns.
    expect(rawRows).toHaveLength(1);
    const rawColumns = Object.keys(rawRows[0]!);
    for (const column of ["first_name", "last_name", "date_of_birth", "diagnoses", "risk_flags", "record_number"])
      expect(rawColumns).not.toContain(column);
    expect(rawRows[0]).toMatchObject({ patient_id: null, patient_name: null });
    const serialised = JSON.stringify(seenByA);
    for (const secret of [
      patient.first_name,
      patient.last_name,
      patient.record_number,
      patient.id,
      "1986-03-14",
      "ptsd",
      "dissociation",
    ])
      expect(serialised).not.toContain(secret);
    // Nor can a provider answer another provider's offer.
    await expectReferralError(respond(a, offerB, true, later(HOUR)), 404, /no longer open/);
    expect((await offersForProvider(db, actorFor(b), later(HOUR))).map((o) => o.id)).toEqual([offerB]);

    await respond(a, offerA, true, later(2 * HOUR));
    const [afterAccept] = await offersForProvider(db, actorFor(a), later(2 * HOUR));
    expect(afterAccept).toMatchObject({
      status: "accepted",
      patient: { id: patient.id, name: `Blanchflower, Teodora` },
    });
    // B's offer was withdrawn: still no name for B.
    const [forB] = await offersForProvider(db, actorFor(b), later(2 * HOUR));
    expect(forB).toMatchObject({ status: "withdrawn", patient: null });
    expect(JSON.stringify(forB)).not.toMatch(/Teodora|Blanchflower/);
  });

  it("cancels an open or offered referral, withdrawing open offers, with the reason recorded", async () => {
    const { db, coordinator, patient } = await setUp();
    const a = await providerWithProfile("Ana Alvarez, LCSW");
    const referral = await open(coordinator, patient.id);
    const offerA = await offer(coordinator, referral.id, a.id);
    await cancelReferral(db, actorFor(coordinator), auditContextFor(coordinator), {
      referralId: referral.id,
      reason: "Patient found a therapist privately.",
      now: later(HOUR),
    });
    expect(await getReferral(db, referral.id)).toMatchObject({
      status: "cancelled",
      cancel_reason: "Patient found a therapist privately.",
    });
    expect(await offerStatuses(referral.id)).toEqual({ [a.id]: "withdrawn" });
    await expectReferralError(respond(a, offerA, true, later(2 * HOUR)), 404, /no longer open/);
    const statuses: (ReferralStatus | null)[] = (await referralHistory(db, referral.id)).events.map((e) => e.to_status);
    expect(statuses).toEqual(["open", "offered", "cancelled"]);
    await expectReferralError(
      offer(coordinator, referral.id, a.id, later(3 * HOUR)),
      409,
      /cancelled: it can no longer be offered/,
    );
  });
});
