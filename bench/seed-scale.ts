/**
 * Scale data for benchmarks: adds a synthetic network of the size a busy Ember would reach in three
 * years to a migrated database with the demo accounts (both are set up here if missing).
 *
 *   npm run seed:scale -- --patients 10000 [--seed 1] [--anchor 2026-11-28] [--summary file.json]
 *
 * Per 10,000 patients: ~2,000 outside providers with credentials and directory profiles, ~60,000
 * infusion visits (courses of 4–6 over 1–2 weeks, then boosters), ~200,000 care notes, ~40,000
 * measures, ~5,000 referrals, care teams with releases, engagement confirmations, therapy sessions.
 * The demo therapist gets a caseload of 30 more patients. Deterministic from the seed and the anchor
 * day (New York "today" unless given). Rows go in with COPY on both engines. Synthetic names only.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { parseArgs } from "node:util";
import { PGlite } from "@electric-sql/pglite";
import { Kysely, PGliteDialect, sql } from "kysely";
import postgres from "postgres";
import { hashPassword } from "../app/auth/password.server";
import { loadConfig } from "../app/env.server";
import { SCHEDULED_TASKS } from "../app/jobs/scheduler.server";
import { clinicToday, addDays } from "../app/lib/time";
import { openDatabase } from "../db/engine";
import { migrateToLatest } from "../db/migrator";
import type { DB } from "../db/schema";
import { DEMO_ACCOUNTS, DEMO_PASSWORD, seedDemoData } from "../db/seed-demo";
import { COLUMNS, TABLE_ORDER, type Table } from "./lib/seed-scale-data";
import {
  Batch,
  DAY,
  nyAt,
  patientRows,
  providerRows,
  Rng,
  SCALE_DOMAIN,
  staffRows,
  type Context,
  type Person,
  type Stats,
} from "./lib/seed-scale-network";

interface Target {
  db: Kysely<DB>;
  engine: "pglite" | "postgres";
  /** Bulk mode skips foreign-key triggers while copying rows that are consistent by construction. */
  bulk(on: boolean): Promise<void>;
  copy(table: Table, text: string): Promise<void>;
  close(): Promise<void>;
}

function openTarget(databaseUrl: string | undefined, dataDir: string): Target {
  if (databaseUrl) {
    const handle = openDatabase({ url: databaseUrl, poolSize: 2 });
    const raw = postgres(databaseUrl, { max: 1, onnotice: () => {} });
    return {
      db: handle.db,
      engine: "postgres",
      async bulk(on) {
        await raw.unsafe(`set session_replication_role = ${on ? "replica" : "origin"}`);
      },
      async copy(table, text) {
        const stream = await raw`copy ${raw(table)} (${raw(COLUMNS[table] as string[])}) from stdin`.writable();
        await pipeline(Readable.from([text]), stream);
      },
      close: async () => {
        await raw.end();
        await handle.close();
      },
    };
  }
  // Our own PGlite rather than `openDatabase`: COPY from a blob needs the instance itself.
  if (!dataDir.startsWith("memory://")) mkdirSync(path.dirname(path.resolve(dataDir)), { recursive: true });
  const asText = (v: string) => v;
  const pglite = new PGlite(dataDir, { parsers: { 1082: asText, 20: asText, 1700: asText } });
  const db = new Kysely<DB>({ dialect: new PGliteDialect({ pglite }) });
  return {
    db,
    engine: "pglite",
    async bulk(on) {
      await pglite.exec(`set session_replication_role = ${on ? "replica" : "origin"}`);
    },
    async copy(table, text) {
      await pglite.query(`copy ${table} (${COLUMNS[table].join(", ")}) from '/dev/blob'`, [], {
        blob: new Blob([text]),
      });
    },
    close: () => db.destroy(),
  };
}

// ---------------------------------------------------------------- the command
function formatRate(rows: number, ms: number) {
  return `${Math.round(rows / Math.max(ms / 1000, 0.001)).toLocaleString("en-US")} rows/s`;
}

