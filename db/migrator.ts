import { Migrator, type MigrationResultSet } from "kysely/migration";
import type { Kysely } from "kysely";
import { migrations } from "./migrations/index";

function migratorFor(db: Kysely<any>) {
  return new Migrator({ db, provider: { getMigrations: async () => migrations } });
}

export async function migrateToLatest(db: Kysely<any>): Promise<MigrationResultSet> {
  const result = await migratorFor(db).migrateToLatest();
  if (result.error) throw result.error;
  return result;
}

/** True when every known migration has been applied: what `/readyz` checks. */
export async function migrationsAreCurrent(db: Kysely<any>): Promise<boolean> {
  const all = await migratorFor(db).getMigrations();
  return all.every((m) => m.executedAt !== undefined);
}
