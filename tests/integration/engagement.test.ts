import { describe, expect, it } from "vitest";
import { clinicToday, addDays } from "~/lib/time";
import { endCareTeamMembership, revokeRelease } from "~/modules/patients/care-team.server";
import {
  clinicSettings,
  confirmEngagement,
  EngagementError,
  engagementByProvider,
  engagementGate,
  engagementStatus,
  eligibilitySummary,
  recordDiscussion,
} from "~/modules/engagement/engagement.server";
import { queueEngagementReminders } from "~/modules/engagement/reminders.server";
import { requirePatient } from "~/modules/patients/patients.server";
import { discussionSchema, engagementSchema } from "~/modules/engagement/schema";
import { acceptInvitation, createInvitation } from "~/modules/users/invitations.server";
import { DAY, HOUR, MINUTE, TestClock } from "../support/clock";
import { describeEachEngine } from "../support/db";
import {
  actorFor,
  auditContextFor,
  createProvider,
  createUser,
  engagementInput,
  giveAccess,
  insertClinicBasics,
  insertPatient,
  type TestUser,
  uniqueEmail,
} from "../support/factories";
import { outboxTo, TEST_SECRETS_KEY, tokensSentTo } from "../support/mail";

const APP_URL = "https://portal.ember.test";
// 11:00 in New York on Tuesday 2026-10-20.
const NOW = new Date("2026-10-20T15:00:00Z");
const TODAY = clinicToday(NOW);

const NO_ENGAGEMENT =
  "No active engagement confirmation: an outside licensed provider on the care team must confirm they actively treat the patient.";
const NO_RELEASE = "Release of information missing: no engaged provider has a current, unrevoked release on file.";
const NO_DISCUSSION =
  "PTSD without depression: a clinician must document the discussion of the mixed evidence before scheduling.";

