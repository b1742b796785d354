import { sql, type Kysely } from "kysely";

// Frozen in time: indexes found missing by the scale benchmark (npm run bench; README,
// "Performance"), each for a query that otherwise reads a whole table as the network grows.
export async function up(db: Kysely<any>): Promise<void> {
  // Care-note digests look for notes newer than each user's cursor, every minute, for every user.
  await db.schema.createIndex("care_notes_created_idx").on("care_notes").column("created_at").execute();
  // The work list's releases expiring within 30 days.
  await sql`create index releases_expiring_idx on releases_of_information (expires_on) where revoked_at is null`.execute(db);
  // Measure reminders pick the patients with a course visit near today, every minute.
  await sql`create index infusion_visits_course_starts_idx on infusion_visits (starts_at) where kind = 'course'`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const index of ["infusion_visits_course_starts_idx", "releases_expiring_idx", "care_notes_created_idx"]) await db.schema.dropIndex(index).execute();
}
