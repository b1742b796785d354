import { sql, type Kysely } from "kysely";

// Frozen in time. Booked visits in time order, so the work list walks them soonest first and stops
// after a page instead of reading every booked visit in the clinic.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`create index infusion_visits_booked_starts_idx on infusion_visits (starts_at) where status = 'scheduled'`.execute(
    db,
  );
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex("infusion_visits_booked_starts_idx").execute();
}
