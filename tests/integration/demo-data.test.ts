import { expect, it } from "vitest";
import { seedDemoData } from "../../db/seed-demo";
import { loadConfig } from "~/env.server";
import { lapsedWithVisitsQuery } from "~/modules/engagement/lapses.server";
import { preInfusionCheck } from "~/modules/visits/pre-infusion-check.server";
import { patientMeasures } from "~/modules/measures/measures.server";
import { coordinatorWorkList } from "~/modules/work-list/work-list.server";
import { vitalFlags } from "~/modules/visits/vitals";
import { describeEachEngine } from "../support/db";
import { insertClinicSettings, insertMedicationReviewList, openAs } from "../support/factories";

describeEachEngine("demo data", (getDb) => {
  it("books visits only for patients whose engagement counts, save the one lapsed patient it shows on purpose", async () => {
    const db = getDb();
    const now = new Date();
    expect(await seedDemoData(db, loadConfig({}).secretsKey, now)).toBe(true);

    const lapsed = await lapsedWithVisitsQuery(db, now).execute();
    expect(lapsed.map((p) => `${p.last_name}, ${p.first_name}`)).toEqual(["Oyelaran, Casey"]);

    // A visit that was held or is still booked was booked through the gate: its patient has an
    // engagement confirmation (the lapsed patient's expired after the booking).
    const unconfirmed = await db
      .selectFrom("infusion_visits as v")
      .innerJoin("patients as p", "p.id", "v.patient_id")
      .select(["p.last_name"])
      .where("v.status", "in", ["scheduled", "held", "missed"])
      .where((eb) =>
        eb.not(
          eb.exists(
            eb.selectFrom("engagement_confirmations as e").select("e.id").whereRef("e.patient_id", "=", "v.patient_id"),
          ),
        ),
      )
      .execute();
    expect(unconfirmed).toEqual([]);
  });

  it("shows the infusion day: a signed record with out-of-range vitals and its summary awaiting review, and a medication to review", async () => {
    const db = getDb();
    await insertMedicationReviewList(db);
    const now = new Date();
    await seedDemoData(db, loadConfig({}).secretsKey, now);

    const records = await db.selectFrom("infusion_records").selectAll().execute();
    expect(records).toHaveLength(1);
    const record = records[0]!;
    expect(record.signed_at).not.toBeNull();
    expect(vitalFlags(record, { systolic: 160, diastolic: 100, heartRate: 110, spo2Floor: 92 })).toEqual([
      "Blood pressure before the infusion 168/102 is above the clinic's limit of 160/100.",
    ]);
    const summary = await db
      .selectFrom("care_notes as n")
      .leftJoin("note_sign_offs as s", "s.note_id", "n.id")
      .select(["n.kind", "n.review_requested", "s.signed_at as sign_off"])
      .where("n.visit_id", "=", record.visit_id)
      .executeTakeFirstOrThrow();
    expect(summary).toEqual({ kind: "infusion_summary", review_requested: true, sign_off: null });

    const scheduled = await db
      .selectFrom("infusion_visits as v")
      .innerJoin("patient_medications as m", "m.patient_id", "v.patient_id")
      .select(["v.id", "v.patient_id"])
      .where("v.status", "=", "scheduled")
      .where("v.location_id", "=", "chelsea")
      .executeTakeFirstOrThrow();
    const check = await preInfusionCheck(db, scheduled.patient_id, scheduled.id, now);
    expect(check!.medications.map((m) => m.name)).toContain("Clonazepam");
  });

  it("shows every workflow populated: a thread with an addendum, a response, an open alert, referrals in each state, a booster due, a confirmation expiring, sessions with progress", async () => {
    const db = getDb();
    const now = new Date();
    await insertClinicSettings(db);
    await seedDemoData(db, loadConfig({}).secretsKey, now);
    const patientId = async (lastName: string) =>
      (await db.selectFrom("patients").select("id").where("last_name", "=", lastName).executeTakeFirstOrThrow()).id;
    const coordinator = await db
      .selectFrom("users")
      .select(["id", "email", "name", "role"])
      .where("email", "=", "coordinator@demo.ember.test")
      .executeTakeFirstOrThrow();
    const actor = { ...coordinator, sessionId: "demo" };

    const thread = await db
      .selectFrom("care_notes as n")
      .innerJoin("note_sign_offs as s", "s.note_id", "n.id")
      .innerJoin("note_addenda as a", "a.note_id", "n.id")
      .select("n.id")
      .where("n.patient_id", "=", await patientId("Baptiste"))
      .execute();
    expect(thread).toHaveLength(1);
    const returned = await db
      .selectFrom("note_returns as r")
      .innerJoin("care_notes as n", "n.id", "r.note_id")
      .select(["n.kind", "n.patient_id"])
      .execute();
    expect(returned).toEqual([{ kind: "session_summary", patient_id: await patientId("Lindqvist") }]);

    const baptiste = await openAs(db, coordinator, await patientId("Baptiste"), now, "symptom_measures");
    const { rows } = await patientMeasures(db, baptiste);
    for (const instrument of ["PHQ9", "PCL5"] as const)
      expect(rows.filter((r) => r.instrument === instrument).at(-1)!.change).toMatchObject({ response: true });

    const list = await coordinatorWorkList(db, actor, now);
    expect(list.safetyAlerts.map((a) => [a.last_name, a.acknowledged_at, Boolean(a.escalated_at)])).toEqual([
      ["Nakamura", null, true],
    ]);
    expect(list.boosters.map((b) => b.patient_id)).toContain(await patientId("Feldstein"));
    expect(list.expiringConfirmations.map((c) => c.last_name)).toEqual(["Baptiste"]);

    const referrals = await db
      .selectFrom("referrals as r")
      .innerJoin("patients as p", "p.id", "r.patient_id")
      .select(["p.last_name", "r.status"])
      .orderBy("p.last_name")
      .execute();
    expect(referrals).toEqual([
      { last_name: "Albescu", status: "offered" },
      { last_name: "Delacroix", status: "accepted" },
      { last_name: "Szabo", status: "closed" },
    ]);

    const sessions = await db
      .selectFrom("therapy_sessions")
      .select(["modality", "protocol_number", "protocol_total", "status"])
      .where("patient_id", "=", await patientId("Lindqvist"))
      .orderBy("protocol_number")
      .execute();
    expect(sessions).toEqual([
      { modality: "WET", protocol_number: 1, protocol_total: 5, status: "held" },
      { modality: "WET", protocol_number: 2, protocol_total: 5, status: "planned" },
    ]);
  });
});
