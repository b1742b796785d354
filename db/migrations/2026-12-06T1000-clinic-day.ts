import { sql, type Kysely } from "kysely";

// Frozen in time. What the clinic schedule needs: a clinician's home clinic, where their day view
// opens, and an index that reads one clinic's visits for a day or a week without scanning them all.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable("users")
    .addColumn("home_location_id", "text", (c) => c.references("locations.id"))
    .execute();
  await sql`create index infusion_visits_location_starts_idx on infusion_visits (location_id, starts_at)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex("infusion_visits_location_starts_idx").execute();
  await db.schema.alterTable("users").dropColumn("home_location_id").execute();
}
