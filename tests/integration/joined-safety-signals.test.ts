import { sql } from "kysely";
import { Migrator } from "kysely/migration";
import { expect, it } from "vitest";
import { migrations } from "../../db/migrations/index";
import { migrateToLatest } from "../../db/migrator";
import { clinicToday } from "~/lib/time";
import { acknowledgeSafetyAlert, openSafetyAlerts, patientSafetyAlerts } from "~/modules/measures/alerts.server";
import { recordMeasure } from "~/modules/measures/measures.server";
import { postNote } from "~/modules/notes/notes.server";
import { openPatientSafetyAlerts, recentSafetyAlerts } from "~/modules/safety/alerts.server";
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
  openAs,
  type TestUser,
} from "../support/factories";

/**
 * A PHQ-9 item 9 above 0 on a patient whose PHQ-9 alert is still open joins that alert: one alert,
 * its signals counted with the day the latest was taken, one batch of emails, even when two are
 * recorded at the same moment. Once the alert is acknowledged, the next signal opens a new one.
 */

const APP_URL = "https://portal.ember.test";
// 11:00 in New York on Tuesday 2026-10-20.
const NOW = new Date("2026-10-20T15:00:00Z");
const TODAY = clinicToday(NOW);
const ITEM9 = (answer: number) => [1, 1, 1, 1, 1, 1, 1, 1, answer];