async function main() {
  const { values } = parseArgs({
    options: {
      patients: { type: "string", default: "10000" },
      seed: { type: "string", default: "1" },
      anchor: { type: "string" },
      summary: { type: "string" },
      "check-keys": { type: "boolean", default: false },
      quiet: { type: "boolean", default: false },
    },
  });
  const patients = Number(values.patients);
  const seed = Number(values.seed);
  if (!Number.isInteger(patients) || patients < 30 || !Number.isInteger(seed))
    throw new Error("--patients must be a whole number of at least 30, --seed a whole number");
  const anchor = values.anchor ?? clinicToday();
  if (!/^\d{4}-\d{2}-\d{2}$/.test(anchor)) throw new Error("--anchor must be YYYY-MM-DD");
  const config = loadConfig();
  if (config.production)
    throw new Error("Scale data is synthetic test data: never load it with PORTAL_ENV=production.");
  const live = process.stdout.isTTY && !values.quiet;
  const say = (line: string) => {
    if (!values.quiet) console.log(line);
  };

  const target = openTarget(config.databaseUrl, config.dataDir);
  try {
    await migrateToLatest(target.db);
    const demoPresent = await target.db
      .selectFrom("users")
      .select("id")
      .where("email", "=", DEMO_ACCOUNTS[0]!.email)
      .executeTakeFirst();
    if (!demoPresent) {
      if (config.databaseUrl && !config.seedDemo)
        throw new Error("The demo accounts are missing: run with SEED_DEMO=true to load them first.");
      await seedDemoData(target.db, config.secretsKey);
    }
    const already = await target.db
      .selectFrom("users")
      .select("id")
      .where("email", "like", `%@${SCALE_DOMAIN}`)
      .limit(1)
      .executeTakeFirst();
    if (already) throw new Error("Scale data is already loaded here: use a fresh database.");

    const demo = await target.db
      .selectFrom("users")
      .select(["id", "email", "name", "role", "organisation"])
      .where(
        "email",
        "in",
        DEMO_ACCOUNTS.map((a) => a.email),
      )
      .execute();
    const demoPerson = (role: string): Person => {
      const u = demo.find((d) => d.role === role)!;
      return {
        id: u.id,
        name: u.name,
        email: u.email,
        role: u.role as Person["role"],
        organisation: u.organisation,
        licence: role === "therapist" ? "LCSW" : "MD/DO",
      };
    };
    const rng = new Rng(seed * 1_000_003 + patients);
    const ctx: Context = {
      rng,
      batch: new Batch(),
      // Midnight starting the anchor day, not the clock: the same seed and anchor give the same rows.
      now: nyAt(anchor, 0),
      anchor,
      therapists: [],
      psychiatrists: [],
      clinicians: [demoPerson("clinician")],
      coordinators: [demoPerson("coordinator")],
      demo: { therapist: demoPerson("therapist"), psychiatrist: demoPerson("psychiatrist") },
    };
    const passwordHash = await hashPassword(DEMO_PASSWORD);
    const started = Date.now();
    if (!values["check-keys"]) await target.bulk(true);
    say(`seeding ${patients.toLocaleString("en-US")} patients on ${target.engine} (seed ${seed}, anchor ${anchor})`);

    providerRows(ctx, Math.round(patients / 5), passwordHash, addDays(anchor, -1100));
    staffRows(ctx, "clinician", Math.max(3, Math.round(patients / 500)), passwordHash);
    staffRows(ctx, "coordinator", Math.max(2, Math.round(patients / 2000)), passwordHash);
    for (let i = 0; i < Math.max(3, Math.round(patients / 500)); i++) {
      const createdAt = new Date(ctx.now.getTime() - rng.int(4, 10) * DAY);
      ctx.batch.add("invitations", {
        id: rng.uuid(),
        email: `invited${i + 1}@${SCALE_DOMAIN.replace("scale", "invited")}`,
        role: "therapist",
        token_hash: rng.uuid().replace(/-/g, "") + rng.uuid().replace(/-/g, ""),
        invited_by: rng.pick(ctx.coordinators).id,
        created_at: createdAt,
        expires_at: new Date(createdAt.getTime() + 14 * DAY),
        sent_count: 1,
      });
    }
    let rows = await ctx.batch.flush(target);

    const stats: Stats = { demoPatients: [], openReferrals: [] };
    const CHUNK = 1000;
    for (let from = 0; from < patients; from += CHUNK) {
      for (let i = from; i < Math.min(patients, from + CHUNK); i++) patientRows(ctx, i, stats);
      rows += await ctx.batch.flush(target);
      const done = Math.min(patients, from + CHUNK);
      const line = `  patients ${done.toLocaleString("en-US")}/${patients.toLocaleString("en-US")} · ${rows.toLocaleString("en-US")} rows · ${formatRate(rows, Date.now() - started)}`;
      if (live) process.stdout.write(`\r${line}`);
      else if (done === patients || (done / CHUNK) % 10 === 0) say(line);
    }
    if (live) process.stdout.write("\n");
    await target.bulk(false);
    // Bulk mode skipped the triggers that keep each provider's caseload and offer history: count them once.
    await sql`select refresh_provider_stats(id) from users where role in ('therapist', 'psychiatrist')`.execute(
      target.db,
    );
    const loadMs = Date.now() - started;
    await sql`vacuum analyze`.execute(target.db);

    // Bring time-driven work up to date, as a running portal would have: what it queues now is
    // history, so it is marked sent. The second pass is what every scheduler tick costs at this size.
    const catchUpFrom = new Date();
    const scheduler: Record<string, { catchUpMs: number; tickMs: number }> = {};
    for (const task of SCHEDULED_TASKS) {
      const t0 = Date.now();
      await task.run(target.db, { now: new Date(), appUrl: "http://localhost:3000" });
      const t1 = Date.now();
      await task.run(target.db, { now: new Date(), appUrl: "http://localhost:3000" });
      scheduler[task.name] = { catchUpMs: t1 - t0, tickMs: Date.now() - t1 };
    }
    await target.db
      .updateTable("email_outbox")
      .set({ status: "sent", sent_at: new Date() })
      .where("status", "=", "pending")
      .where("created_at", ">=", catchUpFrom)
      .execute();

    const counts = Object.fromEntries(TABLE_ORDER.map((t) => [t, ctx.batch.counts.get(t) ?? 0]));
    const busiest = [...stats.demoPatients].sort((a, b) => b.notes - a.notes)[0]!;
    const openReferral = stats.openReferrals.at(-1) ?? null;
    // The busiest demo patient's latest visit: the pre-infusion check the clinician opens.
    const checkVisit = await target.db
      .selectFrom("infusion_visits")
      .select("id")
      .where("patient_id", "=", busiest.id)
      .orderBy("starts_at", "desc")
      .limit(1)
      .executeTakeFirst();
    const summary = {
      engine: target.engine,
      patients,
      seed,
      anchor,
      rows: counts,
      totalRows: rows,
      loadSeconds: Math.round(loadMs / 100) / 10,
      copySeconds: Math.round(ctx.batch.copyMs / 100) / 10,
      rowsPerSecond: Math.round(rows / (loadMs / 1000)),
      scheduler,
      targets: {
        therapistPatientId: busiest.id,
        therapistPatientNotes: busiest.notes,
        therapistPatientIds: stats.demoPatients.map((p) => p.id),
        openReferralId: openReferral?.id ?? null,
        checkVisitId: checkVisit?.id ?? null,
        demoTherapistCaseload: stats.demoPatients.length,
        openReferrals: stats.openReferrals.length,
      },
    };
    if (values.summary) writeFileSync(values.summary, `${JSON.stringify(summary, null, 2)}\n`);
    for (const [table, n] of Object.entries(counts))
      say(`  ${table.padEnd(26)} ${n.toLocaleString("en-US").padStart(11)}`);
    say(
      `  scheduler tick at this size: ${Object.entries(scheduler)
        .map(([name, s]) => `${name} ${s.tickMs} ms`)
        .join(", ")}`,
    );
    say(`loaded ${rows.toLocaleString("en-US")} rows in ${(loadMs / 1000).toFixed(1)} s: ${formatRate(rows, loadMs)}`);
  } finally {
    await target.close();
  }
}

await main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
