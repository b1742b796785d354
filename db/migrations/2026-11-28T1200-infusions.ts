import { sql, type Kysely } from "kysely";

// Frozen in time: infusion courses and visits, the therapy sessions outside providers plan in the
// window after each visit, booster reviews, and personal calendar feeds.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("clinic_settings").addColumn("visit_minutes", "integer", (c) => c.notNull().defaultTo(90)).execute();
  await db.schema.alterTable("clinic_settings").addColumn("infusion_minutes", "integer", (c) => c.notNull().defaultTo(40)).execute();
  await db.schema.alterTable("clinic_settings").addColumn("therapy_window_hours", "integer", (c) => c.notNull().defaultTo(72)).execute();

  await db.schema
    .createTable("infusion_courses")
    .addColumn("id", "uuid", (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn("patient_id", "uuid", (c) => c.notNull().references("patients.id"))
    .addColumn("location_id", "text", (c) => c.notNull().references("locations.id"))
    .addColumn("clinician_id", "uuid", (c) => c.notNull().references("users.id"))
    .addColumn("created_by", "uuid", (c) => c.notNull().references("users.id"))
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex("infusion_courses_patient_idx").on("infusion_courses").column("patient_id").execute();

  await db.schema
    .createTable("infusion_visits")
    .addColumn("id", "uuid", (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn("course_id", "uuid", (c) => c.notNull().references("infusion_courses.id"))
    .addColumn("patient_id", "uuid", (c) => c.notNull().references("patients.id"))
    .addColumn("location_id", "text", (c) => c.notNull().references("locations.id"))
    .addColumn("clinician_id", "uuid", (c) => c.notNull().references("users.id"))
    .addColumn("kind", "text", (c) => c.notNull().check(sql`kind in ('course','booster')`))
    .addColumn("starts_at", "timestamptz", (c) => c.notNull())
    .addColumn("ends_at", "timestamptz", (c) => c.notNull())
    .addColumn("infusion_minutes", "integer", (c) => c.notNull())
    .addColumn("window_closes_at", "timestamptz", (c) => c.notNull())
    .addColumn("status", "text", (c) => c.notNull().defaultTo("scheduled").check(sql`status in ('scheduled','held','missed','cancelled')`))
    .addColumn("cancel_reason", "text")
    .addColumn("sequence", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("updated_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex("infusion_visits_patient_idx").on("infusion_visits").columns(["patient_id", "starts_at"]).execute();
  await db.schema.createIndex("infusion_visits_clinician_idx").on("infusion_visits").columns(["clinician_id", "starts_at"]).execute();
  await db.schema.createIndex("infusion_visits_course_idx").on("infusion_visits").column("course_id").execute();
  await db.schema.createIndex("infusion_visits_window_idx").on("infusion_visits").column("window_closes_at").execute();

  await db.schema
    .createTable("therapy_sessions")
    .addColumn("id", "uuid", (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn("patient_id", "uuid", (c) => c.notNull().references("patients.id"))
    .addColumn("provider_id", "uuid", (c) => c.notNull().references("users.id"))
    .addColumn("visit_id", "uuid", (c) => c.references("infusion_visits.id"))
    .addColumn("starts_at", "timestamptz", (c) => c.notNull())
    .addColumn("modality", "text", (c) => c.notNull().check(sql`modality in ('WET','CPT','PE','other')`))
    .addColumn("protocol_number", "integer")
    .addColumn("protocol_total", "integer")
    .addColumn("mode", "text", (c) => c.notNull().check(sql`mode in ('in_person','telehealth')`))
    .addColumn("status", "text", (c) => c.notNull().defaultTo("planned").check(sql`status in ('planned','held','missed')`))
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("updated_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex("therapy_sessions_patient_idx").on("therapy_sessions").columns(["patient_id", "starts_at"]).execute();
  await db.schema.createIndex("therapy_sessions_provider_idx").on("therapy_sessions").columns(["provider_id", "starts_at"]).execute();
  await db.schema.createIndex("therapy_sessions_visit_idx").on("therapy_sessions").column("visit_id").execute();

  await db.schema
    .createTable("booster_reviews")
    .addColumn("id", "uuid", (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn("patient_id", "uuid", (c) => c.notNull().references("patients.id"))
    .addColumn("course_id", "uuid", (c) => c.references("infusion_courses.id"))
    .addColumn("reason", "text", (c) => c.notNull())
    .addColumn("due_from", "date", (c) => c.notNull())
    .addColumn("due_to", "date", (c) => c.notNull())
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("decision", "text")
    .addColumn("decision_note", "text")
    .addColumn("decided_by", "uuid", (c) => c.references("users.id"))
    .addColumn("decided_at", "timestamptz")
    .execute();
  await sql`create unique index booster_reviews_course_key on booster_reviews (course_id, reason) where course_id is not null`.execute(db);
  await sql`create index booster_reviews_open_idx on booster_reviews (due_from) where decided_at is null`.execute(db);

  await db.schema
    .createTable("calendar_feeds")
    .addColumn("id", "uuid", (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn("user_id", "uuid", (c) => c.notNull().references("users.id"))
    .addColumn("token_hash", "text", (c) => c.notNull().unique())
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("revoked_at", "timestamptz")
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ["calendar_feeds", "booster_reviews", "therapy_sessions", "infusion_visits", "infusion_courses"]) {
    await db.schema.dropTable(table).execute();
  }
  for (const column of ["therapy_window_hours", "infusion_minutes", "visit_minutes"]) {
    await db.schema.alterTable("clinic_settings").dropColumn(column).execute();
  }
}
