import { sql, type Kysely } from "kysely";

// Frozen in time. A visit marked held although the engagement gate refused keeps who overrode it,
// when, why, and the gate's reasons at that moment: the whole care team reads them on the visit.
// A patient's engagement lapsing while visits are booked is told once per lapse: the open lapse
// row is the claim (one per patient at a time), closed when a confirmation counts again.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable("infusion_visits")
    .addColumn("gate_override_reason", "text")
    .addColumn("gate_override_by", "uuid", (c) => c.references("users.id"))
    .addColumn("gate_override_at", "timestamptz")
    .addColumn("gate_override_refusals", sql`text[]`)
    .execute();
  await sql`create index infusion_visits_gate_override_idx on infusion_visits (gate_override_at) where gate_override_at is not null`.execute(db);
  await sql`create index infusion_visits_scheduled_idx on infusion_visits (patient_id, starts_at) where status = 'scheduled'`.execute(db);
  await db.schema
    .createTable("engagement_lapses")
    .addColumn("id", "uuid", (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn("patient_id", "uuid", (c) => c.notNull().references("patients.id"))
    .addColumn("detected_at", "timestamptz", (c) => c.notNull())
    .addColumn("resolved_at", "timestamptz")
    .execute();
  await sql`create unique index engagement_lapses_open_idx on engagement_lapses (patient_id) where resolved_at is null`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("engagement_lapses").execute();
  await db.schema.dropIndex("infusion_visits_scheduled_idx").execute();
  await db.schema.dropIndex("infusion_visits_gate_override_idx").execute();
  await db.schema
    .alterTable("infusion_visits")
    .dropColumn("gate_override_refusals")
    .dropColumn("gate_override_at")
    .dropColumn("gate_override_by")
    .dropColumn("gate_override_reason")
    .execute();
}
