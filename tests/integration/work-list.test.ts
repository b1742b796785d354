import { expect, it } from "vitest";
import { coordinatorWorkList, WORK_LIST_PAGE_SIZE } from "~/modules/work-list/work-list.server";
import { confirmEngagement } from "~/modules/engagement/engagement.server";
import { clinicToday } from "~/lib/time";
import { acknowledgeSafetyConcern, postNote } from "~/modules/notes/notes.server";
import { recordMeasure } from "~/modules/measures/measures.server";
import { escalateSafetyAlerts, recentSafetyAlerts } from "~/modules/safety/alerts.server";
import { MINUTE } from "../support/clock";
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
} from "../support/factories";

// 11:00 in New York on Tuesday 2026-10-20.
const NOW = new Date("2026-10-20T15:00:00Z");

describeEachEngine("coordinator work list", (getDb) => {
  it("lists patients with no engaged provider in name order, a page at a time, and leaves out engaged ones", async () => {
    const db = getDb();
    await insertClinicBasics(db);
    const coordinator = await createUser(db, { role: "coordinator" });
    const therapist = await createProvider(db, { role: "therapist" });
    const total = WORK_LIST_PAGE_SIZE + 5;
    const waiting = [];
    for (let i = 0; i < total; i++)
      waiting.push(await insertPatient(db, { lastName: `Waiting${String(i).padStart(2, "0")}` }));
    const engaged = await insertPatient(db, { lastName: "Aaengaged" });
    await giveAccess(db, { patientId: engaged.id, providerId: therapist.id, by: coordinator, now: NOW });
    await confirmEngagement(db, actorFor(therapist), auditContextFor(therapist), {
      ...engagementInput(therapist.name),
      patientId: engaged.id,
      now: NOW,
    });

    const actor = actorFor(coordinator);
    const first = await coordinatorWorkList(db, actor, NOW);
    const second = await coordinatorWorkList(db, actor, NOW, { unengaged: 2 });
    const third = await coordinatorWorkList(db, actor, NOW, { unengaged: 3 });

    expect(first.unengaged.map((p) => p.last_name)).toEqual(
      waiting.slice(0, WORK_LIST_PAGE_SIZE).map((p) => p.last_name),
    );
    expect(first.more.unengaged).toBe(true);
    expect(second.unengaged.map((p) => p.last_name)).toEqual(
      waiting.slice(WORK_LIST_PAGE_SIZE).map((p) => p.last_name),
    );
    expect(second.more.unengaged).toBe(false);
    expect(third.unengaged).toEqual([]);
    expect(first.unengaged.every((p) => p.had_engagement === false)).toBe(true);
    // Paging one list leaves the others on their first page.
    expect(second.expiringReleases).toEqual(first.expiringReleases);
  });

  it("lists releases expiring within 30 days, soonest first, and not revoked or later ones", async () => {
    const db = getDb();
    await insertClinicBasics(db);
    const coordinator = await createUser(db, { role: "coordinator" });
    const therapist = await createProvider(db, { role: "therapist" });
    const soon = await insertPatient(db, { lastName: "Soon" });
    const sooner = await insertPatient(db, { lastName: "Sooner" });
    const later = await insertPatient(db, { lastName: "Later" });
    await giveAccess(db, {
      patientId: soon.id,
      providerId: therapist.id,
      by: coordinator,
      now: NOW,
      release: { signedOn: "2025-11-01", expiresOn: "2026-11-10" },
    });
    await giveAccess(db, {
      patientId: sooner.id,
      providerId: therapist.id,
      by: coordinator,
      now: NOW,
      release: { signedOn: "2025-11-01", expiresOn: "2026-10-25" },
    });
    await giveAccess(db, {
      patientId: later.id,
      providerId: therapist.id,
      by: coordinator,
      now: NOW,
      release: { signedOn: "2025-11-01", expiresOn: "2026-12-31" },
    });

    const list = await coordinatorWorkList(db, actorFor(coordinator), NOW);
    expect(list.expiringReleases.map((r) => [r.last_name, r.expires_on])).toEqual([
      ["Sooner", "2026-10-25"],
      ["Soon", "2026-11-10"],
    ]);
    expect(list.more.expiringReleases).toBe(false);
  });

  it("lists the week's safety alerts, open first, with who acknowledged, the minutes it took and whether it escalated", async () => {
    const db = getDb();
    await insertClinicBasics(db);
    const coordinator = await createUser(db, { role: "coordinator" });
    const clinician = await createUser(db, { role: "clinician", name: "Dr. Lena Brooks, MD" });
    const therapist = await createProvider(db, { role: "therapist" });
    const outsider = await createProvider(db, { role: "therapist" });
    const patient = await insertPatient(db, { lastName: "Alerted" });
    await giveAccess(db, { patientId: patient.id, providerId: therapist.id, by: coordinator, now: NOW });
    const at = (minutes: number) => new Date(NOW.getTime() + minutes * MINUTE);
    const concern = (now: Date) =>
      postNote(db, actorFor(therapist), auditContextFor(therapist), {
        patientId: patient.id,
        kind: "safety_concern",
        body: "Concern.",
        requestReview: false,
        now,
        today: clinicToday(now),
        appUrl: "https://portal.ember.test",
      });
    const answeredQuickly = await concern(at(0));
    const answeredLate = await concern(at(1));
    await recordMeasure(db, actorFor(therapist), auditContextFor(therapist), {
      patientId: patient.id,
      instrument: "PHQ9",
      takenOn: clinicToday(NOW),
      items: [0, 0, 0, 0, 0, 0, 0, 0, 1],
      now: at(2),
      appUrl: "https://portal.ember.test",
    });
    const ack = (noteId: string, now: Date) =>
      acknowledgeSafetyConcern(db, actorFor(clinician), auditContextFor(clinician), {
        patientId: patient.id,
        noteId,
        response: "Called the patient.",
        now,
      });
    await ack(answeredQuickly.id, new Date(at(0).getTime() + 20_000));
    await escalateSafetyAlerts(db, { now: at(62), appUrl: "https://portal.ember.test" });
    await ack(answeredLate.id, at(91));

    const list = await recentSafetyAlerts(db, actorFor(coordinator), { now: at(120), days: 7, limit: 10 });
    expect(
      list.map((a) => [a.note_id, Boolean(a.escalated_at), a.acknowledged_by_name, a.minutesToAcknowledge]),
    ).toEqual([
      [null, true, null, null],
      [answeredLate.id, true, "Dr. Lena Brooks, MD", 90],
      [answeredQuickly.id, false, "Dr. Lena Brooks, MD", 1],
    ]);
    // A provider off the team sees none of them; a week on, they have left the list.
    expect(await recentSafetyAlerts(db, actorFor(outsider), { now: at(120), days: 7, limit: 10 })).toEqual([]);
    expect(await recentSafetyAlerts(db, actorFor(coordinator), { now: at(8 * 24 * 60), days: 7, limit: 10 })).toEqual(
      [],
    );
  });
});
