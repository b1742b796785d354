import { expect, it } from "vitest";
import { composeEmail } from "~/email/outbox.server";
import { clinicToday } from "~/lib/time";
import {
  addCareTeamMember,
  endCareTeamMembership,
  recordRelease,
  revokeRelease,
} from "~/modules/patients/care-team.server";
import { PatientNotFound, requirePatient } from "~/modules/patients/patients.server";
import { referralDetail } from "~/modules/referrals/detail.server";
import { offerReferral, offersForProvider, respondToOffer } from "~/modules/referrals/offers.server";
import { openReferral } from "~/modules/referrals/referrals.server";
import { coordinatorWorkList } from "~/modules/work-list/work-list.server";
import { confirmEngagement, EngagementError, engagementGate } from "~/modules/engagement/engagement.server";
import { provisionalIntakes, scheduleIntake } from "~/modules/engagement/intakes.server";
import type { Database } from "../../db/engine";
import { HOUR } from "../support/clock";
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
  referralInput,
  type TestPatient,
  type TestUser,
} from "../support/factories";
import { outboxTo, TEST_SECRETS_KEY } from "../support/mail";

const APP_URL = "https://portal.ember.test";
// 11:00 in New York on Tuesday 2026-10-20.
const NOW = new Date("2026-10-20T15:00:00Z");
const TODAY = clinicToday(NOW);
const later = (hours: number) => new Date(NOW.getTime() + hours * HOUR);

/** Every message queued to an address, as it goes out, with the links it carries. */
async function mailTo(db: Database, to: string) {
  const rows = await outboxTo(db, to);
  return Promise.all(
    rows.map(async (row) => {
      const message = await composeEmail(TEST_SECRETS_KEY, row);
      return { template: row.template, ...message, links: [...new Set(message.text.match(/https?:\/\/\S+/g) ?? [])] };
    }),
  );
}

/** Neither part of a message names the patient or carries their record number, birth date or insurance. */
function expectNoPatientData(message: { subject: string; html: string; text: string }, patient: TestPatient) {
  for (const part of [message.subject, message.html, message.text])
    for (const value of [patient.first_name, patient.last_name, patient.record_number, "1986-03-14"])
      expect(part).not.toContain(value);
}

