import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import postgres from "postgres";
import { openDatabase, type DatabaseHandle } from "../../db/engine";
import { runScript } from "./processes";

export type Engine = "pglite" | "postgres";

/** A database made for one benchmark run: a `bench_…` PostgreSQL database or a temporary PGlite folder. */
export interface BenchDatabase {
  engine: Engine;
  label: string;
  /** What the server and the seed need in their environment to use it. */
  env: Record<string, string>;
  /** Opens it from this process (PGlite: only while no server has it open). */
  open(): DatabaseHandle;
  remove(): Promise<void>;
}

function adminUrl(databaseUrl: string): string {
  const url = new URL(databaseUrl);
  url.pathname = "/postgres";
  return url.toString();
}

export async function createBenchDatabase(engine: Engine, tag: string): Promise<BenchDatabase> {
  const stamp = new Date().toISOString().replace(/\D/g, "").slice(0, 14);
  if (engine === "postgres") {
    const base = process.env.DATABASE_URL;
    if (!base) throw new Error("PostgreSQL runs need DATABASE_URL (e.g. postgres://postgres@127.0.0.1:5432/postgres)");
    const host = new URL(base).hostname;
    if (host !== "127.0.0.1" && host !== "localhost")
      throw new Error(`DATABASE_URL points at ${host}: the benchmarks only use a local server`);
    const name = `bench_${stamp}_${tag}_${process.pid}`.toLowerCase().replace(/[^a-z0-9_]/g, "_");
    const admin = postgres(adminUrl(base), { max: 1, onnotice: () => {} });
    try {
      await admin.unsafe(`create database ${name}`);
    } finally {
      await admin.end();
    }
    const url = new URL(base);
    url.pathname = `/${name}`;
    const databaseUrl = url.toString();
    return {
      engine,
      label: name,
      env: { DATABASE_URL: databaseUrl, SEED_DEMO: "true" },
      open: () => openDatabase({ url: databaseUrl, poolSize: 2 }),
      async remove() {
        const sql = postgres(adminUrl(base), { max: 1, onnotice: () => {} });
        try {
          await sql.unsafe(`drop database if exists ${name} with (force)`);
        } finally {
          await sql.end();
        }
      },
    };
  }
  const folder = mkdtempSync(path.join(os.tmpdir(), `ember-bench-${tag}-`));
  const dataDir = path.join(folder, "db");
  return {
    engine,
    label: dataDir,
    env: { DATA_DIR: dataDir, DATABASE_URL: "" },
    open: () => openDatabase({ dataDir }),
    async remove() {
      rmSync(folder, { recursive: true, force: true });
    },
  };
}

export interface SeedSummary {
  patients: number;
  totalRows: number;
  loadSeconds: number;
  rowsPerSecond: number;
  rows: Record<string, number>;
  scheduler: Record<string, { catchUpMs: number; tickMs: number }>;
  targets: {
    therapistPatientId: string;
    therapistPatientNotes: number;
    therapistPatientIds: string[];
    openReferralId: string | null;
    checkVisitId: string | null;
    demoTherapistCaseload: number;
    openReferrals: number;
  };
}

/** Loads scale data with `bench/seed-scale.ts` in its own process, and returns its summary. */
export async function seedScale(database: BenchDatabase, patients: number, seed: number): Promise<SeedSummary> {
  const summaryFile = path.join(os.tmpdir(), `ember-seed-${process.pid}-${Date.now()}.json`);
  await runScript(
    "bench/seed-scale.ts",
    ["--patients", String(patients), "--seed", String(seed), "--summary", summaryFile],
    { env: { ...database.env, LOG_LEVEL: "error" } },
  );
  const summary = JSON.parse(readFileSync(summaryFile, "utf8")) as SeedSummary;
  rmSync(summaryFile, { force: true });
  return summary;
}
