import { loadConfig } from "../app/env.server";
import { openDatabase } from "./engine";
import { migrateToLatest } from "./migrator";
import { DEMO_ACCOUNTS, DEMO_PASSWORD, DEMO_TOTP_SECRET, seedDemoData } from "./seed-demo";

// Loads demo data on request. A PostgreSQL database is seeded only with SEED_DEMO=true, so this
// never writes demo rows into a database by accident.
const config = loadConfig();
if (config.databaseUrl && !config.seedDemo) {
  console.error("DATABASE_URL is set: run with SEED_DEMO=true to load demo data into that database.");
  process.exit(1);
}
const handle = openDatabase({ url: config.databaseUrl, dataDir: config.dataDir });
try {
  await migrateToLatest(handle.db);
  const seeded = await seedDemoData(handle.db, config.secretsKey, new Date(), config.staffMfaRequired);
  console.log(seeded ? "demo data loaded" : "demo data already present");
  for (const a of DEMO_ACCOUNTS) console.log(`  ${a.role.padEnd(13)} ${a.email}  ${DEMO_PASSWORD}`);
  if (config.staffMfaRequired)
    console.log(`  staff authenticator key (coordinator, clinician, admin): ${DEMO_TOTP_SECRET}`);
} finally {
  await handle.close();
}
