import { sql, type Kysely } from "kysely";

// Frozen in time: PHQ-9 and PCL-5 scores, urgent safety alerts, and measure reminders.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("clinic_settings").addColumn("pcl5_threshold", "integer", (c) => c.notNull().defaultTo(33)).execute();
  await db.schema.alterTable("clinic_settings").addColumn("pcl5_meaningful_change", "integer", (c) => c.notNull().defaultTo(10)).execute();

  await db.schema
    .createTable("measures")
    .addColumn("id", "uuid", (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn("patient_id", "uuid", (c) => c.notNull().references("patients.id"))
    .addColumn("instrument", "text", (c) => c.notNull().check(sql`instrument in ('PHQ9','PCL5')`))
    .addColumn("taken_on", "date", (c) => c.notNull())
    .addColumn("items", sql`smallint[]`, (c) => c.notNull())
    .addColumn("total", "integer", (c) => c.notNull())
    .addColumn("recorded_by", "uuid", (c) => c.notNull().references("users.id"))
    .addColumn("recorded_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addCheckConstraint(
      "measures_items_valid",
      sql`(instrument = 'PHQ9' and cardinality(items) = 9 and total between 0 and 27) or (instrument = 'PCL5' and cardinality(items) = 20 and total between 0 and 80)`,
    )
    .execute();
  await db.schema.createIndex("measures_patient_idx").on("measures").columns(["patient_id", "instrument", "taken_on"]).execute();

  await db.schema
    .createTable("safety_alerts")
    .addColumn("id", "uuid", (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn("patient_id", "uuid", (c) => c.notNull().references("patients.id"))
    .addColumn("measure_id", "uuid", (c) => c.notNull().unique().references("measures.id"))
    .addColumn("raised_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("acknowledged_by", "uuid", (c) => c.references("users.id"))
    .addColumn("acknowledged_at", "timestamptz")
    .addColumn("action_taken", "text")
    .execute();
  await sql`create index safety_alerts_open_idx on safety_alerts (raised_at) where acknowledged_at is null`.execute(db);

  await db.schema
    .createTable("measure_reminders")
    .addColumn("id", "uuid", (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn("patient_id", "uuid", (c) => c.notNull().references("patients.id"))
    .addColumn("user_id", "uuid", (c) => c.notNull().references("users.id"))
    .addColumn("due_key", "text", (c) => c.notNull())
    .addColumn("sent_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint("measure_reminders_once", ["patient_id", "user_id", "due_key"])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ["measure_reminders", "safety_alerts", "measures"]) await db.schema.dropTable(table).execute();
  for (const column of ["pcl5_meaningful_change", "pcl5_threshold"]) await db.schema.alterTable("clinic_settings").dropColumn(column).execute();
}
