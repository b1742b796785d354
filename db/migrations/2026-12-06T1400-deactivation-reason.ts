import type { Kysely } from "kysely";

// Frozen in time. Why an administrator deactivated an account, kept with the account (and in the audit row).
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("users").addColumn("deactivation_reason", "text").execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("users").dropColumn("deactivation_reason").execute();
}
