import { sql, type Kysely } from "kysely";
import type { MigrationResultSet } from "kysely/migration";
import { openDatabase } from "./engine";
import { migrateToLatest } from "./migrator";

/** The role a connection string signs in as. */
export function roleOf(url: string): string {
  return decodeURIComponent(new URL(url).username || "postgres");
}

/**
 * What the server's own role may do, granted by the owner after migrating: read and write the
 * portal's tables, but only read and append to the audit log, and only read the migration
 * bookkeeping (`/readyz` compares it with the code). It owns nothing, so it can neither alter a
 * table nor drop or disable a trigger. Granted again at every start, so tables that a later
 * migration adds are covered.
 */
export async function grantRuntimeAccess(owner: Kysely<any>, role: string): Promise<void> {
  const r = sql.id(role);
  await sql`grant usage on schema public to ${r}`.execute(owner);
  await sql`grant select, insert, update, delete on all tables in schema public to ${r}`.execute(owner);
  await sql`grant usage, select on all sequences in schema public to ${r}`.execute(owner);
  await sql`revoke update, delete, truncate, references, trigger on audit_events from ${r}`.execute(owner);
  await sql`revoke insert, update, delete, truncate, references, trigger on kysely_migration, kysely_migration_lock from ${r}`.execute(
    owner,
  );
}

/**
 * With two roles (DATABASE_MIGRATION_URL beside DATABASE_URL): migrates as the owner, grants the
 * runtime role what it needs, and closes the owner's connection again.
 */
export async function migrateAsOwner(ownerUrl: string, runtimeUrl: string): Promise<MigrationResultSet> {
  const owner = openDatabase({ url: ownerUrl, poolSize: 1 });
  try {
    const result = await migrateToLatest(owner.db);
    if (roleOf(runtimeUrl) !== roleOf(ownerUrl)) await grantRuntimeAccess(owner.db, roleOf(runtimeUrl));
    return result;
  } finally {
    await owner.close();
  }
}
