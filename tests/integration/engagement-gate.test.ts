import { describe, expect, it } from "vitest";
import { zonedToUtc, clinicToday } from "~/lib/time";
import { lockPatientSchedules } from "~/modules/patients/locks.server";
import { listPatientVisits } from "~/modules/infusions/patient-visits.server";
import { OVERRIDE_NEEDED, recordVisitOutcome } from "~/modules/infusions/outcomes.server";
import { rescheduleVisit, scheduleCourse, ScheduleError } from "~/modules/infusions/infusions.server";
import { endCareTeamMembership, revokeRelease } from "~/modules/patients/care-team.server";
import {
  confirmEngagement,
  engagementByProvider,
  engagementGate,
  engagementStatus,
  NO_INDICATION,
} from "~/modules/engagement/engagement.server";
import { queueEngagementLapseNotices } from "~/modules/engagement/lapses.server";
import { listPatients } from "~/modules/patients/roster.server";
import { coordinatorWorkList, workListCounts } from "~/modules/work-list/work-list.server";
import { setUserStatus } from "~/modules/users/users.server";
import { DAY, HOUR } from "../support/clock";
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
  openAs,
  type TestUser,
} from "../support/factories";

const APP_URL = "https://portal.ember.test";
// Monday 2026-10-19, 09:00 in New York.
const NOW = new Date("2026-10-19T13:00:00Z");
const NO_ENGAGEMENT =
  "No active engagement confirmation: an outside licensed provider on the care team must confirm they actively treat the patient.";
const NO_RELEASE = "Release of information missing: no engaged provider has a current, unrevoked release on file.";

function ny(local: string): Date {
  const instant = zonedToUtc(local);
  if (!instant) throw new Error(`${local} does not exist in New York`);
  return instant;
}

