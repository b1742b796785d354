import { expect, it } from "vitest";
import { endCareTeamMembership } from "~/modules/patients/care-team.server";
import { offerReferral, respondToOffer } from "~/modules/referrals/offers.server";
import { openReferral } from "~/modules/referrals/referrals.server";
import { HOUR } from "../support/clock";
import { describeEachEngine } from "../support/db";
import {
  actorFor,
  auditContextFor,
  createProvider,
  createUser,
  giveAccess,
  insertClinicBasics,
  insertPatient,
  referralInput,
} from "../support/factories";

const NOW = new Date("2026-10-20T15:00:00Z");
const APP_URL = "https://portal.ember.test";

/** What referral matching ranks on is kept by the database as memberships and offers change. */
describeEachEngine("provider caseload and offer history", (getDb) => {
  const statsOf = (userId: string) =>
    getDb()
      .selectFrom("provider_stats")
      .select(["active_patients", "offers_accepted", "offers_answered", "median_response_hours"])
      .where("user_id", "=", userId)
      .executeTakeFirst();

  it("follows care-team memberships and offer answers in the same transaction", async () => {
    const db = getDb();
    await insertClinicBasics(db);
    const coordinator = await createUser(db, { role: "coordinator" });
    const therapist = await createProvider(db, { role: "therapist" });
    const first = await insertPatient(db, { lastName: "First" });
    const second = await insertPatient(db, { lastName: "Second" });
    const { memberId } = await giveAccess(db, {
      patientId: first.id,
      providerId: therapist.id,
      by: coordinator,
      now: NOW,
    });
    await giveAccess(db, { patientId: second.id, providerId: therapist.id, by: coordinator, now: NOW });
    expect(await statsOf(therapist.id)).toEqual({
      active_patients: 2,
      offers_accepted: 0,
      offers_answered: 0,
      median_response_hours: null,
    });

    await endCareTeamMembership(db, auditContextFor(coordinator), {
      patientId: first.id,
      memberId,
      reason: "Care transferred.",
      now: NOW,
    });
    expect((await statsOf(therapist.id))?.active_patients).toBe(1);

    const third = await insertPatient(db, { lastName: "Third" });
    const offerOnce = async (accept: boolean, afterHours: number) => {
      const referralId = await openReferral(
        db,
        actorFor(coordinator),
        auditContextFor(coordinator),
        referralInput(third.id, NOW),
      );
      const offerId = await offerReferral(db, actorFor(coordinator), auditContextFor(coordinator), {
        referralId,
        providerId: therapist.id,
        allowSeveral: false,
        now: NOW,
        appUrl: APP_URL,
      });
      await respondToOffer(db, actorFor(therapist), auditContextFor(therapist), {
        offerId,
        accept,
        reason: accept ? undefined : "No opening this month.",
        now: new Date(NOW.getTime() + afterHours * HOUR),
        appUrl: APP_URL,
      });
    };
    await offerOnce(false, 2);
    expect(await statsOf(therapist.id)).toMatchObject({
      offers_accepted: 0,
      offers_answered: 1,
      median_response_hours: 2,
    });
    await offerOnce(true, 10);
    expect(await statsOf(therapist.id)).toEqual({
      active_patients: 2,
      offers_accepted: 1,
      offers_answered: 2,
      median_response_hours: 6,
    });
  });
});
