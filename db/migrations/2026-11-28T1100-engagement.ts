import { sql, type Kysely } from "kysely";

// Frozen in time: patients' engagement with outside providers, and clinic-wide settings.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("clinic_settings")
    .addColumn("id", "boolean", (c) => c.primaryKey().defaultTo(true).check(sql`id`))
    .addColumn("engagement_valid_days", "integer", (c) => c.notNull().defaultTo(90))
    .addColumn("engagement_max_session_age_days", "integer", (c) => c.notNull().defaultTo(60))
    .execute();
  await sql`insert into clinic_settings (id) values (true)`.execute(db);
  await sql`create sequence patient_record_number_seq start 1100`.execute(db);

  await db.schema.alterTable("invitations").addColumn("patient_id", "uuid", (c) => c.references("patients.id")).execute();
  await db.schema.alterTable("invitations").addColumn("team_role", "text").execute();
  // A release the patient already signed naming the invited provider: recorded when they accept.
  await db.schema.alterTable("invitations").addColumn("release_signed_on", "date").execute();
  await db.schema.alterTable("invitations").addColumn("release_expires_on", "date").execute();
  await db.schema.alterTable("invitations").addColumn("release_scope", sql`text[]`).execute();

  await db.schema
    .createTable("engagement_confirmations")
    .addColumn("id", "uuid", (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn("patient_id", "uuid", (c) => c.notNull().references("patients.id"))
    .addColumn("provider_id", "uuid", (c) => c.notNull().references("users.id"))
    .addColumn("treatment_started_on", "date", (c) => c.notNull())
    .addColumn("last_session_on", "date", (c) => c.notNull())
    .addColumn("cadence", "text", (c) => c.notNull())
    .addColumn("ptsd_confirmed", "boolean", (c) => c.notNull())
    .addColumn("depression", "text", (c) => c.notNull())
    .addColumn("trauma_therapy", "text", (c) => c.notNull())
    .addColumn("sessions_held", "integer", (c) => c.notNull())
    .addColumn("agrees_to_coordinate", "boolean", (c) => c.notNull())
    .addColumn("signature_name", "text", (c) => c.notNull())
    .addColumn("signature_licence", "text", (c) => c.notNull())
    .addColumn("confirmed_at", "timestamptz", (c) => c.notNull())
    .addColumn("expires_at", "timestamptz", (c) => c.notNull())
    .addColumn("reminded_14_at", "timestamptz")
    .addColumn("reminded_3_at", "timestamptz")
    .execute();
  await db.schema
    .createIndex("engagement_patient_idx")
    .on("engagement_confirmations")
    .columns(["patient_id", "expires_at"])
    .execute();
  await db.schema.createIndex("engagement_expiry_idx").on("engagement_confirmations").column("expires_at").execute();

  await db.schema
    .createTable("eligibility_discussions")
    .addColumn("id", "uuid", (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn("patient_id", "uuid", (c) => c.notNull().references("patients.id"))
    .addColumn("clinician_id", "uuid", (c) => c.notNull().references("users.id"))
    .addColumn("discussed_on", "date", (c) => c.notNull())
    .addColumn("note", "text", (c) => c.notNull())
    .addColumn("recorded_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex("eligibility_discussions_patient_idx").on("eligibility_discussions").column("patient_id").execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("eligibility_discussions").execute();
  await db.schema.dropTable("engagement_confirmations").execute();
  for (const column of ["release_scope", "release_expires_on", "release_signed_on", "team_role"]) {
    await db.schema.alterTable("invitations").dropColumn(column).execute();
  }
  await db.schema.alterTable("invitations").dropColumn("patient_id").execute();
  await db.schema.dropTable("clinic_settings").execute();
  await sql`drop sequence patient_record_number_seq`.execute(db);
}
