import { expect, it } from "vitest";
import { seedDemoData } from "../../db/seed-demo";
import { loadConfig } from "~/env.server";
import { lapsedWithVisitsQuery } from "~/modules/engagement/lapses.server";
import { describeEachEngine } from "../support/db";

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
});
