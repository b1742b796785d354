import { sql, type Kysely } from "kysely";

// Frozen in time: provider directory profiles, referrals, offers and every state transition.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("clinic_settings").addColumn("offer_expiry_hours", "integer", (c) => c.notNull().defaultTo(72)).execute();

  await db.schema
    .createTable("provider_profiles")
    .addColumn("user_id", "uuid", (c) => c.primaryKey().references("users.id"))
    .addColumn("modalities", sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'`))
    .addColumn("certified_modalities", sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'`))
    .addColumn("licence_states", sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'`))
    .addColumn("boroughs", sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'`))
    .addColumn("practice_address", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("telehealth", "boolean", (c) => c.notNull().defaultTo(false))
    .addColumn("insurances", sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'`))
    .addColumn("languages", sql`text[]`, (c) => c.notNull().defaultTo(sql`'{English}'`))
    .addColumn("accepting_new", "boolean", (c) => c.notNull().defaultTo(false))
    .addColumn("open_slots_per_week", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("available_days", sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'`))
    .addColumn("available_times", sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'`))
    .addColumn("updated_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("updated_by", "uuid", (c) => c.references("users.id"))
    .execute();
  await sql`create index provider_profiles_accepting_idx on provider_profiles (user_id) where accepting_new and open_slots_per_week > 0`.execute(db);

  await db.schema
    .createTable("referrals")
    .addColumn("id", "uuid", (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn("patient_id", "uuid", (c) => c.notNull().references("patients.id"))
    .addColumn("modality", "text", (c) => c.notNull().check(sql`modality in ('WET','CPT','PE','any')`))
    .addColumn("setting", "text", (c) => c.notNull().check(sql`setting in ('in_person','telehealth','either')`))
    .addColumn("borough", "text")
    .addColumn("insurance", "text", (c) => c.notNull())
    .addColumn("language", "text", (c) => c.notNull())
    .addColumn("urgency", "text", (c) => c.notNull().check(sql`urgency in ('routine','soon','urgent')`))
    .addColumn("needs_window", "boolean", (c) => c.notNull())
    .addColumn("status", "text", (c) =>
      c.notNull().defaultTo("open").check(sql`status in ('open','offered','accepted','engaged','closed','cancelled')`),
    )
    .addColumn("accepted_provider_id", "uuid", (c) => c.references("users.id"))
    .addColumn("cancel_reason", "text")
    .addColumn("created_by", "uuid", (c) => c.notNull().references("users.id"))
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("status_changed_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex("referrals_status_idx").on("referrals").columns(["status", "status_changed_at"]).execute();
  await db.schema.createIndex("referrals_patient_idx").on("referrals").column("patient_id").execute();

  await db.schema
    .createTable("referral_offers")
    .addColumn("id", "uuid", (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn("referral_id", "uuid", (c) => c.notNull().references("referrals.id"))
    .addColumn("provider_id", "uuid", (c) => c.notNull().references("users.id"))
    .addColumn("offered_by", "uuid", (c) => c.notNull().references("users.id"))
    .addColumn("offered_at", "timestamptz", (c) => c.notNull())
    .addColumn("expires_at", "timestamptz", (c) => c.notNull())
    .addColumn("status", "text", (c) =>
      c.notNull().defaultTo("open").check(sql`status in ('open','accepted','declined','expired','withdrawn')`),
    )
    .addColumn("responded_at", "timestamptz")
    .addColumn("decline_reason", "text")
    .execute();
  await db.schema.createIndex("referral_offers_provider_idx").on("referral_offers").columns(["provider_id", "status"]).execute();
  await db.schema.createIndex("referral_offers_referral_idx").on("referral_offers").column("referral_id").execute();
  await sql`create index referral_offers_open_idx on referral_offers (expires_at) where status = 'open'`.execute(db);

  await db.schema
    .createTable("referral_events")
    .addColumn("id", "bigserial", (c) => c.primaryKey())
    .addColumn("referral_id", "uuid", (c) => c.notNull().references("referrals.id"))
    .addColumn("from_status", "text")
    .addColumn("to_status", "text", (c) => c.notNull())
    .addColumn("actor_id", "uuid", (c) => c.references("users.id"))
    .addColumn("note", "text")
    .addColumn("at", "timestamptz", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("referral_events_referral_idx").on("referral_events").columns(["referral_id", "at"]).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ["referral_events", "referral_offers", "referrals", "provider_profiles"]) await db.schema.dropTable(table).execute();
  await db.schema.alterTable("clinic_settings").dropColumn("offer_expiry_hours").execute();
}
