import { sql, type Kysely } from "kysely";

// Frozen in time. The infusion day: a pre-infusion check completed on each visit, an outcome of
// "stopped early" with its reason, the structured infusion record (signed once, then corrected by
// addenda), the clinic's limits for vital signs, and the infusion summary note tied to its visit.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable("infusion_visits")
    .addColumn("checked_at", "timestamptz")
    .addColumn("checked_by", "uuid", (c) => c.references("users.id"))
    .addColumn("check_findings", sql`text[]`)
    .addColumn("stopped_early_reason", "text", (c) => c.check(sql`length(stopped_early_reason) between 1 and 2000`))
    .execute();

  await db.schema
    .alterTable("clinic_settings")
    .addColumn("bp_systolic_limit", "integer", (c) => c.notNull().defaultTo(160))
    .addColumn("bp_diastolic_limit", "integer", (c) => c.notNull().defaultTo(100))
    .addColumn("heart_rate_limit", "integer", (c) => c.notNull().defaultTo(110))
    .addColumn("spo2_floor", "integer", (c) => c.notNull().defaultTo(92))
    .addColumn("summary_shows_dose", "boolean", (c) => c.notNull().defaultTo(false))
    .execute();

  const vital = (name: string, low: number, high: number) =>
    [name, "smallint", (c: any) => c.check(sql`${sql.ref(name)} between ${sql.lit(low)} and ${sql.lit(high)}`)] as const;
  let record = db.schema
    .createTable("infusion_records")
    .addColumn("visit_id", "uuid", (c) => c.primaryKey().references("infusion_visits.id"))
    .addColumn("patient_id", "uuid", (c) => c.notNull().references("patients.id"))
    .addColumn("dose_mg_per_kg", sql`numeric(4,2)`, (c) => c.notNull().check(sql`dose_mg_per_kg > 0 and dose_mg_per_kg <= 2`))
    .addColumn("dose_mg", sql`numeric(6,1)`, (c) => c.notNull().check(sql`dose_mg > 0 and dose_mg <= 400`))
    .addColumn("route", "text", (c) => c.notNull().check(sql`route in ('IV','IM')`))
    .addColumn("started_at", "timestamptz", (c) => c.notNull())
    .addColumn("ended_at", "timestamptz", (c) => c.notNull())
    .addColumn("dissociation", "smallint", (c) => c.notNull().check(sql`dissociation between 0 and 4`))
    .addColumn("adverse_events", sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'`))
    .addColumn("adverse_notes", "text", (c) => c.check(sql`length(adverse_notes) <= 4000`))
    .addColumn("recovered_at", "timestamptz", (c) => c.notNull())
    .addColumn("discharged_at", "timestamptz", (c) => c.notNull())
    .addColumn("escort", "text", (c) => c.notNull().check(sql`length(escort) between 1 and 200`))
    .addColumn("recorded_by", "uuid", (c) => c.notNull().references("users.id"))
    .addColumn("updated_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("signed_by", "uuid", (c) => c.references("users.id"))
    .addColumn("signed_at", "timestamptz")
    .addCheckConstraint("infusion_records_times", sql`ended_at > started_at and recovered_at >= ended_at and discharged_at >= recovered_at`);
  for (const phase of ["before", "during", "after"]) {
    record = record
      .addColumn(...vital(`systolic_${phase}`, 50, 260))
      .addColumn(...vital(`diastolic_${phase}`, 20, 160))
      .addColumn(...vital(`heart_rate_${phase}`, 20, 250));
  }
  await record.addColumn(...vital("spo2_lowest", 50, 100)).execute();
  await db.schema.createIndex("infusion_records_patient_idx").on("infusion_records").columns(["patient_id", "started_at"]).execute();

  await db.schema
    .createTable("infusion_record_addenda")
    .addColumn("id", "uuid", (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn("visit_id", "uuid", (c) => c.notNull().references("infusion_records.visit_id"))
    .addColumn("author_id", "uuid", (c) => c.notNull().references("users.id"))
    .addColumn("body", "text", (c) => c.notNull().check(sql`length(body) between 1 and 4000`))
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex("infusion_record_addenda_visit_idx").on("infusion_record_addenda").columns(["visit_id", "created_at"]).execute();

  await db.schema.alterTable("care_notes").addColumn("visit_id", "uuid", (c) => c.references("infusion_visits.id")).execute();
  await sql`create unique index care_notes_one_summary_per_visit on care_notes (visit_id) where kind = 'infusion_summary'`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex("care_notes_one_summary_per_visit").execute();
  await db.schema.alterTable("care_notes").dropColumn("visit_id").execute();
  await db.schema.dropTable("infusion_record_addenda").execute();
  await db.schema.dropTable("infusion_records").execute();
  for (const column of ["summary_shows_dose", "spo2_floor", "heart_rate_limit", "bp_diastolic_limit", "bp_systolic_limit"])
    await db.schema.alterTable("clinic_settings").dropColumn(column).execute();
  for (const column of ["stopped_early_reason", "check_findings", "checked_by", "checked_at"])
    await db.schema.alterTable("infusion_visits").dropColumn(column).execute();
}
