import { sql, type Kysely } from "kysely";

// Frozen in time: the audit table refused UPDATE and DELETE but not TRUNCATE, which empties it
// without touching a row. (A role without the TRUNCATE privilege cannot run it either; the
// trigger holds for the owner too.)
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create trigger audit_events_no_truncate before truncate on audit_events
    for each statement execute function audit_events_append_only()`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop trigger audit_events_no_truncate on audit_events`.execute(db);
}
