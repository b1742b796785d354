import { sql, type Kysely } from "kysely";

// Frozen in time. A psychiatrist may return a note sent for review to its author with comments
// (permanent, like the note); the author's next addendum sends it back to the queue. The clinic
// names a fallback reviewer for patients whose team has no other psychiatrist, and after how many
// days a review still waiting shows on the coordinator's work list.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("note_returns")
    .addColumn("id", "uuid", (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn("note_id", "uuid", (c) => c.notNull().references("care_notes.id"))
    .addColumn("psychiatrist_id", "uuid", (c) => c.notNull().references("users.id"))
    .addColumn("comments", "text", (c) => c.notNull())
    .addColumn("returned_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex("note_returns_note_idx").on("note_returns").columns(["note_id", "returned_at"]).execute();
  await sql`
    create trigger note_returns_permanent before update or delete on note_returns
    for each statement execute function refuse_change_to_permanent_record()`.execute(db);
  await db.schema
    .alterTable("clinic_settings")
    .addColumn("fallback_reviewer_id", "uuid", (c) => c.references("users.id"))
    .execute();
  await db.schema
    .alterTable("clinic_settings")
    .addColumn("review_stale_days", "integer", (c) => c.notNull().defaultTo(3).check(sql`review_stale_days between 1 and 60`))
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("clinic_settings").dropColumn("review_stale_days").execute();
  await db.schema.alterTable("clinic_settings").dropColumn("fallback_reviewer_id").execute();
  await db.schema.dropTable("note_returns").execute();
}
