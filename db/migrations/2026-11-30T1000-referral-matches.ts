import { sql, type Kysely } from "kysely";

// Frozen in time: at 100,000 patients every view of a referral ranked all ~20,000 providers again
// (npm run bench -- --growth; README, "Performance"). A referral's ranking is kept, with the key
// of everything it was computed from, and computed again only when one of those changed.
export async function up(db: Kysely<any>): Promise<void> {
  // One counter for the whole provider directory, raised by any change to what ranking reads.
  await sql`
    create table directory_version (
      id boolean primary key default true check (id),
      version bigint not null,
      raised_by xid8
    )`.execute(db);
  // Raised once per transaction, at its commit: the counter's row is the last lock a writer takes,
  // so writers queue on it only for the instant of their commit and can never deadlock on it.
  // No row reads as version 0; the first change makes it.
  await sql`
    create function raise_directory_version() returns trigger language plpgsql as $$
    begin
      insert into directory_version as d (version, raised_by) values (1, pg_current_xact_id())
        on conflict (id) do update set version = d.version + 1, raised_by = excluded.raised_by
        where d.raised_by is distinct from excluded.raised_by;
      return null;
    end $$`.execute(db);
  for (const [table, event] of [
    ["provider_profiles", "insert or update or delete"],
    ["provider_credentials", "insert or update or delete"],
    ["provider_stats", "insert or update or delete"],
    ["users", "insert or delete or update of name, role, status"],
  ] as const) {
    await sql`create constraint trigger ${sql.raw(`${table}_directory_version`)} after ${sql.raw(event)} on ${sql.table(table)}
      deferrable initially deferred for each row execute function raise_directory_version()`.execute(db);
  }
  await sql`
    create table referral_matches (
      referral_id uuid primary key references referrals (id) on delete cascade,
      key text not null,
      considered integer not null,
      shortlist jsonb not null,
      computed_at timestamptz not null default now()
    )`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("referral_matches").execute();
  for (const table of ["provider_profiles", "provider_credentials", "provider_stats", "users"]) {
    await sql`drop trigger ${sql.raw(`${table}_directory_version`)} on ${sql.table(table)}`.execute(db);
  }
  await sql`drop function raise_directory_version()`.execute(db);
  await db.schema.dropTable("directory_version").execute();
}