describeEachEngine("joined safety signals", (getDb) => {
  async function setUp() {
    const db = getDb();
    await insertClinicBasics(db);
    const coordinator = await createUser(db, { role: "coordinator" });
    const clinician = await createUser(db, { role: "clinician", name: "Dr. Lena Brooks, MD" });
    const therapist = await createProvider(db, { role: "therapist" });
    const psychiatrist = await createProvider(db, { role: "psychiatrist" });
    const patient = await insertPatient(db, { firstName: "Oriel", lastName: "Vantongeren" });
    for (const provider of [therapist, psychiatrist])
      await giveAccess(db, { patientId: patient.id, providerId: provider.id, by: coordinator, now: NOW });
    return { db, coordinator, clinician, therapist, psychiatrist, patient };
  }

  const record = (who: TestUser, patientId: string, items: number[], takenOn: string, now = NOW) =>
    recordMeasure(getDb(), actorFor(who), auditContextFor(who), {
      patientId,
      instrument: "PHQ9",
      takenOn,
      items,
      now,
      appUrl: APP_URL,
    });
  const alertMail = () =>
    getDb().selectFrom("email_outbox").select("to_address").where("template", "=", "safety-alert").execute();
  const alertRows = () => getDb().selectFrom("safety_alerts").selectAll().orderBy("raised_at").execute();
  const audited = (action: string) =>
    getDb()
      .selectFrom("audit_events")
      .select(["entity_id", "actor_id", "detail"])
      .where("action", "=", action)
      .orderBy("id")
      .execute();

  it("joins a second item-9 PHQ-9 to the open alert: one alert, 2 signals with the latest day taken, no second batch of emails", async () => {
    const { db, coordinator, clinician, therapist, psychiatrist, patient } = await setUp();
    const first = await record(therapist, patient.id, ITEM9(1), "2026-10-19");
    expect(first.safetyAlert).toEqual({ joined: false, signals: 1 });
    const firstBatch = await alertMail();
    expect(firstBatch).toHaveLength(4);

    const second = await record(psychiatrist, patient.id, ITEM9(2), TODAY, new Date(NOW.getTime() + HOUR));
    expect(second.safetyAlert).toEqual({ joined: true, signals: 2 });
    expect(await alertMail()).toEqual(firstBatch);
    const [alert, ...others] = await alertRows();
    expect(others).toEqual([]);
    expect(alert).toMatchObject({ measure_id: first.id, raised_at: NOW, acknowledged_at: null });
    expect(
      await db
        .selectFrom("safety_alert_measures")
        .select(["measure_id", "alert_id", "joined_at"])
        .orderBy("joined_at")
        .execute(),
    ).toEqual([
      { measure_id: first.id, alert_id: alert!.id, joined_at: NOW },
      { measure_id: second.id, alert_id: alert!.id, joined_at: new Date(NOW.getTime() + HOUR) },
    ]);
    expect(await audited("safety_alert.raise")).toHaveLength(1);
    expect(await audited("safety_alert.signal")).toEqual([
      { entity_id: alert!.id, actor_id: psychiatrist.id, detail: { signals: 2 } },
    ]);

    // A score taken earlier, entered late, adds a signal but not a later day.
    expect((await record(therapist, patient.id, ITEM9(1), "2026-10-10")).safetyAlert).toEqual({
      joined: true,
      signals: 3,
    });
    const shown = { id: alert!.id, signals: 3, taken_on: TODAY };
    const measuresPage = await openAs(db, therapist, patient.id, NOW, "symptom_measures");
    expect(await patientSafetyAlerts(db, measuresPage)).toEqual([expect.objectContaining(shown)]);
    expect(await openSafetyAlerts(db, actorFor(coordinator), TODAY)).toEqual([expect.objectContaining(shown)]);
    expect(await openPatientSafetyAlerts(db, await openAs(db, therapist, patient.id, NOW))).toEqual([
      expect.objectContaining(shown),
    ]);
    expect(await recentSafetyAlerts(db, actorFor(coordinator), { now: NOW, days: 7, limit: 10 })).toEqual([
      expect.objectContaining(shown),
    ]);
    expect(await alertMail()).toEqual(firstBatch);

    // A clinician who saw fewer signals than have joined acknowledges nothing: none is closed unread.
    const acknowledge = (signals: number) =>
      acknowledgeSafetyAlert(db, actorFor(clinician), auditContextFor(clinician), {
        patientId: patient.id,
        alertId: alert!.id,
        action: "Called the patient; safety plan reviewed.",
        signals,
        now: new Date(NOW.getTime() + 2 * HOUR),
      });
    expect(await acknowledge(2)).toBe("new signal");
    expect(await openSafetyAlerts(db, actorFor(clinician), TODAY)).toEqual([expect.objectContaining(shown)]);
    expect(await audited("safety_alert.acknowledge")).toEqual([]);

    // Acknowledged, it is closed: the next signal opens a new alert and emails everyone again.
    expect(await acknowledge(3)).toBe(true);
    expect(await audited("safety_alert.acknowledge")).toEqual([
      { entity_id: alert!.id, actor_id: clinician.id, detail: { signals: 3 } },
    ]);
    const next = await record(therapist, patient.id, ITEM9(1), TODAY, new Date(NOW.getTime() + 3 * HOUR));
    expect(next.safetyAlert).toEqual({ joined: false, signals: 1 });
    expect(await alertRows()).toHaveLength(2);
    expect(await alertMail()).toHaveLength(8);
  });

  it("opens one alert when two item-9 PHQ-9s are recorded at the same moment, and queues one batch of emails", async () => {
    const { db, therapist, psychiatrist, patient } = await setUp();
    const results = await Promise.all([
      record(therapist, patient.id, ITEM9(1), TODAY),
      record(psychiatrist, patient.id, ITEM9(3), TODAY),
    ]);
    expect(results.map((r) => r.safetyAlert).sort((a, b) => a!.signals - b!.signals)).toEqual([
      { joined: false, signals: 1 },
      { joined: true, signals: 2 },
    ]);
    const [alert, ...others] = await alertRows();
    expect(others).toEqual([]);
    expect(
      (await db.selectFrom("safety_alert_measures").select("measure_id").where("alert_id", "=", alert!.id).execute())
        .map((r) => r.measure_id)
        .sort(),
    ).toEqual(results.map((r) => r.id).sort());
    expect(await alertMail()).toHaveLength(4);
    expect(await audited("safety_alert.raise")).toHaveLength(1);
    expect(await audited("safety_alert.signal")).toHaveLength(1);
  });

  it("keeps at most one open PHQ-9 alert per patient in the database itself, while safety concerns stay one alert each", async () => {
    const { db, therapist, patient } = await setUp();
    const first = await record(therapist, patient.id, ITEM9(1), TODAY);
    const measure = await db
      .insertInto("measures")
      .values({
        patient_id: patient.id,
        instrument: "PHQ9",
        taken_on: TODAY,
        items: ITEM9(2),
        total: 10,
        recorded_by: therapist.id,
        recorded_at: NOW,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    await expect(
      db
        .insertInto("safety_alerts")
        .values({ patient_id: patient.id, measure_id: measure.id, raised_at: NOW })
        .execute(),
    ).rejects.toThrow();
    for (const body of ["She spoke of ending her life.", "Again today."])
      await postNote(db, actorFor(therapist), auditContextFor(therapist), {
        patientId: patient.id,
        kind: "safety_concern",
        body,
        requestReview: false,
        now: NOW,
        today: TODAY,
        appUrl: APP_URL,
      });
    const open = await alertRows();
    expect(open).toHaveLength(3);
    expect(open.filter((a) => a.measure_id === first.id)).toHaveLength(1);
  });

  it("merges the open PHQ-9 alerts a patient already had into the oldest when the database is upgraded", async () => {
    const { db, therapist, patient } = await setUp();
    const names = Object.keys(migrations);
    const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations } });
    expect(
      (await migrator.migrateTo(names[names.indexOf("2026-12-06T1300-joined-safety-signals") - 1]!)).error,
    ).toBeUndefined();
    const measure = async (takenOn: string) =>
      (
        await sql<{ id: string }>`
          insert into measures (patient_id, instrument, taken_on, items, total, recorded_by, recorded_at)
          values (${patient.id}, 'PHQ9', ${takenOn}, ${`{${ITEM9(1).join(",")}}`}, 9, ${therapist.id}, ${NOW})
          returning id`.execute(db)
      ).rows[0]!.id;
    const alert = async (measureId: string, raisedAt: Date, escalatedAt: Date | null, acknowledged = false) =>
      (
        await sql<{ id: string }>`
          insert into safety_alerts (patient_id, measure_id, raised_at, escalated_at, acknowledged_at, action_taken)
          values (${patient.id}, ${measureId}, ${raisedAt}, ${escalatedAt}, ${acknowledged ? raisedAt : null}, ${acknowledged ? "Called." : null})
          returning id`.execute(db)
      ).rows[0]!.id;
    const [m1, m2, m3, m4] = [
      await measure("2026-10-01"),
      await measure("2026-10-18"),
      await measure("2026-10-19"),
      await measure("2026-10-20"),
    ];
    const closed = await alert(m1!, new Date(NOW.getTime() - 30 * 24 * HOUR), null, true);
    const oldest = await alert(m2!, new Date(NOW.getTime() - 3 * HOUR), null);
    await alert(m3!, new Date(NOW.getTime() - 2 * HOUR), new Date(NOW.getTime() - HOUR));
    await alert(m4!, new Date(NOW.getTime() - HOUR), null);

    await migrateToLatest(db);
    expect((await alertRows()).map((a) => [a.id, a.escalated_at])).toEqual([
      [closed, null],
      [oldest, new Date(NOW.getTime() - HOUR)],
    ]);
    expect(
      await db.selectFrom("safety_alert_measures").select(["measure_id", "alert_id"]).orderBy("joined_at").execute(),
    ).toEqual([
      { measure_id: m1, alert_id: closed },
      { measure_id: m2, alert_id: oldest },
      { measure_id: m3, alert_id: oldest },
      { measure_id: m4, alert_id: oldest },
    ]);
    expect(await patientSafetyAlerts(db, await openAs(db, therapist, patient.id, NOW, "symptom_measures"))).toEqual([
      expect.objectContaining({ id: oldest, signals: 3, taken_on: "2026-10-20" }),
      expect.objectContaining({ id: closed, signals: 1, taken_on: "2026-10-01" }),
    ]);
  });
});
