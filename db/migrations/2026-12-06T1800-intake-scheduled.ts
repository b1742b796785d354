import { sql, type Kysely } from "kysely";

// Frozen in time. A provider new to a patient (an accepted referral) says when the intake is
// scheduled: a provisional word, kept apart from engagement confirmations so it never opens the
// engagement gate; the first session held is confirmed with the full attestation.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("intake_schedules")
    .addColumn("id", "uuid", (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn("patient_id", "uuid", (c) => c.notNull().references("patients.id"))
    .addColumn("provider_id", "uuid", (c) => c.notNull().references("users.id"))
    .addColumn("scheduled_on", "date", (c) => c.notNull())
    .addColumn("recorded_at", "timestamptz", (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex("intake_schedules_patient_idx")
    .on("intake_schedules")
    .columns(["patient_id", "recorded_at"])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("intake_schedules").execute();
}
