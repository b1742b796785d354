import { sql, type Kysely } from "kysely";

// Frozen in time: the coordinator's work list at 10,000 patients (npm run bench; README,
// "Performance").
export async function up(db: Kysely<any>): Promise<void> {
  // Patients with no engaged provider, in name order: walked by name until a page is found,
  // instead of checking every patient and sorting them all.
  await sql`create index patients_name_order_idx on patients (last_name, first_name)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex("patients_name_order_idx").execute();
}
