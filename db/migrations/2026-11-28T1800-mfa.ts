import { sql, type Kysely } from "kysely";

// Frozen in time: TOTP second factor, recovery codes, pending sign-in challenges, and the
// session facts needed for re-prompts and "sign out everywhere".
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("users").addColumn("totp_secret_enc", "text").execute();
  await db.schema.alterTable("users").addColumn("totp_enabled_at", "timestamptz").execute();
  await db.schema.alterTable("users").addColumn("totp_last_step", "bigint").execute();

  await db.schema.alterTable("sessions").addColumn("needs_mfa_enrolment", "boolean", (c) => c.notNull().defaultTo(false)).execute();
  await db.schema.alterTable("sessions").addColumn("authenticated_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`)).execute();

  await db.schema
    .createTable("mfa_recovery_codes")
    .addColumn("id", "uuid", (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn("user_id", "uuid", (c) => c.notNull().references("users.id").onDelete("cascade"))
    .addColumn("code_hash", "text", (c) => c.notNull())
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("used_at", "timestamptz")
    .execute();
  await db.schema.createIndex("mfa_recovery_codes_user_idx").on("mfa_recovery_codes").column("user_id").execute();

  await db.schema
    .createTable("mfa_challenges")
    .addColumn("id_hash", "text", (c) => c.primaryKey())
    .addColumn("user_id", "uuid", (c) => c.notNull().references("users.id").onDelete("cascade"))
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("expires_at", "timestamptz", (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("mfa_challenges").execute();
  await db.schema.dropTable("mfa_recovery_codes").execute();
  for (const column of ["authenticated_at", "needs_mfa_enrolment"]) await db.schema.alterTable("sessions").dropColumn(column).execute();
  for (const column of ["totp_last_step", "totp_enabled_at", "totp_secret_enc"]) await db.schema.alterTable("users").dropColumn(column).execute();
}
