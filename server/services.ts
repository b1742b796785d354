import { createLucia, KyselySessionAdapter } from "../app/auth/lucia.server";
import type { Services } from "../app/context.server";
import { createLocalMailbox, resendTransport } from "../app/email/transport.server";
import { startMailWorker, type MailWorker } from "../app/email/worker.server";
import { startScheduler, type Scheduler } from "../app/jobs/scheduler.server";
import type { Config } from "../app/env.server";
import { openDatabase, type DatabaseHandle } from "../db/engine";
import { migrateToLatest } from "../db/migrator";
import { migrateAsOwner } from "../db/roles";
import { seedDemoData } from "../db/seed-demo";
import { countStatement, sqlCountEnabled } from "./sql-count";

export interface Runtime {
  services: Services;
  handle: DatabaseHandle;
  worker: MailWorker;
  scheduler: Scheduler;
}

/** Opens the database, brings it up to date, seeds demo data where asked, and starts the mail worker. */
export async function startServices(config: Config, log: (msg: string) => void): Promise<Runtime> {
  const handle = openDatabase({
    url: config.databaseUrl,
    dataDir: config.dataDir,
    poolSize: config.databasePoolSize,
    log: sqlCountEnabled ? countStatement : undefined,
  });
  const { results } =
    config.databaseMigrationUrl && config.databaseUrl
      ? await migrateAsOwner(config.databaseMigrationUrl, config.databaseUrl)
      : await migrateToLatest(handle.db);
  for (const r of results ?? []) log(`migration ${r.migrationName}: ${r.status}`);
  if (config.seedDemo) {
    const seeded = await seedDemoData(handle.db, config.secretsKey, new Date(), config.staffMfaRequired);
    if (seeded) log("demo data loaded (see README for the demo accounts)");
  }
  const mailbox = config.mail.mailbox ? createLocalMailbox() : null;
  const transport = mailbox ? mailbox.transport : resendTransport(config.mail.resendApiKey!, config.mail.resendBaseUrl);
  const worker = startMailWorker(handle.db, transport, {
    from: config.mail.from,
    secretsKey: config.secretsKey,
    intervalMs: config.mail.workerIntervalMs,
    onError: (error) => log(`mail worker: ${error instanceof Error ? error.message : String(error)}`),
  });
  const scheduler = startScheduler(handle.db, {
    appUrl: config.appUrl,
    intervalMs: 60_000,
    onQueued: () => worker.wake(),
    onError: (task, error) => log(`${task}: ${error instanceof Error ? error.message : String(error)}`),
  });
  const sessions = new KyselySessionAdapter(handle.db, config.session.absoluteMs);
  const services: Services = {
    db: handle.db,
    engine: handle.engine,
    config,
    sessions,
    lucia: createLucia(sessions, config.session),
    wakeMailer: () => worker.wake(),
    mailbox,
    now: () => new Date(),
  };
  return { services, handle, worker, scheduler };
}
