import type { LoaderFunctionArgs } from "@remix-run/node";
import { expect, it } from "vitest";
import { clinicToday } from "~/lib/time";
import { homeFor } from "~/modules/home/home.server";
import { navigationCounts } from "~/modules/home/provider-agenda.server";
import { postNote } from "~/modules/notes/notes.server";
import { openReferral } from "~/modules/referrals/referrals.server";
import * as root from "~/root";
import { DAY, HOUR, TestClock } from "../support/clock";
import { buildLoadContext } from "../support/context";
import { describeEachEngine } from "../support/db";
import {
  actorFor,
  auditContextFor,
  createProvider,
  createUser,
  giveAccess,
  insertClinicBasics,
  insertCourse,
  insertPatient,
  referralInput,
} from "../support/factories";

// 11:00 in New York on Tuesday 2026-10-20.
const NOW = new Date("2026-10-20T15:00:00Z");
const TODAY = clinicToday(NOW);

describeEachEngine("a provider's home", (getDb, engine) => {
  async function setUp() {
    const db = getDb();
    await insertClinicBasics(db);
    const coordinator = await createUser(db, { role: "coordinator", name: "Maya Okafor" });
    const clinician = await createUser(db, { role: "clinician", name: "Dr. Lena Brooks, MD" });
    const therapist = await createProvider(db, { role: "therapist", name: "Dana Whitfield, LCSW" });
    const psychiatrist = await createProvider(db, { role: "psychiatrist", name: "Dr. Ravi Castellano" });
    const own = await insertPatient(db, { firstName: "Quillon", lastName: "Zephyrine" });
    const other = await insertPatient(db, { firstName: "Orla", lastName: "Vantongeren" });
    const unscoped = await insertPatient(db, { firstName: "Emery", lastName: "Halvorsen" });
    await giveAccess(db, { patientId: own.id, providerId: therapist.id, by: coordinator, now: NOW });
    await giveAccess(db, {
      patientId: own.id,
      providerId: psychiatrist.id,
      by: coordinator,
      now: NOW,
      teamRole: "psychiatrist",
    });
    await giveAccess(db, {
      patientId: unscoped.id,
      providerId: therapist.id,
      by: coordinator,
      now: NOW,
      release: { signedOn: "2026-01-01", expiresOn: "2030-12-31", scope: ["care_coordination"] },
    });
    // The own patient's first visit ended an hour ago (window open); the second is tomorrow (window coming).
    for (const patientId of [own.id, other.id, unscoped.id])
      await insertCourse(db, {
        patientId,
        clinicianId: clinician.id,
        createdBy: coordinator.id,
        starts: [new Date(NOW.getTime() - 2.5 * HOUR), new Date(NOW.getTime() + DAY)],
      });
    // Offers: one waiting, one past its expiry, one already declined.
    const referralId = await openReferral(db, actorFor(coordinator), auditContextFor(coordinator), {
      ...referralInput(other.id, NOW),
    });
    const offer = (expiresAt: Date, status: "open" | "declined") =>
      db
        .insertInto("referral_offers")
        .values({
          referral_id: referralId,
          provider_id: therapist.id,
          offered_by: coordinator.id,
          offered_at: new Date(NOW.getTime() - HOUR),
          expires_at: expiresAt,
          status,
        })
        .returning("id")
        .executeTakeFirstOrThrow();
    const waiting = await offer(new Date(NOW.getTime() + 20 * HOUR), "open");
    await offer(new Date(NOW.getTime() - HOUR), "open");
    await offer(new Date(NOW.getTime() + 20 * HOUR), "declined");
    await postNote(db, actorFor(psychiatrist), auditContextFor(psychiatrist), {
      patientId: own.id,
      kind: "progress_update",
      body: "Sertraline unchanged.",
      requestReview: false,
      now: NOW,
      today: TODAY,
      appUrl: "https://portal.ember.test",
    });
    await postNote(db, actorFor(therapist), auditContextFor(therapist), {
      patientId: own.id,
      kind: "session_summary",
      body: "WET session 2 held.",
      requestReview: true,
      now: NOW,
      today: TODAY,
      appUrl: "https://portal.ember.test",
    });
    return { db, coordinator, therapist, psychiatrist, own, other, unscoped, waiting };
  }

  it("shows offers waiting with their expiry, the windows with no session planned, and unread notes", async () => {
    const { db, therapist, own, waiting } = await setUp();
    const home = await homeFor(db, actorFor(therapist), auditContextFor(therapist), {
      page: 1,
      today: TODAY,
      now: NOW,
    });
    if (home.view !== "provider") throw new Error("a provider's home");
    expect(home.offers.map((o) => [o.id, new Date(o.expires_at)])).toEqual([
      [waiting.id, new Date(NOW.getTime() + 20 * HOUR)],
    ]);
    // Only the own patient's: the other is not theirs; the unscoped release leaves out the infusion schedule.
    expect(home.windows.map((w) => [w.patient_id, w.open])).toEqual([
      [own.id, true],
      [own.id, false],
    ]);
    expect(home.unreadPatients).toEqual([{ patient_id: own.id, first_name: "Quillon", last_name: "Zephyrine", n: 1 }]);
    const audit = await db
      .selectFrom("audit_events")
      .select("detail")
      .where("action", "=", "infusion.windows_view")
      .executeTakeFirstOrThrow();
    expect((audit.detail as { patientIds: string[] }).patientIds).toEqual([own.id]);
  });

  it("counts offers waiting and reviews waiting for the navigation, in one statement, for outside providers only", async () => {
    const { db, coordinator, therapist, psychiatrist } = await setUp();
    const at = { now: NOW, today: TODAY };
    expect(await navigationCounts(db, actorFor(therapist), at)).toEqual({ offers: 1, reviews: 0 });
    expect(await navigationCounts(db, actorFor(psychiatrist), at)).toEqual({ offers: 0, reviews: 1 });
    expect(await navigationCounts(db, actorFor(coordinator), at)).toBeNull();

    // The root loader hands them to the navigation.
    const clock = new TestClock(NOW);
    const context = buildLoadContext(db, { engine, clock });
    const sessionId = (await context.lucia.createSession(therapist.id, {})).id;
    const request = new Request("http://portal.ember.test/", {
      headers: { Cookie: `${context.lucia.sessionCookieName}=${sessionId}` },
    });
    const result = (await root.loader({ request, context, params: {} } as LoaderFunctionArgs)) as unknown as {
      data: { user: { counts: unknown } };
    };
    expect(result.data.user.counts).toEqual({ offers: 1, reviews: 0 });
  });
});
