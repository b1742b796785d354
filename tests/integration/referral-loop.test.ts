import { expect, it } from "vitest";
import { composeEmail } from "~/email/outbox.server";
import { clinicToday } from "~/lib/time";
import { recordRelease } from "~/modules/patients/care-team.server";
import { referralDetail } from "~/modules/referrals/detail.server";
import { offerReferral, offersForProvider, respondToOffer } from "~/modules/referrals/offers.server";
import { openReferral } from "~/modules/referrals/referrals.server";
import { coordinatorWorkList } from "~/modules/work-list/work-list.server";
import type { Database } from "../../db/engine";
import { HOUR } from "../support/clock";
import { describeEachEngine } from "../support/db";
import {
  actorFor,
  auditContextFor,
  createProvider,
  createUser,
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
});
