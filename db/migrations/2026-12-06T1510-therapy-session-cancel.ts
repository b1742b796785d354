import { sql, type Kysely } from "kysely";

// Frozen in time. A provider may cancel a planned therapy session (and undo it while its time is ahead).
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table therapy_sessions drop constraint therapy_sessions_status_check`.execute(db);
  await sql`alter table therapy_sessions add constraint therapy_sessions_status_check
    check (status in ('planned','held','missed','cancelled'))`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`update therapy_sessions set status = 'missed' where status = 'cancelled'`.execute(db);
  await sql`alter table therapy_sessions drop constraint therapy_sessions_status_check`.execute(db);
  await sql`alter table therapy_sessions add constraint therapy_sessions_status_check
    check (status in ('planned','held','missed'))`.execute(db);
}
