import { loadConfig } from "../app/env.server";
import { openDatabase } from "./engine";
import { migrateToLatest } from "./migrator";
import { migrateAsOwner } from "./roles";

const config = loadConfig();
const handle = openDatabase({ url: config.databaseUrl, dataDir: config.dataDir });
try {
  const { results } =
    config.databaseMigrationUrl && config.databaseUrl
      ? await migrateAsOwner(config.databaseMigrationUrl, config.databaseUrl)
      : await migrateToLatest(handle.db);
  for (const r of results ?? []) console.log(`${r.status === "Success" ? "applied" : r.status}: ${r.migrationName}`);
  if (!results?.length) console.log("database is up to date");
} finally {
  await handle.close();
}
