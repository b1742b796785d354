import { expect, it } from "vitest";
import { clinicToday } from "~/lib/time";
import { endCareTeamMembership, revokeRelease } from "~/modules/patients/care-team.server";
import {
  createPatient,
  PatientNotFound,
  requirePatient,
  updatePatient,
  visibleRiskFlags,
} from "~/modules/patients/patients.server";
import { listPatients } from "~/modules/patients/roster.server";
import { describeEachEngine } from "../support/db";
import {
  actorFor,
  auditContextFor,
  createProvider,
  createUser,
  giveAccess,
  insertClinicBasics,
  insertPatient,
  type TestUser,
} from "../support/factories";
import type { Role } from "~/lib/roles";

// 11:00 in New York on Tuesday 2026-10-20.
const NOW = new Date("2026-10-20T15:00:00Z");
const TODAY = clinicToday(NOW);

describeEachEngine("the access rule", (getDb) => {
  async function setUp() {
    const db = getDb();
    await insertClinicBasics(db);
    const coordinator = await createUser(db, { role: "coordinator", name: "Maya Okafor" });
    const therapist = await createProvider(db, { role: "therapist", name: "Dana Whitfield, LCSW" });
    const patient = await insertPatient(db, { firstName: "Avery", lastName: "Lindqvist" });
    return { db, coordinator, therapist, patient };
  }

  const audit = (user: TestUser, requestId = "req-access") => auditContextFor(user, { ip: "203.0.113.9", requestId });

  async function open(user: TestUser, patientId: string, today = TODAY, action = "patient.view") {
    return requirePatient(getDb(), actorFor(user), audit(user), patientId, today, action);
  }

  /**
   * Expects a 404 "not found" (or, for `waiting`, the waiting page of a provider on the team before
   * their release is current) and exactly one new denied audit row naming the actor and patient.
   */
  async function expectNotFound(
    user: TestUser,
    patientId: string,
    today = TODAY,
    action = "patient.view",
    waiting = false,
  ) {
    const before = await getDb().selectFrom("audit_events").select("id").where("outcome", "=", "denied").execute();
    const thrown = await open(user, patientId, today, action).then(
      () => null,
      (e: unknown) => e,
    );
    if (waiting)
      expect(thrown, "requirePatient should answer with the waiting page").toMatchObject({
        init: { status: 403 },
        data: { awaitingRelease: expect.anything() },
      });
    else {
      expect(thrown, "requirePatient should throw").toBeInstanceOf(Response);
      expect(thrown).toBeInstanceOf(PatientNotFound);
      expect((thrown as Response).status).toBe(404);
    }
    const denied = await getDb()
      .selectFrom("audit_events")
      .selectAll()
      .where("outcome", "=", "denied")
      .orderBy("id")
      .execute();
    expect(denied).toHaveLength(before.length + 1);
    expect(denied.at(-1)).toMatchObject({
      actor_id: user.id,
      actor_role: user.role,
      action,
      outcome: "denied",
      entity_type: "patient",
      entity_id: patientId,
      patient_id: patientId,
      ip: "203.0.113.9",
      request_id: "req-access",
      detail: waiting ? { reason: "awaiting release" } : {},
    });
  }
  const expectWaiting = (user: TestUser, patientId: string, today = TODAY) =>
    expectNotFound(user, patientId, today, "patient.view", true);

  it("shows a provider a patient with an active membership and a current release", async () => {
    const { db, coordinator, therapist, patient } = await setUp();
    await giveAccess(db, {
      patientId: patient.id,
      providerId: therapist.id,
      by: coordinator,
      now: NOW,
      release: { signedOn: "2026-10-01", expiresOn: "2027-10-01" },
    });
    const seen = await open(therapist, patient.id);
    expect(seen).toMatchObject({
      id: patient.id,
      first_name: "Avery",
      last_name: "Lindqvist",
      location_name: "Chelsea",
    });
    expect(await db.selectFrom("audit_events").select("id").where("outcome", "=", "denied").execute()).toEqual([]);
  });

  it("counts the release's first and last day as valid, and neither day beyond (the provider waits)", async () => {
    const { db, coordinator, therapist, patient } = await setUp();
    await giveAccess(db, {
      patientId: patient.id,
      providerId: therapist.id,
      by: coordinator,
      now: NOW,
      release: { signedOn: "2026-10-20", expiresOn: "2026-10-27" },
    });
    await expectWaiting(therapist, patient.id, "2026-10-19");
    expect((await open(therapist, patient.id, "2026-10-20")).id).toBe(patient.id);
    expect((await open(therapist, patient.id, "2026-10-27")).id).toBe(patient.id);
    await expectWaiting(therapist, patient.id, "2026-10-28");
  });

  it("judges the release by the New York date, not the UTC date", async () => {
    const { db, coordinator, therapist, patient } = await setUp();
    await giveAccess(db, {
      patientId: patient.id,
      providerId: therapist.id,
      by: coordinator,
      now: NOW,
      release: { signedOn: "2026-10-01", expiresOn: "2026-10-20" },
    });
    // 23:30 on 2026-10-20 in New York is already 2026-10-21 in UTC: the release still holds.
    const lateEvening = new Date("2026-10-21T03:30:00Z");
    expect(clinicToday(lateEvening)).toBe("2026-10-20");
    expect((await open(therapist, patient.id, clinicToday(lateEvening))).id).toBe(patient.id);
    await expectWaiting(therapist, patient.id, clinicToday(new Date("2026-10-21T04:30:00Z")));
  });

  it("denies, as not found, a provider whose membership has ended", async () => {
    const { db, coordinator, therapist, patient } = await setUp();
    const { memberId } = await giveAccess(db, {
      patientId: patient.id,
      providerId: therapist.id,
      by: coordinator,
      now: NOW,
    });
    expect((await open(therapist, patient.id)).id).toBe(patient.id);
    expect(
      await endCareTeamMembership(db, audit(coordinator), {
        patientId: patient.id,
        memberId,
        reason: "Care transferred",
        now: NOW,
      }),
    ).toBe(true);
    await expectNotFound(therapist, patient.id);
  });

  it("shows the waiting page, not the record, to a provider whose release has expired", async () => {
    const { db, coordinator, therapist, patient } = await setUp();
    await giveAccess(db, {
      patientId: patient.id,
      providerId: therapist.id,
      by: coordinator,
      now: NOW,
      release: { signedOn: "2025-10-01", expiresOn: "2026-10-19" },
    });
    await expectWaiting(therapist, patient.id);
  });

  it("denies, as not found, a provider whose release was revoked, from the very next call", async () => {
    const { db, coordinator, therapist, patient } = await setUp();
    const { releaseId } = await giveAccess(db, {
      patientId: patient.id,
      providerId: therapist.id,
      by: coordinator,
      now: NOW,
    });
    expect((await open(therapist, patient.id)).id).toBe(patient.id);
    const roster = () => listPatients(db, actorFor(therapist), audit(therapist), { page: 1, today: TODAY, now: NOW });
    expect((await roster()).rows.map((r) => r.id)).toEqual([patient.id]);

    expect(
      await revokeRelease(db, audit(coordinator), {
        patientId: patient.id,
        releaseId: releaseId!,
        reason: "Patient withdrew consent",
        now: NOW,
      }),
    ).toBe(true);

    await expectNotFound(therapist, patient.id);
    expect((await roster()).rows).toEqual([]);
  });

  it("shows the waiting page, not the record, to a provider whose release is not signed yet", async () => {
    const { db, coordinator, therapist, patient } = await setUp();
    await giveAccess(db, {
      patientId: patient.id,
      providerId: therapist.id,
      by: coordinator,
      now: NOW,
      release: { signedOn: "2026-10-21", expiresOn: "2027-10-21" },
    });
    await expectWaiting(therapist, patient.id);
  });

  it("shows the waiting page, not the record, to a provider on the team with no release at all", async () => {
    const { db, coordinator, therapist, patient } = await setUp();
    await giveAccess(db, { patientId: patient.id, providerId: therapist.id, by: coordinator, now: NOW, release: null });
    await expectWaiting(therapist, patient.id);
  });

  it("denies, as not found, a release without membership, and another provider's patient", async () => {
    const { db, coordinator, therapist, patient } = await setUp();
    const other = await createProvider(db, { role: "psychiatrist" });
    await giveAccess(db, { patientId: patient.id, providerId: other.id, by: coordinator, now: NOW });
    expect((await open(other, patient.id)).id).toBe(patient.id);
    // The therapist has a release on file for this patient but left the team: still nothing.
    const mine = await giveAccess(db, { patientId: patient.id, providerId: therapist.id, by: coordinator, now: NOW });
    await endCareTeamMembership(db, audit(coordinator), {
      patientId: patient.id,
      memberId: mine.memberId,
      reason: "Left practice",
      now: NOW,
    });
    await expectNotFound(therapist, patient.id);
    // A psychiatrist's access is their own: ending the therapist's membership did not touch it.
    expect((await open(other, patient.id)).id).toBe(patient.id);
  });

  it("answers an unknown patient id exactly like a forbidden one", async () => {
    const { therapist } = await setUp();
    await expectNotFound(therapist, "0b8a4f1e-0000-4000-8000-000000000000", TODAY, "care_notes.view");
  });

  it.each(["coordinator", "clinician", "admin"] as const)(
    "shows a %s every patient, without any care-team link",
    async (role: Role) => {
      const { db } = await setUp();
      const staff = await createUser(db, { role });
      const second = await insertPatient(db, { firstName: "Jordan", lastName: "Baptiste", locationId: "tribeca" });
      const first = await db
        .selectFrom("patients")
        .select("id")
        .where("last_name", "=", "Lindqvist")
        .executeTakeFirstOrThrow();
      expect((await open(staff, first.id)).id).toBe(first.id);
      expect((await open(staff, second.id)).location_name).toBe("Tribeca");
      const { rows } = await listPatients(db, actorFor(staff), audit(staff), { page: 1, today: TODAY, now: NOW });
      expect(rows.map((r) => r.last_name)).toEqual(["Baptiste", "Lindqvist"]);
      // A staff member still cannot open a patient who does not exist.
      await expectNotFound(staff, "0b8a4f1e-0000-4000-8000-000000000000");
    },
  );

  it("never lists or finds another provider's patients, by name, part of a name or record number", async () => {
    const { db, coordinator, therapist, patient } = await setUp();
    const colleague = await createProvider(db, { role: "therapist", name: "Sam Rivera, LMHC" });
    const theirs = await insertPatient(db, { firstName: "Avery", lastName: "Lindgren" });
    const unlinked = await insertPatient(db, { firstName: "Averil", lastName: "Lind" });
    await giveAccess(db, { patientId: patient.id, providerId: therapist.id, by: coordinator, now: NOW });
    await giveAccess(db, { patientId: theirs.id, providerId: colleague.id, by: coordinator, now: NOW });
    // The therapist is on the team of `theirs` too, but without a release: still not theirs to see.
    await giveAccess(db, { patientId: theirs.id, providerId: therapist.id, by: coordinator, now: NOW, release: null });

    const search = async (user: TestUser, query?: string) =>
      (await listPatients(db, actorFor(user), audit(user), { page: 1, query, today: TODAY, now: NOW })).rows.map(
        (r) => r.id,
      );

    expect(await search(therapist)).toEqual([patient.id]);
    for (const query of [
      "Avery",
      "avery",
      "Lind",
      "lind",
      "Avery Lind",
      theirs.record_number,
      unlinked.record_number,
      "%",
      "_",
      "e",
    ]) {
      const found = await search(therapist, query);
      expect(found, `search "${query}"`).not.toContain(theirs.id);
      expect(found, `search "${query}"`).not.toContain(unlinked.id);
    }
    expect(await search(therapist, "Avery Lind")).toEqual([patient.id]);
    expect(await search(therapist, patient.record_number.toLowerCase())).toEqual([patient.id]);
    expect(await search(colleague)).toEqual([theirs.id]);
    expect(await search(colleague, "Lindqvist")).toEqual([]);
    // Staff find all three.
    expect((await search(coordinator, "lind")).sort()).toEqual([patient.id, theirs.id, unlinked.id].sort());
    // A LIKE wildcard typed by the user matches itself only.
    expect(await search(coordinator, "%")).toEqual([]);
  });

  it("audits each roster view with the ids shown and nothing else", async () => {
    const { db, coordinator, therapist, patient } = await setUp();
    await giveAccess(db, { patientId: patient.id, providerId: therapist.id, by: coordinator, now: NOW });
    await insertPatient(db, { lastName: "Elsewhere" });
    await listPatients(db, actorFor(therapist), audit(therapist), { page: 1, query: "lind", today: TODAY, now: NOW });
    const row = await db
      .selectFrom("audit_events")
      .selectAll()
      .where("action", "=", "patient.list")
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({ actor_id: therapist.id, outcome: "success" });
    expect(row.detail).toEqual({ page: 1, searched: true, patientIds: [patient.id] });
  });

  it("shows substance use only to a provider whose release names it; staff always see it", async () => {
    const { db, coordinator, therapist } = await setUp();
    const patient = await insertPatient(db, { riskFlags: ["dissociation", "substance_use"] });
    const psychiatrist = await createProvider(db, { role: "psychiatrist" });
    await giveAccess(db, {
      patientId: patient.id,
      providerId: therapist.id,
      by: coordinator,
      now: NOW,
      release: { signedOn: "2026-10-01", expiresOn: "2027-10-01", scope: ["care_coordination"] },
    });
    const { releaseId } = await giveAccess(db, {
      patientId: patient.id,
      providerId: psychiatrist.id,
      by: coordinator,
      now: NOW,
      teamRole: "psychiatrist",
      release: { signedOn: "2026-10-01", expiresOn: "2027-10-01", scope: ["care_coordination", "substance_use"] },
    });
    const row = await open(therapist, patient.id);
    const flags = (user: TestUser) => visibleRiskFlags(db, actorFor(user), row, TODAY);

    expect(await flags(therapist)).toEqual(["dissociation"]);
    expect(await flags(psychiatrist)).toEqual(["dissociation", "substance_use"]);
    expect(await flags(coordinator)).toEqual(["dissociation", "substance_use"]);

    // The scope must be on a current release: one expired by the day asked about does not count…
    expect(await visibleRiskFlags(db, actorFor(psychiatrist), row, "2027-10-02")).toEqual(["dissociation"]);
    // …nor does a revoked one.
    await revokeRelease(db, audit(coordinator), {
      patientId: patient.id,
      releaseId: releaseId!,
      reason: "Scope withdrawn",
      now: NOW,
    });
    expect(await flags(psychiatrist)).toEqual(["dissociation"]);
  });

  it("creates and updates patients with an audit row each, which the access rule then governs", async () => {
    const { db, coordinator, therapist } = await setUp();
    const input = {
      firstName: "Riley",
      lastName: "Nakamura",
      dateOfBirth: "1992-07-21",
      preferredLocationId: "tribeca" as const,
      insurance: "Self-pay" as const,
      diagnoses: ["ptsd" as const],
      riskFlags: [],
    };
    const id = await createPatient(db, audit(coordinator), input);
    const created = await db.selectFrom("patients").selectAll().where("id", "=", id).executeTakeFirstOrThrow();
    expect(created.record_number).toMatch(/^EMB-\d{6}$/);
    expect(created).toMatchObject({ first_name: "Riley", last_name: "Nakamura", diagnoses: ["ptsd"], risk_flags: [] });
    await expectNotFound(therapist, id);

    expect(await updatePatient(db, audit(coordinator), id, { ...input, diagnoses: ["ptsd", "mdd"] }, NOW)).toBe(true);
    expect(await updatePatient(db, audit(coordinator), "0b8a4f1e-0000-4000-8000-000000000000", input, NOW)).toBe(false);
    const actions = await db
      .selectFrom("audit_events")
      .select(["action", "patient_id", "actor_id"])
      .where("patient_id", "=", id)
      .orderBy("id")
      .execute();
    expect(actions.filter((a) => a.action !== "patient.view")).toEqual([
      { action: "patient.create", patient_id: id, actor_id: coordinator.id },
      { action: "patient.update", patient_id: id, actor_id: coordinator.id },
    ]);
  });
});
