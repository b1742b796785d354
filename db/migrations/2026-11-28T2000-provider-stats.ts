import { sql, type Kysely } from "kysely";

// Frozen in time: referral matching read every care-team membership and every offer on each
// match, so its cost grew with the whole network (npm run bench -- --growth; README, "Performance").
// Each outside provider's caseload and offer history are kept up to date here instead, by triggers
// in the same transaction as the change.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table provider_stats (
      user_id uuid primary key references users (id) on delete cascade,
      active_patients integer not null default 0,
      offers_accepted integer not null default 0,
      offers_answered integer not null default 0,
      median_response_hours double precision
    )`.execute(db);
  await sql`
    create function refresh_provider_stats(provider uuid) returns void language plpgsql as $$
    begin
      if provider is null then return; end if;
      insert into provider_stats (user_id, active_patients, offers_accepted, offers_answered, median_response_hours)
      select provider,
        (select count(*) from care_team_members m where m.user_id = provider and m.ended_at is null),
        (select count(*) from referral_offers o where o.provider_id = provider and o.status = 'accepted'),
        (select count(*) from referral_offers o where o.provider_id = provider and o.status in ('accepted', 'declined', 'expired')),
        (select percentile_cont(0.5) within group (order by extract(epoch from o.responded_at - o.offered_at) / 3600)
           from referral_offers o where o.provider_id = provider and o.responded_at is not null)
      on conflict (user_id) do update set
        active_patients = excluded.active_patients,
        offers_accepted = excluded.offers_accepted,
        offers_answered = excluded.offers_answered,
        median_response_hours = excluded.median_response_hours;
    end $$`.execute(db);
  for (const [table, column] of [
    ["care_team_members", "user_id"],
    ["referral_offers", "provider_id"],
  ] as const) {
    await sql`
      create function ${sql.raw(`${table}_provider_stats`)}() returns trigger language plpgsql as $$
      begin
        if tg_op <> 'DELETE' then perform refresh_provider_stats(new.${sql.raw(column)}); end if;
        if tg_op = 'DELETE' or (tg_op = 'UPDATE' and old.${sql.raw(column)} is distinct from new.${sql.raw(column)}) then
          perform refresh_provider_stats(old.${sql.raw(column)});
        end if;
        return null;
      end $$`.execute(db);
    await sql`create trigger ${sql.raw(`${table}_provider_stats`)} after insert or update or delete on ${sql.table(table)}
      for each row execute function ${sql.raw(`${table}_provider_stats`)}()`.execute(db);
  }
  await sql`select refresh_provider_stats(id) from users where role in ('therapist', 'psychiatrist')`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop trigger referral_offers_provider_stats on referral_offers`.execute(db);
  await sql`drop trigger care_team_members_provider_stats on care_team_members`.execute(db);
  await sql`drop function referral_offers_provider_stats()`.execute(db);
  await sql`drop function care_team_members_provider_stats()`.execute(db);
  await sql`drop function refresh_provider_stats(uuid)`.execute(db);
  await db.schema.dropTable("provider_stats").execute();
}
