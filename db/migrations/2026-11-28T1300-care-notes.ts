import { sql, type Kysely } from "kysely";

// Frozen in time: the care-notes thread. A posted note, an addendum, a sign-off and a safety
// acknowledgement are permanent: triggers refuse any update or delete of them.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("care_notes")
    .addColumn("id", "uuid", (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn("patient_id", "uuid", (c) => c.notNull().references("patients.id"))
    .addColumn("author_id", "uuid", (c) => c.notNull().references("users.id"))
    .addColumn("author_role", "text", (c) => c.notNull())
    .addColumn("author_organisation", "text", (c) => c.notNull())
    .addColumn("kind", "text", (c) =>
      c.notNull().check(sql`kind in ('progress_update','session_summary','infusion_summary','question','safety_concern')`),
    )
    .addColumn("body", "text", (c) => c.notNull())
    .addColumn("review_requested", "boolean", (c) => c.notNull())
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex("care_notes_patient_idx").on("care_notes").columns(["patient_id", "created_at"]).execute();
  await sql`create index care_notes_review_idx on care_notes (created_at) where review_requested`.execute(db);

  await db.schema
    .createTable("note_addenda")
    .addColumn("id", "uuid", (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn("note_id", "uuid", (c) => c.notNull().references("care_notes.id"))
    .addColumn("author_id", "uuid", (c) => c.notNull().references("users.id"))
    .addColumn("body", "text", (c) => c.notNull())
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex("note_addenda_note_idx").on("note_addenda").column("note_id").execute();

  await db.schema
    .createTable("note_sign_offs")
    .addColumn("note_id", "uuid", (c) => c.primaryKey().references("care_notes.id"))
    .addColumn("psychiatrist_id", "uuid", (c) => c.notNull().references("users.id"))
    .addColumn("comment", "text")
    .addColumn("signed_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  await db.schema
    .createTable("safety_acknowledgements")
    .addColumn("note_id", "uuid", (c) => c.primaryKey().references("care_notes.id"))
    .addColumn("clinician_id", "uuid", (c) => c.notNull().references("users.id"))
    .addColumn("response", "text", (c) => c.notNull())
    .addColumn("acknowledged_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  await sql`
    create function refuse_change_to_permanent_record() returns trigger language plpgsql as $$
    begin
      raise exception '% is a permanent record: rows cannot be changed or deleted', tg_table_name;
    end $$`.execute(db);
  for (const table of ["care_notes", "note_addenda", "note_sign_offs", "safety_acknowledgements"]) {
    await sql`
      create trigger ${sql.raw(`${table}_permanent`)} before update or delete on ${sql.table(table)}
      for each statement execute function refuse_change_to_permanent_record()`.execute(db);
  }

  await db.schema
    .createTable("note_reads")
    .addColumn("user_id", "uuid", (c) => c.notNull().references("users.id"))
    .addColumn("note_id", "uuid", (c) => c.notNull().references("care_notes.id"))
    .addColumn("read_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint("note_reads_pk", ["user_id", "note_id"])
    .execute();

  await db.schema.alterTable("users").addColumn("notify_notes", "boolean", (c) => c.notNull().defaultTo(true)).execute();
  await db.schema.alterTable("users").addColumn("notes_digest_sent_at", "timestamptz").execute();
  await db.schema.alterTable("users").addColumn("notes_digest_cursor", "timestamptz").execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const column of ["notes_digest_cursor", "notes_digest_sent_at", "notify_notes"]) {
    await db.schema.alterTable("users").dropColumn(column).execute();
  }
  for (const table of ["note_reads", "safety_acknowledgements", "note_sign_offs", "note_addenda", "care_notes"]) {
    await db.schema.dropTable(table).execute();
  }
  await sql`drop function refuse_change_to_permanent_record()`.execute(db);
}