describeEachEngine("engagement", (getDb) => {
  async function setUp(diagnoses: string[] = ["ptsd", "mdd"]) {
    const db = getDb();
    await insertClinicBasics(db);
    const coordinator = await createUser(db, { role: "coordinator", name: "Maya Okafor" });
    const clinician = await createUser(db, { role: "clinician", name: "Dr. Lena Brooks, MD" });
    const therapist = await createProvider(db, { role: "therapist", name: "Dana Whitfield, LCSW" });
    const patient = await insertPatient(db, { diagnoses });
    const access = await giveAccess(db, { patientId: patient.id, providerId: therapist.id, by: coordinator, now: NOW });
    return { db, coordinator, clinician, therapist, patient, access };
  }

  const confirm = (
    provider: TestUser,
    patientId: string,
    now: Date,
    overrides: Parameters<typeof engagementInput>[1] = {},
  ) =>
    confirmEngagement(getDb(), actorFor(provider), auditContextFor(provider), {
      ...engagementInput(provider.name, overrides),
      patientId,
      now,
    });

  const gate = (patientId: string, now = NOW) => engagementGate(getDb(), patientId, now);

  async function summary(patient: { id: string }, now = NOW) {
    const db = getDb();
    const row = await db
      .selectFrom("patients")
      .select("diagnoses")
      .where("id", "=", patient.id)
      .executeTakeFirstOrThrow();
    const records = await engagementByProvider(db, patient.id, now);
    const discussions = await db
      .selectFrom("eligibility_discussions")
      .select("id")
      .where("patient_id", "=", patient.id)
      .execute();
    return {
      records,
      status: engagementStatus(records),
      eligibility: eligibilitySummary(row, records, discussions.length),
    };
  }

  it("refuses a signature that is not the provider's own name, writing nothing", async () => {
    const { db, therapist, patient } = await setUp();
    for (const signature of ["D. Whitfield, LCSW", "Dana Whitfield, LMHC", "Dana", "Whitfield", "Maya Okafor"]) {
      const error = await confirm(therapist, patient.id, NOW, { signature }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(EngagementError);
      expect((error as EngagementError).field).toBe("signature");
      expect((error as EngagementError).message).toBe(
        "Sign by typing your full name as on your account: Dana Whitfield, LCSW (the credential after the comma may be left out).",
      );
    }
    expect(await db.selectFrom("engagement_confirmations").select("id").execute()).toEqual([]);
    expect(
      await db.selectFrom("audit_events").select("id").where("action", "=", "engagement.confirm").execute(),
    ).toEqual([]);
  });

  it("accepts the name without its credential, still whatever its case and spacing", async () => {
    const { db, therapist, patient } = await setUp();
    await confirm(therapist, patient.id, NOW, { signature: "  dana   WHITFIELD " });
    expect(await db.selectFrom("engagement_confirmations").select("signature_name").execute()).toEqual([
      { signature_name: "dana   WHITFIELD" },
    ]);
  });

  it("accepts the name whatever its case and spacing, and records the licence and a 90-day expiry", async () => {
    const { db, therapist, patient } = await setUp();
    const id = await confirm(therapist, patient.id, NOW, { signature: "  dana   WHITFIELD, lcsw " });
    const row = await db
      .selectFrom("engagement_confirmations")
      .selectAll()
      .where("id", "=", id)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({
      patient_id: patient.id,
      provider_id: therapist.id,
      signature_name: "dana   WHITFIELD, lcsw",
      ptsd_confirmed: true,
      depression: "mdd",
      agrees_to_coordinate: true,
      treatment_started_on: "2026-06-01",
      last_session_on: "2026-10-13",
    });
    expect(row.signature_licence).toMatch(/^LCSW R-[0-9a-f]+ \(NY\)$/);
    expect(row.confirmed_at.getTime()).toBe(NOW.getTime());
    expect(row.expires_at.getTime()).toBe(NOW.getTime() + 90 * DAY);
    const audit = await db.selectFrom("audit_events").selectAll().where("action", "=", "engagement.confirm").execute();
    expect(audit).toEqual([
      expect.objectContaining({ actor_id: therapist.id, entity_id: id, patient_id: patient.id, outcome: "success" }),
    ]);
  });

  it("closes the gate until a provider on the team confirms, then opens it for a comorbid patient", async () => {
    const { therapist, patient } = await setUp();
    expect(await gate(patient.id)).toEqual({ allowed: false, reasons: [NO_ENGAGEMENT] });
    expect((await summary(patient)).status).toBe("none");

    await confirm(therapist, patient.id, NOW);
    expect(await gate(patient.id)).toEqual({ allowed: true, reasons: [] });
    const { status, eligibility, records } = await summary(patient);
    expect(status).toBe("engaged");
    expect(records).toEqual([
      expect.objectContaining({ provider_id: therapist.id, active: true, on_team: true, release_current: true }),
    ]);
    expect(eligibility).toEqual({
      kind: "comorbid",
      headline: "PTSD with comorbid depression — evidence most consistent",
      discussionRequired: false,
      discussionDocumented: false,
    });
  });

  it("does not count a confirmation by a provider who is not on the team", async () => {
    const { db, coordinator, therapist, patient, access } = await setUp();
    await confirm(therapist, patient.id, NOW);
    await endCareTeamMembership(db, auditContextFor(coordinator), {
      patientId: patient.id,
      memberId: access.memberId,
      reason: "Care transferred",
      now: NOW,
    });
    expect(await gate(patient.id)).toEqual({ allowed: false, reasons: [NO_ENGAGEMENT] });
    const { status, eligibility } = await summary(patient);
    expect(status).toBe("none");
    expect(eligibility.kind).toBe("not_eligible");
  });

  it("closes the gate with the release reason once the engaged provider's release is revoked", async () => {
    const { db, coordinator, therapist, patient, access } = await setUp();
    await confirm(therapist, patient.id, NOW);
    expect((await gate(patient.id)).allowed).toBe(true);
    await revokeRelease(db, auditContextFor(coordinator), {
      patientId: patient.id,
      releaseId: access.releaseId!,
      reason: "Consent withdrawn",
      now: NOW,
    });
    expect(await gate(patient.id)).toEqual({ allowed: false, reasons: [NO_RELEASE] });
    const { records } = await summary(patient);
    expect(records[0]).toMatchObject({ active: true, on_team: true, release_current: false });
  });

  it("needs a documented discussion before a PTSD-only patient can be scheduled", async () => {
    const { db, clinician, therapist, patient } = await setUp(["ptsd"]);
    await confirm(therapist, patient.id, NOW, { depression: "none" });
    expect(await gate(patient.id)).toEqual({ allowed: false, reasons: [NO_DISCUSSION] });
    expect((await summary(patient)).eligibility).toEqual({
      kind: "ptsd_only",
      headline: "PTSD without depression — evidence mixed: a documented discussion is required",
      discussionRequired: true,
      discussionDocumented: false,
    });

    const id = await recordDiscussion(db, auditContextFor(clinician), {
      patientId: patient.id,
      clinicianId: clinician.id,
      discussedOn: TODAY,
      note: "Discussed the mixed evidence for ketamine in PTSD without depression; patient wishes to proceed.",
      now: NOW,
    });
    expect(await gate(patient.id)).toEqual({ allowed: true, reasons: [] });
    expect((await summary(patient)).eligibility).toMatchObject({
      kind: "ptsd_only",
      discussionRequired: true,
      discussionDocumented: true,
    });
    const audit = await db
      .selectFrom("audit_events")
      .select(["action", "entity_id", "actor_id"])
      .where("action", "=", "eligibility.discussion")
      .execute();
    expect(audit).toEqual([{ action: "eligibility.discussion", entity_id: id, actor_id: clinician.id }]);
  });

  it("asks only for engagement while no provider is engaged, and refuses an unknown patient", async () => {
    const { patient } = await setUp(["ptsd"]);
    // With no engaged provider the patient is simply not eligible; the discussion is not asked for yet.
    expect(await gate(patient.id)).toEqual({ allowed: false, reasons: [NO_ENGAGEMENT] });
    expect(await gate("0b8a4f1e-0000-4000-8000-000000000000")).toEqual({
      allowed: false,
      reasons: ["Patient not found."],
    });
  });

  it("derives the headline from diagnoses on file and what engaged providers attest", async () => {
    const { db, coordinator, therapist } = await setUp();
    const depressionOnly = await insertPatient(db, { diagnoses: ["mdd"] });
    const attestedComorbid = await insertPatient(db, { diagnoses: ["ptsd"] });
    const unengaged = await insertPatient(db, { diagnoses: ["ptsd", "mdd"] });
    for (const p of [depressionOnly, attestedComorbid, unengaged])
      await giveAccess(db, { patientId: p.id, providerId: therapist.id, by: coordinator, now: NOW });
    await confirm(therapist, depressionOnly.id, NOW, { ptsdConfirmed: "no", depression: "mdd" });
    // The diagnosis list says PTSD only, but the engaged therapist attests a bipolar depressive episode.
    await confirm(therapist, attestedComorbid.id, NOW, { depression: "bipolar_depression" });

    expect((await summary(depressionOnly)).eligibility).toMatchObject({
      kind: "depression_only",
      headline: "Depression without a PTSD diagnosis — Ember's depression pathway",
      discussionRequired: false,
    });
    expect((await summary(attestedComorbid)).eligibility.kind).toBe("comorbid");
    expect((await summary(unengaged)).eligibility).toEqual({
      kind: "not_eligible",
      headline: "No active licensed provider — not eligible",
      discussionRequired: false,
      discussionDocumented: false,
    });
    expect((await gate(depressionOnly.id)).allowed).toBe(true);
    expect((await gate(attestedComorbid.id)).allowed).toBe(true);
  });

  it("lapses after 90 days: status lapsed, gate closed, eligibility gone", async () => {
    const { therapist, patient } = await setUp();
    const clock = new TestClock(NOW);
    await confirm(therapist, patient.id, clock.now());

    clock.set(new Date(NOW.getTime() + 90 * DAY - MINUTE));
    expect((await summary(patient, clock.now())).status).toBe("engaged");
    expect((await gate(patient.id, clock.now())).allowed).toBe(true);

    clock.advance(MINUTE);
    const { status, records, eligibility } = await summary(patient, clock.now());
    expect(status).toBe("lapsed");
    expect(records[0]).toMatchObject({ active: false, on_team: true });
    expect(eligibility.kind).toBe("not_eligible");
    expect(await gate(patient.id, clock.now())).toEqual({ allowed: false, reasons: [NO_ENGAGEMENT] });

    // Renewing re-opens it for another 90 days.
    await confirm(therapist, patient.id, clock.now(), { lastSessionOn: clinicToday(clock.now()) });
    expect((await summary(patient, clock.now())).status).toBe("engaged");
    expect((await gate(patient.id, new Date(clock.now().getTime() + 89 * DAY))).allowed).toBe(true);
  });

  it("queues exactly one reminder 14 days and one 3 days before expiry, however often it runs", async () => {
    const { db, therapist, patient } = await setUp();
    const clock = new TestClock(NOW);
    const id = await confirm(therapist, patient.id, clock.now());
    const expiry = NOW.getTime() + 90 * DAY;
    const run = (msBeforeExpiry: number) => {
      clock.set(new Date(expiry - msBeforeExpiry));
      return queueEngagementReminders(db, { now: clock.now(), appUrl: APP_URL });
    };

    const queued: number[] = [];
    for (const before of [90 * DAY, 30 * DAY, 14 * DAY + MINUTE]) queued.push(await run(before));
    expect(queued).toEqual([0, 0, 0]);
    expect(await run(14 * DAY)).toBe(1);
    for (const before of [14 * DAY - MINUTE, 13 * DAY, 10 * DAY, 3 * DAY + HOUR]) expect(await run(before)).toBe(0);
    // Two runs at once (two workers) still queue one email.
    clock.set(new Date(expiry - 3 * DAY));
    const concurrent = await Promise.all([
      queueEngagementReminders(db, { now: clock.now(), appUrl: APP_URL }),
      queueEngagementReminders(db, { now: clock.now(), appUrl: APP_URL }),
    ]);
    expect(concurrent[0] + concurrent[1]).toBe(1);
    for (const before of [2 * DAY, HOUR, 0, -DAY]) expect(await run(before)).toBe(0);

    const mail = await outboxTo(db, therapist.email);
    expect(mail.map((m) => [m.template, m.subject])).toEqual([
      ["engagement-reminder", "An engagement confirmation expires in 14 days"],
      ["engagement-reminder", "An engagement confirmation expires in 3 days"],
    ]);
    for (const m of mail) {
      expect(m.text).toContain(`${APP_URL}/patients/${patient.id}/engagement`);
      expect(m.text).not.toContain(patient.last_name);
      expect(m.html).not.toContain(patient.last_name);
    }
    expect(await db.selectFrom("email_outbox").select("id").execute()).toHaveLength(2);
    const row = await db
      .selectFrom("engagement_confirmations")
      .select(["reminded_14_at", "reminded_3_at"])
      .where("id", "=", id)
      .executeTakeFirstOrThrow();
    expect(row.reminded_14_at?.getTime()).toBe(expiry - 14 * DAY);
    expect(row.reminded_3_at?.getTime()).toBe(expiry - 3 * DAY);
    const audit = await db
      .selectFrom("audit_events")
      .select(["actor_role", "entity_id", "detail"])
      .where("action", "=", "engagement.reminder")
      .orderBy("id")
      .execute();
    expect(audit).toEqual([
      { actor_role: "system", entity_id: id, detail: { daysBefore: 14 } },
      { actor_role: "system", entity_id: id, detail: { daysBefore: 3 } },
    ]);
  });

  it("reminds only about the newest confirmation: a renewal silences the old one's reminders", async () => {
    const { db, therapist, patient } = await setUp();
    await confirm(therapist, patient.id, NOW);
    const expiry = NOW.getTime() + 90 * DAY;
    expect(await queueEngagementReminders(db, { now: new Date(expiry - 10 * DAY), appUrl: APP_URL })).toBe(1);
    await confirm(therapist, patient.id, new Date(expiry - 5 * DAY));
    expect(await queueEngagementReminders(db, { now: new Date(expiry - 2 * DAY), appUrl: APP_URL })).toBe(0);
    // The renewal's own reminders come in their time.
    const renewedExpiry = expiry - 5 * DAY + 90 * DAY;
    expect(await queueEngagementReminders(db, { now: new Date(renewedExpiry - 14 * DAY), appUrl: APP_URL })).toBe(1);
    expect(await outboxTo(db, therapist.email)).toHaveLength(2);
  });

  it("builds the form schema from the clinic's settings as the page does", async () => {
    const { db } = await setUp();
    const settings = await clinicSettings(db);
    expect(settings).toMatchObject({ engagement_valid_days: 90, engagement_max_session_age_days: 60 });
    const schema = engagementSchema({
      today: TODAY,
      earliestLastSession: addDays(TODAY, -settings.engagement_max_session_age_days),
      maxSessionAgeDays: settings.engagement_max_session_age_days,
    });
    expect(schema.safeParse({ ...formValues(), lastSessionOn: "2026-08-21" }).success).toBe(true);
    expect(schema.safeParse({ ...formValues(), lastSessionOn: "2026-08-20" }).success).toBe(false);
  });

  it("makes the patient visible to an invited provider once they accept, with the release recorded", async () => {
    const { db, coordinator, patient } = await setUp();
    const email = uniqueEmail("invited");
    const withoutRelease = uniqueEmail("invited-no-release");
    const invite = (to: string, release?: { signedOn: string; expiresOn: string; scope: string[] }) =>
      createInvitation(db, auditContextFor(coordinator), {
        email: to,
        role: "therapist",
        inviterName: coordinator.name,
        appUrl: APP_URL,
        secretsKey: TEST_SECRETS_KEY,
        now: NOW,
        careTeam: { patientId: patient.id, teamRole: "primary_therapist", release },
      });
    await invite(email, {
      signedOn: "2026-10-15",
      expiresOn: "2027-10-15",
      scope: ["care_coordination", "infusion_schedule"],
    });
    await invite(withoutRelease);
    const accept = async (to: string, name: string) => {
      const [token] = await tokensSentTo(db, to, "/join/");
      const result = await acceptInvitation(db, {
        token: token!,
        now: new Date(NOW.getTime() + HOUR),
        ip: "198.51.100.7",
        requestId: "req-accept",
        name,
        organisation: "Hudson Trauma Therapy",
        password: "a long enough password 1",
        licenceType: "LCSW",
        licenceNumber: "R-081234",
        licenceState: "NY",
        licenceExpiresOn: "2027-12-31",
        npi: "1234567893",
      });
      expect(result?.role).toBe("therapist");
      return { id: result!.userId, email: to, name, role: "therapist" as const, password: "" };
    };
    const invited = await accept(email, "Jamie Chen, LMHC");
    const noRelease = await accept(withoutRelease, "Alex Moreno, LMFT");

    const open = (user: TestUser) =>
      requirePatient(db, actorFor(user), auditContextFor(user), patient.id, TODAY, "patient.view");
    expect((await open(invited)).id).toBe(patient.id);
    // On the team without a release: the waiting page, not the record.
    await expect(open(noRelease)).rejects.toMatchObject({
      init: { status: 403 },
      data: { awaitingRelease: { askName: coordinator.name, referral: null } },
    });

    const members = await db
      .selectFrom("care_team_members")
      .select(["user_id", "team_role", "added_by", "ended_at"])
      .where("patient_id", "=", patient.id)
      .execute();
    expect(members).toEqual(
      expect.arrayContaining([
        { user_id: invited.id, team_role: "primary_therapist", added_by: coordinator.id, ended_at: null },
        { user_id: noRelease.id, team_role: "primary_therapist", added_by: coordinator.id, ended_at: null },
      ]),
    );
    const releases = await db
      .selectFrom("releases_of_information")
      .selectAll()
      .where("provider_id", "=", invited.id)
      .execute();
    expect(releases).toEqual([
      expect.objectContaining({
        patient_id: patient.id,
        signed_on: "2026-10-15",
        expires_on: "2027-10-15",
        scope: ["care_coordination", "infusion_schedule"],
        recorded_by: coordinator.id,
        revoked_at: null,
      }),
    ]);
    // Now on the team with a current release, the new provider can confirm engagement and open the gate.
    await confirm(invited, patient.id, new Date(NOW.getTime() + 2 * HOUR));
    const records = await engagementByProvider(db, patient.id, new Date(NOW.getTime() + 2 * HOUR));
    expect(records.find((r) => r.provider_id === invited.id)).toMatchObject({
      on_team: true,
      release_current: true,
      active: true,
    });
  });
});

/** A valid engagement form as the browser posts it (all strings). */
function formValues(): Record<string, string> {
  return {
    treatmentStartedOn: "2026-06-01",
    lastSessionOn: "2026-10-13",
    cadence: "weekly",
    ptsdConfirmed: "yes",
    depression: "mdd",
    traumaTherapy: "CPT",
    sessionsHeld: "4",
    agreesToCoordinate: "yes",
    signature: "Dana Whitfield, LCSW",
  };
}

describe("the engagement form schema", () => {
  const schema = engagementSchema({
    today: "2026-10-20",
    earliestLastSession: addDays("2026-10-20", -60),
    maxSessionAgeDays: 60,
  });
  const errorsFor = (values: Record<string, unknown>) => {
    const result = schema.safeParse(values);
    if (result.success) return {};
    const byField: Record<string, string[]> = {};
    for (const issue of result.error.issues) (byField[String(issue.path[0])] ??= []).push(issue.message);
    return byField;
  };

  it("accepts a complete, truthful form and coerces the session count", () => {
    const result = schema.safeParse(formValues());
    expect(result.success).toBe(true);
    expect(result.data).toMatchObject({
      sessionsHeld: 4,
      signature: "Dana Whitfield, LCSW",
      lastSessionOn: "2026-10-13",
    });
  });

  it("refuses dates in the future", () => {
    expect(errorsFor({ ...formValues(), treatmentStartedOn: "2026-10-21" }).treatmentStartedOn).toEqual([
      "The treatment start date cannot be in the future.",
    ]);
    expect(errorsFor({ ...formValues(), lastSessionOn: "2026-10-21" }).lastSessionOn).toContain(
      "The date of the most recent session cannot be in the future.",
    );
    expect(errorsFor({ ...formValues(), lastSessionOn: "2026-10-20" })).toEqual({});
  });

  it("refuses a most recent session more than 60 days ago as not active", () => {
    expect(addDays("2026-10-20", -60)).toBe("2026-08-21");
    expect(errorsFor({ ...formValues(), treatmentStartedOn: "2026-01-05", lastSessionOn: "2026-08-21" })).toEqual({});
    const errors = errorsFor({ ...formValues(), treatmentStartedOn: "2026-01-05", lastSessionOn: "2026-08-20" });
    expect(errors.lastSessionOn).toHaveLength(1);
    expect(errors.lastSessionOn![0]).toMatch(/^Not active: the most recent session was more than 60 days ago\./);
  });

  it("refuses a last session before treatment started, and impossible dates", () => {
    expect(
      errorsFor({ ...formValues(), treatmentStartedOn: "2026-10-14", lastSessionOn: "2026-10-13" }).lastSessionOn,
    ).toEqual(["The most recent session cannot be before treatment started."]);
    expect(errorsFor({ ...formValues(), treatmentStartedOn: "2026-02-30" }).treatmentStartedOn).toEqual([
      "Enter treatment start date as a real calendar date.",
    ]);
    expect(errorsFor({ ...formValues(), treatmentStartedOn: "10/01/2026" }).treatmentStartedOn![0]).toBe(
      "Enter treatment start date as a date (YYYY-MM-DD).",
    );
  });

  it("refuses wrong types and values outside the lists, field by field", () => {
    const errors = errorsFor({
      ...formValues(),
      cadence: "daily",
      ptsdConfirmed: true,
      depression: ["mdd"],
      traumaTherapy: "EMDR",
      sessionsHeld: "three",
      agreesToCoordinate: "no",
      signature: 42,
    });
    expect(Object.keys(errors).sort()).toEqual([
      "agreesToCoordinate",
      "cadence",
      "depression",
      "ptsdConfirmed",
      "sessionsHeld",
      "signature",
      "traumaTherapy",
    ]);
    expect(errors.cadence).toEqual(["Choose how often you see the patient."]);
    expect(errors.agreesToCoordinate).toEqual(["Ember requires your agreement to coordinate care."]);
    expect(errors.signature).toEqual(["Enter your full name as your signature."]);
    expect(errorsFor({ ...formValues(), sessionsHeld: "2.5" }).sessionsHeld).toEqual([
      "Enter a whole number of sessions.",
    ]);
    expect(errorsFor({ ...formValues(), sessionsHeld: "-1" }).sessionsHeld).toEqual([
      "Sessions held cannot be negative.",
    ]);
    expect(errorsFor({ ...formValues(), sessionsHeld: "501" }).sessionsHeld).toEqual(["Check the number of sessions."]);
    const { agreesToCoordinate: _omitted, ...withoutAgreement } = formValues();
    expect(errorsFor(withoutAgreement).agreesToCoordinate).toEqual([
      "Ember requires your agreement to coordinate care.",
    ]);
  });

  it("refuses oversized and blank text", () => {
    expect(errorsFor({ ...formValues(), signature: "x".repeat(121) }).signature).toEqual([
      "Keep your full name as your signature under 120 characters.",
    ]);
    expect(errorsFor({ ...formValues(), signature: "x".repeat(120) })).toEqual({});
    expect(errorsFor({ ...formValues(), signature: "   " }).signature).toEqual([
      "Enter your full name as your signature.",
    ]);
    const discussion = discussionSchema("2026-10-20");
    expect(discussion.safeParse({ discussedOn: "2026-10-20", note: "n".repeat(4000) }).success).toBe(true);
    const long = discussion.safeParse({ discussedOn: "2026-10-20", note: "n".repeat(4001) });
    expect(long.error?.issues.map((i) => i.message)).toEqual([
      "Keep a short note of what was discussed under 4000 characters.",
    ]);
    const future = discussion.safeParse({ discussedOn: "2026-10-21", note: "Discussed." });
    expect(future.error?.issues.map((i) => i.message)).toEqual(["The discussion date cannot be in the future."]);
  });
});
