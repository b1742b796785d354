import { expect, it } from "vitest";
import { seedDemoData } from "../../db/seed-demo";
import { loadConfig } from "~/env.server";
import { lapsedWithVisitsQuery } from "~/modules/engagement/lapses.server";
import { preInfusionCheck } from "~/modules/visits/pre-infusion-check.server";
import { vitalFlags } from "~/modules/visits/vitals";
import { describeEachEngine } from "../support/db";
import { insertMedicationReviewList } from "../support/factories";

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
});