describeEachEngine("engagement gate", (getDb, engine) => {
  async function setUp(diagnoses: string[] = ["ptsd", "mdd"]) {
    const db = getDb();
    await insertClinicBasics(db);
    const admin = await createUser(db, { role: "admin", name: "Ops Admin" });
    const coordinator = await createUser(db, { role: "coordinator", name: "Maya Okafor" });
    const clinician = await createUser(db, { role: "clinician", name: "Dr. Lena Brooks, MD" });
    const therapist = await createProvider(db, { role: "therapist", name: "Dana Whitfield, LCSW" });
    const patient = await insertPatient(db, { diagnoses, lastName: "Lindqvist" });
    const access = await giveAccess(db, { patientId: patient.id, providerId: therapist.id, by: coordinator, now: NOW });
    await confirm(therapist, patient.id);
    return { db, admin, coordinator, clinician, therapist, patient, access };
  }

  const confirm = (
    provider: TestUser,
    patientId: string,
    now = NOW,
    overrides: Parameters<typeof engagementInput>[1] = {},
  ) =>
    confirmEngagement(getDb(), actorFor(provider), auditContextFor(provider), {
      ...engagementInput(provider.name, overrides),
      patientId,
      now,
    });

  const book = (by: TestUser, patientId: string, clinicianId: string, starts: Date[], now = NOW) =>
    scheduleCourse(getDb(), auditContextFor(by), {
      patientId,
      clinicianId,
      starts,
      now,
      appUrl: APP_URL,
      locationId: "chelsea",
      kind: "booster",
    });

  const refusal = (promise: Promise<unknown>) =>
    promise.then(
      () => {
        throw new Error("expected a ScheduleError");
      },
      (e: unknown) => {
        expect(e).toBeInstanceOf(ScheduleError);
        return (e as ScheduleError).problems;
      },
    );

  /** The provider back on the team with a new release, confirming again. */
  async function giveAccessAgain(
    db: ReturnType<typeof getDb>,
    coordinator: TestUser,
    provider: TestUser,
    patientId: string,
  ) {
    await db
      .updateTable("care_team_members")
      .set({ ended_at: NOW, end_reason: "Re-added" })
      .where("patient_id", "=", patientId)
      .where("user_id", "=", provider.id)
      .where("ended_at", "is", null)
      .execute();
    await giveAccess(db, { patientId, providerId: provider.id, by: coordinator, now: NOW });
    await confirm(provider, patientId);
  }

  /** A booked visit that starts at `local` (New York), inserted as a booking in the past would have left it. */
  async function bookedVisit(patientId: string, clinicianId: string, local: string) {
    await insertCourse(getDb(), { patientId, clinicianId, createdBy: clinicianId, starts: [ny(local)] });
    const visit = await getDb()
      .selectFrom("infusion_visits")
      .selectAll()
      .where("patient_id", "=", patientId)
      .where("starts_at", "=", ny(local))
      .executeTakeFirstOrThrow();
    return visit;
  }

  it("refuses to move a booked visit once the only provider's release is revoked, changing nothing", async () => {
    const { db, coordinator, clinician, patient, access } = await setUp();
    const visit = await bookedVisit(patient.id, clinician.id, "2026-10-26T10:00");
    await revokeRelease(db, auditContextFor(coordinator), {
      patientId: patient.id,
      releaseId: access.releaseId!,
      reason: "Consent withdrawn",
      now: NOW,
    });
    const move = rescheduleVisit(db, auditContextFor(clinician), {
      patientId: patient.id,
      visitId: visit.id,
      startsAt: ny("2026-10-28T10:00"),
      now: NOW,
      appUrl: APP_URL,
    });
    expect(await refusal(move)).toEqual([NO_RELEASE]);
    const after = await db
      .selectFrom("infusion_visits")
      .selectAll()
      .where("id", "=", visit.id)
      .executeTakeFirstOrThrow();
    expect(after.starts_at).toEqual(visit.starts_at);
    expect(after.sequence).toBe(0);
  });

  it("refuses 'held' with the gate's reasons after the only provider left the team; a clinician's override reason is kept, audited and shown", async () => {
    const { db, coordinator, clinician, patient, access } = await setUp();
    const visit = await bookedVisit(patient.id, clinician.id, "2026-10-19T08:30");
    await endCareTeamMembership(db, auditContextFor(coordinator), {
      patientId: patient.id,
      memberId: access.memberId,
      reason: "Care transferred",
      now: NOW,
    });
    const held = (by: TestUser, overrideReason?: string) =>
      recordVisitOutcome(db, auditContextFor(by), {
        patientId: patient.id,
        visitId: visit.id,
        outcome: "held",
        now: NOW,
        overrideReason,
      });

    const problems = await refusal(held(clinician));
    expect(problems).toContain(NO_ENGAGEMENT);
    expect(problems.at(-1)).toBe(OVERRIDE_NEEDED);
    expect(await refusal(held(clinician, "   "))).toEqual(problems);
    // Only an Ember clinician may override.
    expect(await refusal(held(coordinator, "Patient already in the chair"))).toEqual(problems);
    expect(
      (await db.selectFrom("infusion_visits").select("status").where("id", "=", visit.id).executeTakeFirstOrThrow())
        .status,
    ).toBe("scheduled");

    expect(await held(clinician, "New therapist confirmed by phone; paperwork follows")).toMatchObject({
      recorded: true,
      overridden: true,
    });
    const [row] = await listPatientVisits(db, await openAs(db, clinician, patient.id, NOW, "infusion_schedule"));
    expect(row).toMatchObject({
      status: "held",
      gate_override_reason: "New therapist confirmed by phone; paperwork follows",
      gate_override_by_name: clinician.name,
      gate_override_at: NOW,
      gate_override_refusals: [NO_ENGAGEMENT],
    });
    const audits = await db
      .selectFrom("audit_events")
      .select(["action", "actor_id", "entity_id", "patient_id", "detail"])
      .where("action", "like", "infusion.%")
      .orderBy("action")
      .execute();
    expect(audits).toEqual([
      {
        action: "infusion.gate_override",
        actor_id: clinician.id,
        entity_id: visit.id,
        patient_id: patient.id,
        detail: { refusals: [NO_ENGAGEMENT] },
      },
      { action: "infusion.held", actor_id: clinician.id, entity_id: visit.id, patient_id: patient.id, detail: {} },
    ]);
    // Marking missed never needed the gate.
    const other = await bookedVisit(patient.id, clinician.id, "2026-10-12T10:00");
    expect(
      await recordVisitOutcome(db, auditContextFor(clinician), {
        patientId: patient.id,
        visitId: other.id,
        outcome: "missed",
        now: NOW,
      }),
    ).toMatchObject({ recorded: true });
  });

  it("marks held without an override while the gate allows", async () => {
    const { db, clinician, patient } = await setUp();
    const visit = await bookedVisit(patient.id, clinician.id, "2026-10-19T08:30");
    expect(
      await recordVisitOutcome(db, auditContextFor(clinician), {
        patientId: patient.id,
        visitId: visit.id,
        outcome: "held",
        now: NOW,
        overrideReason: "not needed",
      }),
    ).toMatchObject({
      recorded: true,
      overridden: false,
    });
    expect(
      (await listPatientVisits(db, await openAs(db, clinician, patient.id, NOW, "infusion_schedule")))[0],
    ).toMatchObject({ status: "held", gate_override_reason: null });
  });

  it("stops counting a confirmation when its provider's licence expires: gate, status, roster and work list agree", async () => {
    const { db, coordinator, clinician, therapist, patient } = await setUp();
    await db
      .updateTable("provider_credentials")
      .set({ licence_expires_on: "2026-10-18" })
      .where("user_id", "=", therapist.id)
      .execute();
    const gate = await engagementGate(db, patient.id, NOW);
    expect(gate).toEqual({
      allowed: false,
      reasons: [NO_ENGAGEMENT, "Dana Whitfield, LCSW's confirmation no longer counts: licence expired 2026-10-18."],
    });
    expect(await refusal(book(coordinator, patient.id, clinician.id, [ny("2026-10-26T10:00")]))).toEqual(gate.reasons);
    expect(engagementStatus(await engagementByProvider(db, patient.id, NOW))).toBe("lapsed");
    const roster = await listPatients(db, actorFor(coordinator), auditContextFor(coordinator), {
      page: 1,
      today: clinicToday(NOW),
      now: NOW,
    });
    expect(roster.rows.map((r) => r.engagement)).toEqual(["lapsed"]);
    const list = await coordinatorWorkList(db, actorFor(coordinator), NOW);
    expect(list.unengaged.map((r) => r.id)).toEqual([patient.id]);
    expect((await workListCounts(db, NOW)).unengaged).toBe(1);
  });

  it("deactivating a provider ends their memberships with the reason, in the same transaction, and the engagement follows at once", async () => {
    const { db, admin, coordinator, therapist, patient } = await setUp();
    const second = await insertPatient(db, { diagnoses: ["mdd"] });
    await giveAccess(db, { patientId: second.id, providerId: therapist.id, by: coordinator, now: NOW });
    await confirm(therapist, second.id);
    expect(
      await setUserStatus(db, auditContextFor(admin), { userId: therapist.id, status: "deactivated", now: NOW }),
    ).toBe("changed");
    const memberships = await db
      .selectFrom("care_team_members")
      .select(["patient_id", "ended_at", "end_reason"])
      .where("user_id", "=", therapist.id)
      .execute();
    expect(memberships).toHaveLength(2);
    expect(
      memberships.every((m) => m.ended_at?.getTime() === NOW.getTime() && m.end_reason === "Account deactivated"),
    ).toBe(true);
    const ends = await db
      .selectFrom("audit_events")
      .select("patient_id")
      .where("action", "=", "care_team.end")
      .where("actor_id", "=", admin.id)
      .execute();
    expect(ends.map((e) => e.patient_id).sort()).toEqual([patient.id, second.id].sort());
    for (const p of [patient, second]) {
      expect((await engagementGate(db, p.id, NOW)).reasons).toEqual([NO_ENGAGEMENT]);
    }
    expect((await workListCounts(db, NOW)).unengaged).toBe(2);
  });

  it("refuses a patient with neither PTSD nor depression on file, saying why", async () => {
    const { db, coordinator, clinician, therapist } = await setUp();
    const patient = await insertPatient(db, { diagnoses: [] });
    await giveAccess(db, { patientId: patient.id, providerId: therapist.id, by: coordinator, now: NOW });
    await confirm(therapist, patient.id, NOW, { ptsdConfirmed: "no", depression: "none" });
    expect(await refusal(book(coordinator, patient.id, clinician.id, [ny("2026-10-26T10:00")]))).toEqual([
      NO_INDICATION,
    ]);
    expect(NO_INDICATION).toMatch(/Ember treats depression, and PTSD when depression comes with it/);
    // Without any engagement either, the refusal still names the missing diagnosis.
    const bare = await insertPatient(db, { diagnoses: [] });
    expect((await engagementGate(db, bare.id, NOW)).reasons).toEqual([NO_ENGAGEMENT, NO_INDICATION]);
  });

  it("warns at booking and at a move when a visit falls after the current confirmation expires", async () => {
    const { db, coordinator, clinician, patient } = await setUp();
    // Confirmed at NOW for 90 days: it expires 2027-01-17.
    const result = await book(coordinator, patient.id, clinician.id, [ny("2026-10-26T10:00"), ny("2027-01-19T10:00")]);
    expect(result.warnings).toEqual([
      "The visit on 2027-01-19: confirmation expires before this visit (on 2027-01-17).",
    ]);
    const [first] = await db.selectFrom("infusion_visits").select("id").orderBy("starts_at").execute();
    const moved = await rescheduleVisit(db, auditContextFor(clinician), {
      patientId: patient.id,
      visitId: first!.id,
      startsAt: ny("2027-01-20T10:00"),
      now: NOW,
      appUrl: APP_URL,
    });
    expect(moved.warnings).toEqual([
      "The visit on 2027-01-20: confirmation expires before this visit (on 2027-01-17).",
    ]);
  });

  describe("lapse notices", () => {
    const pass = (now: Date) => queueEngagementLapseNotices(getDb(), { now, appUrl: APP_URL });
    const lapseMail = () =>
      getDb()
        .selectFrom("email_outbox")
        .select(["to_address", "subject", "text"])
        .where("template", "=", "engagement-lapsed")
        .orderBy("to_address")
        .execute();

    it("tells the coordinators and the patient's visit clinicians once when the confirmation expires, with no patient data; soonest visit first on the work list", async () => {
      const { db, coordinator, clinician, therapist, patient } = await setUp();
      const otherClinician = await createUser(db, { role: "clinician", name: "Dr. Sam Ortiz" });
      const bystander = await createUser(db, { role: "clinician", name: "Dr. Not Involved" });
      // A second patient, engaged for longer, whose visits are sooner.
      const sooner = await insertPatient(db, { diagnoses: ["mdd"], lastName: "Baptiste" });
      await giveAccess(db, { patientId: sooner.id, providerId: therapist.id, by: coordinator, now: NOW });
      await confirm(therapist, sooner.id, new Date(NOW.getTime() - 10 * DAY));
      await bookedVisit(patient.id, clinician.id, "2027-01-25T10:00");
      await bookedVisit(sooner.id, otherClinician.id, "2027-01-20T10:00");
      expect(await pass(NOW)).toBe(0);

      const afterExpiry = new Date(NOW.getTime() + 91 * DAY);
      const list = await coordinatorWorkList(db, actorFor(coordinator), afterExpiry);
      expect(list.lapsedWithVisits.map((l) => [l.id, Number(l.booked)])).toEqual([
        [sooner.id, 1],
        [patient.id, 1],
      ]);
      expect((await workListCounts(db, afterExpiry)).lapsedWithVisits).toBe(2);

      expect(await pass(afterExpiry)).toBe(4);
      expect(await pass(new Date(afterExpiry.getTime() + HOUR))).toBe(0);
      const mail = await lapseMail();
      expect(mail.map((m) => m.to_address).sort()).toEqual(
        [clinician.email, coordinator.email, coordinator.email, otherClinician.email].sort(),
      );
      expect(mail.map((m) => m.to_address)).not.toContain(bystander.email);
      for (const m of mail) {
        for (const secret of [
          patient.first_name,
          patient.last_name,
          patient.record_number,
          sooner.last_name,
          therapist.name,
        ])
          expect(m.text).not.toContain(secret);
        expect(m.text).toMatch(new RegExp(`${APP_URL}/patients/[0-9a-f-]{36}/infusions`));
      }
      expect(
        await db
          .selectFrom("audit_events")
          .select("patient_id")
          .where("action", "=", "engagement.lapse_notice")
          .execute(),
      ).toHaveLength(2);
    });

    it("tells a revocation's lapse once; renewed engagement closes the lapse, and a later lapse is told again", async () => {
      const { db, coordinator, clinician, therapist, patient, access } = await setUp();
      await bookedVisit(patient.id, clinician.id, "2026-10-26T10:00");
      await revokeRelease(db, auditContextFor(coordinator), {
        patientId: patient.id,
        releaseId: access.releaseId!,
        reason: "Consent withdrawn",
        now: NOW,
      });
      expect(await pass(NOW)).toBe(2);
      expect(await pass(NOW)).toBe(0);
      await giveAccessAgain(db, coordinator, therapist, patient.id);
      expect(await pass(NOW)).toBe(0);
      expect(await db.selectFrom("engagement_lapses").select("resolved_at").execute()).toEqual([{ resolved_at: NOW }]);
      await setUserStatus(db, auditContextFor(await createUser(db, { role: "admin" })), {
        userId: therapist.id,
        status: "deactivated",
        now: NOW,
      });
      expect(await pass(NOW)).toBe(2);
      expect((await lapseMail()).length).toBe(4);
    });

    it("claims each lapse once when two passes run at the same time", async () => {
      const { db, clinician, patient, therapist } = await setUp();
      await bookedVisit(patient.id, clinician.id, "2026-10-26T10:00");
      await db
        .updateTable("provider_credentials")
        .set({ licence_expires_on: "2026-10-01" })
        .where("user_id", "=", therapist.id)
        .execute();
      const counts = await Promise.all([pass(NOW), pass(NOW)]);
      expect(counts.sort()).toEqual([0, 2]);
      expect((await lapseMail()).length).toBe(2);
    });

    it("counts visits held past the gate on the coordinator's work list", async () => {
      const { db, coordinator, clinician, patient, access } = await setUp();
      const visit = await bookedVisit(patient.id, clinician.id, "2026-10-19T08:30");
      await endCareTeamMembership(db, auditContextFor(coordinator), {
        patientId: patient.id,
        memberId: access.memberId,
        reason: "Care transferred",
        now: NOW,
      });
      await recordVisitOutcome(db, auditContextFor(clinician), {
        patientId: patient.id,
        visitId: visit.id,
        outcome: "held",
        now: NOW,
        overrideReason: "Seen by the on-call psychiatrist",
      });
      const list = await coordinatorWorkList(db, actorFor(coordinator), NOW);
      expect(list.gateOverrides).toEqual([
        expect.objectContaining({
          id: visit.id,
          patient_id: patient.id,
          overridden_by: clinician.name,
          gate_override_reason: "Seen by the on-call psychiatrist",
        }),
      ]);
      expect((await workListCounts(db, NOW)).gateOverrides).toBe(1);
      expect((await workListCounts(db, new Date(NOW.getTime() + 31 * DAY))).gateOverrides).toBe(0);
    });
  });

  if (engine === "postgres") {
    it("asks the gate after the patient's schedule lock: a booking waiting on a revocation is refused", async () => {
      const { db, coordinator, clinician, patient, access } = await setUp();
      let booking: Promise<string[]> | undefined;
      await db.transaction().execute(async (trx) => {
        await lockPatientSchedules(trx, [patient.id]);
        booking = refusal(book(coordinator, patient.id, clinician.id, [ny("2026-10-26T10:00")]));
        // Long enough for the booking to reach the lock and wait on it.
        await new Promise((resolve) => setTimeout(resolve, 300));
        await trx
          .updateTable("releases_of_information")
          .set({ revoked_at: NOW, revoke_reason: "Consent withdrawn" })
          .where("id", "=", access.releaseId!)
          .execute();
      });
      expect(await booking).toEqual([NO_RELEASE]);
      expect(await db.selectFrom("infusion_visits").select("id").execute()).toEqual([]);
    });

    it("a revocation waits while the patient's schedule is held, and a later 'held' reads it", async () => {
      const { db, coordinator, clinician, patient, access } = await setUp();
      const visit = await bookedVisit(patient.id, clinician.id, "2026-10-19T08:30");
      let revoke: Promise<boolean> | undefined;
      await db.transaction().execute(async (trx) => {
        await lockPatientSchedules(trx, [patient.id]);
        revoke = revokeRelease(db, auditContextFor(coordinator), {
          patientId: patient.id,
          releaseId: access.releaseId!,
          reason: "Consent withdrawn",
          now: NOW,
        });
        await new Promise((resolve) => setTimeout(resolve, 300));
        const released = await trx
          .selectFrom("releases_of_information")
          .select("revoked_at")
          .where("id", "=", access.releaseId!)
          .executeTakeFirstOrThrow();
        expect(released.revoked_at).toBeNull();
      });
      expect(await revoke).toBe(true);
      expect(
        await recordVisitOutcome(db, auditContextFor(clinician), {
          patientId: patient.id,
          visitId: visit.id,
          outcome: "held",
          now: new Date(NOW.getTime() + HOUR),
        }).catch((e: ScheduleError) => e.problems),
      ).toContain(NO_RELEASE);
    });
  }
});