describeEachEngine("referral → release → engagement loop", (getDb) => {
  async function acceptedReferral() {
    const db = getDb();
    await insertClinicBasics(db);
    const coordinator = await createUser(db, { role: "coordinator", name: "Maya Okafor" });
    const therapist = await createProvider(db, { name: "Dana Whitfield, LCSW" });
    const patient = await insertPatient(db, { firstName: "Teodora", lastName: "Blanchflower" });
    const referralId = await openReferral(db, actorFor(coordinator), auditContextFor(coordinator), {
      ...referralInput(patient.id, NOW),
      now: NOW,
    });
    const offerId = await offerReferral(db, actorFor(coordinator), auditContextFor(coordinator), {
      referralId,
      providerId: therapist.id,
      allowSeveral: false,
      now: NOW,
      appUrl: APP_URL,
    });
    await respondToOffer(db, actorFor(therapist), auditContextFor(therapist), {
      offerId,
      accept: true,
      now: later(1),
      appUrl: APP_URL,
    });
    return { db, coordinator, therapist, patient, referralId };
  }

  const release = (db: Database, coordinator: TestUser, patientId: string, providerId: string, hours = 2) =>
    recordRelease(db, auditContextFor(coordinator), {
      patientId,
      providerId,
      signedOn: TODAY,
      expiresOn: "2027-10-20",
      scope: ["care_coordination"],
      now: later(hours),
      appUrl: APP_URL,
    });

  it("tells the coordinator an offer was accepted, a link to the referral only, and lists it until the release is recorded", async () => {
    const { db, coordinator, therapist, patient, referralId } = await acceptedReferral();

    const mail = (await mailTo(db, coordinator.email)).filter((m) => m.template === "offer-accepted");
    expect(mail).toHaveLength(1);
    expect(mail[0]!.links).toEqual([`${APP_URL}/referrals/${referralId}`]);
    expectNoPatientData(mail[0]!, patient);

    const listed = await coordinatorWorkList(db, actorFor(coordinator), later(1));
    expect(listed.awaitingRelease).toEqual([
      expect.objectContaining({ id: referralId, patient_id: patient.id, provider_name: therapist.name }),
    ]);
    expect((await referralDetail(db, referralId, TODAY))!.acceptedBy).toEqual({
      name: therapist.name,
      releaseCurrent: false,
    });
    expect((await offersForProvider(db, actorFor(therapist), later(1)))[0]!.patient).toMatchObject({
      id: patient.id,
      accessOpen: false,
    });

    await release(db, coordinator, patient.id, therapist.id);
    expect((await coordinatorWorkList(db, actorFor(coordinator), later(2))).awaitingRelease).toEqual([]);
    expect((await referralDetail(db, referralId, TODAY))!.acceptedBy).toEqual({
      name: therapist.name,
      releaseCurrent: true,
    });
    expect((await offersForProvider(db, actorFor(therapist), later(2)))[0]!.patient).toMatchObject({
      accessOpen: true,
    });
  });

  /** What the patient gate answers this provider: the patient, the waiting page, or "not found". */
  async function gate(db: Database, provider: TestUser, patientId: string) {
    try {
      await requirePatient(db, actorFor(provider), auditContextFor(provider), patientId, TODAY, "patient.view", {
        auditRead: true,
      });
      return { outcome: "open" as const };
    } catch (error) {
      if (error instanceof PatientNotFound) return { outcome: "not-found" as const };
      const thrown = error as { data?: { awaitingRelease?: unknown }; init?: { status?: number } };
      if (thrown.data?.awaitingRelease)
        return { outcome: "waiting" as const, status: thrown.init?.status, page: thrown.data.awaitingRelease };
      throw error;
    }
  }
  const lastAudit = (db: Database, actorId: string) =>
    db
      .selectFrom("audit_events")
      .select(["outcome", "detail", "patient_id"])
      .where("actor_id", "=", actorId)
      .orderBy("id", "desc")
      .limit(1)
      .executeTakeFirstOrThrow();

  it("shows the provider who accepted the waiting page, audited as denied awaiting release; a stranger still finds nothing", async () => {
    const { db, coordinator, therapist, patient } = await acceptedReferral();
    const stranger = await createProvider(db, { name: "Jordan Reyes, LMHC" });

    expect(await gate(db, therapist, patient.id)).toEqual({
      outcome: "waiting",
      status: 403,
      page: {
        patientName: "Teodora Blanchflower",
        askName: "Maya Okafor",
        referral: { acceptedAt: later(1).toISOString(), modality: "WET" },
      },
    });
    expect(await lastAudit(db, therapist.id)).toEqual({
      outcome: "denied",
      detail: { reason: "awaiting release" },
      patient_id: patient.id,
    });

    expect(await gate(db, stranger, patient.id)).toEqual({ outcome: "not-found" });
    expect(await lastAudit(db, stranger.id)).toEqual({ outcome: "denied", detail: {}, patient_id: patient.id });

    await release(db, coordinator, patient.id, therapist.id);
    expect(await gate(db, therapist, patient.id)).toEqual({ outcome: "open" });
    expect(await lastAudit(db, therapist.id)).toMatchObject({ outcome: "success", detail: {} });
  });

  it('keeps a revoked release and an ended membership "not found", as for a stranger', async () => {
    const { db, coordinator, therapist, patient } = await acceptedReferral();
    const member = await db
      .selectFrom("care_team_members")
      .select("id")
      .where("patient_id", "=", patient.id)
      .where("user_id", "=", therapist.id)
      .executeTakeFirstOrThrow();
    await endCareTeamMembership(db, auditContextFor(coordinator), {
      patientId: patient.id,
      memberId: member.id,
      reason: "Patient chose another therapist",
      now: later(2),
    });
    // The referral still names them as accepted, but the coordinator ended the membership since.
    expect(await gate(db, therapist, patient.id)).toEqual({ outcome: "not-found" });

    const other = await insertPatient(db, { firstName: "Riley", lastName: "Okonkwo" });
    const { releaseId } = await giveAccess(db, {
      patientId: other.id,
      providerId: therapist.id,
      by: coordinator,
      now: NOW,
    });
    await revokeRelease(db, auditContextFor(coordinator), {
      patientId: other.id,
      releaseId: releaseId!,
      reason: "Patient withdrew consent",
      now: later(2),
    });
    expect(await gate(db, therapist, other.id)).toEqual({ outcome: "not-found" });
  });

  it("emails the provider a link to the patient only: when added to the team, and when a release opens the record", async () => {
    const db = getDb();
    await insertClinicBasics(db);
    const coordinator = await createUser(db, { role: "coordinator" });
    const therapist = await createProvider(db);
    const psychiatrist = await createProvider(db, { role: "psychiatrist" });
    const patient = await insertPatient(db, { firstName: "Teodora", lastName: "Blanchflower" });
    const patientUrl = `${APP_URL}/patients/${patient.id}`;

    await addCareTeamMember(db, auditContextFor(coordinator), {
      patientId: patient.id,
      providerId: therapist.id,
      teamRole: "primary_therapist",
      now: NOW,
      appUrl: APP_URL,
    });
    let mail = await mailTo(db, therapist.email);
    expect(mail.map((m) => [m.template, m.links])).toEqual([["care-team-added", [patientUrl]]]);

    await release(db, coordinator, patient.id, therapist.id);
    // A renewal while the record is open opens nothing new: no second notice.
    await release(db, coordinator, patient.id, therapist.id, 3);
    mail = await mailTo(db, therapist.email);
    expect(mail.map((m) => [m.template, m.links])).toEqual([
      ["care-team-added", [patientUrl]],
      ["patient-access-opened", [patientUrl]],
    ]);
    for (const message of mail) expectNoPatientData(message, patient);

    // Added with a current release: one notice, that the record is open.
    await addCareTeamMember(db, auditContextFor(coordinator), {
      patientId: patient.id,
      providerId: psychiatrist.id,
      teamRole: "psychiatrist",
      release: { signedOn: TODAY, expiresOn: "2027-10-20", scope: ["care_coordination"] },
      now: NOW,
      appUrl: APP_URL,
    });
    expect((await mailTo(db, psychiatrist.email)).map((m) => m.template)).toEqual(["patient-access-opened"]);
  });

  it("adds a member and their release in one transaction: a release the database refuses adds no member and sends nothing", async () => {
    const db = getDb();
    await insertClinicBasics(db);
    const coordinator = await createUser(db, { role: "coordinator" });
    const therapist = await createProvider(db);
    const patient = await insertPatient(db);
    await expect(
      addCareTeamMember(db, auditContextFor(coordinator), {
        patientId: patient.id,
        providerId: therapist.id,
        teamRole: "primary_therapist",
        release: { signedOn: TODAY, expiresOn: "2027-02-30", scope: ["care_coordination"] },
        now: NOW,
        appUrl: APP_URL,
      }),
    ).rejects.toThrow();
    expect(
      await db.selectFrom("care_team_members").select("id").where("patient_id", "=", patient.id).execute(),
    ).toEqual([]);
    expect(await outboxTo(db, therapist.email)).toEqual([]);
  });

  it("keeps an intake date provisional: shown on the patient and the work list, the gate stays closed until the first session is confirmed", async () => {
    const { db, coordinator, therapist, patient } = await acceptedReferral();
    await release(db, coordinator, patient.id, therapist.id);
    await scheduleIntake(db, actorFor(therapist), auditContextFor(therapist), {
      patientId: patient.id,
      scheduledOn: "2026-10-23",
      now: later(3),
    });
    expect(await provisionalIntakes(db, patient)).toEqual([
      expect.objectContaining({ provider_id: therapist.id, provider_name: therapist.name, scheduled_on: "2026-10-23" }),
    ]);
    expect((await coordinatorWorkList(db, actorFor(coordinator), later(3))).provisionalIntakes).toEqual([
      expect.objectContaining({ patient_id: patient.id, scheduled_on: "2026-10-23" }),
    ]);
    const gate = await engagementGate(db, patient.id, later(4));
    expect(gate.allowed).toBe(false);
    expect(gate.reasons[0]).toMatch(/^No active engagement confirmation/);

    // The first session held, confirmed on the full form (signed without the credential), opens it.
    await confirmEngagement(db, actorFor(therapist), auditContextFor(therapist), {
      ...engagementInput("Dana Whitfield"),
      patientId: patient.id,
      now: later(5),
    });
    expect((await engagementGate(db, patient.id, later(6))).allowed).toBe(true);
    expect(await provisionalIntakes(db, patient)).toEqual([]);
    expect((await coordinatorWorkList(db, actorFor(coordinator), later(6))).provisionalIntakes).toEqual([]);
  });

  it("takes an intake date only from the provider who accepted the referral", async () => {
    const { db, coordinator, patient } = await acceptedReferral();
    const other = await createProvider(db, { name: "Jordan Reyes, LMHC" });
    await giveAccess(db, { patientId: patient.id, providerId: other.id, by: coordinator, now: NOW });
    await expect(
      scheduleIntake(db, actorFor(other), auditContextFor(other), {
        patientId: patient.id,
        scheduledOn: "2026-10-23",
        now: later(3),
      }),
    ).rejects.toBeInstanceOf(EngagementError);
    expect(await provisionalIntakes(db, patient)).toEqual([]);
  });
});
