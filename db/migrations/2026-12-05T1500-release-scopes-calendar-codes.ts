import { sql, type Kysely } from "kysely";

// Frozen in time. Two changes to what a release shares and what a calendar carries.
export async function up(db: Kysely<any>): Promise<void> {
  // Symptom measures get a release scope of their own. Until now every current release showed the
  // measures page, whatever its scope said, so every release that exists when this runs (current,
  // expired or revoked alike) and every release still waiting on an invitation gets
  // `symptom_measures` added: none of them shows less than it did. Releases recorded from now on
  // cover symptom measures only when the coordinator ticks it.
  await sql`update releases_of_information set scope = array_append(scope, 'symptom_measures') where not ('symptom_measures' = any (scope))`.execute(db);
  await sql`update invitations set release_scope = array_append(release_scope, 'symptom_measures')
    where release_scope is not null and not ('symptom_measures' = any (release_scope))`.execute(db);

  // A short per-patient code that calendar events carry instead of initials: four characters from
  // an alphabet without look-alikes (no 0/O, 1/I/L), so it can be read aloud or off a phone. A new
  // code is drawn until it is unused; the unique index settles the rare race of two at once.
  await sql`
    create function new_calendar_code() returns text language plpgsql volatile as $$
    declare
      alphabet constant text := '23456789ABCDEFGHJKMNPQRSTUVWXYZ';
      code text;
    begin
      loop
        code := '';
        for i in 1..4 loop
          code := code || substr(alphabet, 1 + floor(random() * length(alphabet))::int, 1);
        end loop;
        exit when not exists (select 1 from patients where calendar_code = code);
      end loop;
      return code;
    end $$`.execute(db);
  await sql`alter table patients add column calendar_code text`.execute(db);
  // Indexed before the codes are drawn: each draw looks its candidate up.
  await sql`create unique index patients_calendar_code_idx on patients (calendar_code)`.execute(db);
  // One statement per patient, so each draw sees the codes given out before it.
  await sql`
    do $$
    declare p record;
    begin
      for p in select id from patients order by created_at, id loop
        update patients set calendar_code = new_calendar_code() where id = p.id;
      end loop;
    end $$`.execute(db);
  await sql`alter table patients alter column calendar_code set default new_calendar_code()`.execute(db);
  await sql`alter table patients alter column calendar_code set not null`.execute(db);
  await sql`alter table patients add constraint patients_calendar_code_format check (calendar_code ~ '^[2-9A-HJKMNP-Z]{4}$')`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`alter table patients drop column calendar_code`.execute(db);
  await sql`drop function new_calendar_code()`.execute(db);
  await sql`update invitations set release_scope = array_remove(release_scope, 'symptom_measures') where release_scope is not null`.execute(db);
  await sql`update releases_of_information set scope = array_remove(scope, 'symptom_measures')`.execute(db);
}
