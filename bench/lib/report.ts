import { execSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { ROOT } from "./processes";

/** The targets every page is held to (README, "Performance"). */
export const GOALS = {
  ratioToBare: 0.6,
  /** A data page against its own limit variant: what the database, session and audit may cost. */
  ratioToLimit: 0.8,
  sqlPerView: 5,
  p99OverBare: 2,
  jsGzipBytes: 150 * 1024,
  growth: 1.5,
  soakRssGrowth: 0.2,
};

export interface PageResult {
  name: string;
  path: string;
  as: string | null;
  requestsPerSecond: number;
  p50: number;
  p99: number;
  ratioToBare: number;
  /** The limit variant, measured right after the page (data pages only). */
  limit: { requestsPerSecond: number; p50: number; p99: number; ratioToBare: number; failures: number } | null;
  ratioToLimit: number | null;
  sqlPerView: number | null;
  /** One view at a time, no other load: the page's own cost. */
  aloneMs: number;
  jsGzipBytes: number;
  jsRawBytes: number;
  failures: number;
  statusCodes: Record<string, number>;
  goals: { ratio: boolean; limit: boolean; sql: boolean; p99: boolean; js: boolean };
}

export interface SuiteResult {
  engine: string;
  patients: number;
  seed: {
    totalRows: number;
    loadSeconds: number;
    rowsPerSecond: number;
    schedulerTickMs: Record<string, number>;
    notesOnPatientPage: number;
  };
  bare: { requestsPerSecond: number; p99: number; runs: { requestsPerSecond: number; p99: number }[] };
  pages: PageResult[];
}

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
const mark = (ok: boolean) => (ok ? "ok" : "MISS");

export function printSuite(suite: SuiteResult) {
  console.log(
    `\n${suite.engine}, ${suite.patients.toLocaleString("en-US")} patients (bare page: ${Math.round(suite.bare.requestsPerSecond)} req/s, p99 ${suite.bare.p99} ms)`,
  );
  const rows = [
    [
      "page",
      "alone ms",
      "req/s",
      "p50 ms",
      "p99 ms",
      "vs bare",
      "limit req/s",
      "limit vs bare",
      "vs limit",
      "SQL/view",
      "JS gz",
      "goals (bare, limit, SQL, p99, JS)",
    ],
  ];
  for (const p of suite.pages) {
    rows.push([
      p.name + (p.failures ? ` [${p.failures} failed]` : ""),
      String(p.aloneMs),
      String(Math.round(p.requestsPerSecond)),
      String(p.p50),
      String(p.p99),
      p.ratioToBare.toFixed(2),
      p.limit
        ? String(Math.round(p.limit.requestsPerSecond)) + (p.limit.failures ? ` [${p.limit.failures} failed]` : "")
        : "",
      p.limit ? p.limit.ratioToBare.toFixed(2) : "",
      p.ratioToLimit === null ? "" : p.ratioToLimit.toFixed(2),
      p.sqlPerView === null ? "?" : String(p.sqlPerView),
      kb(p.jsGzipBytes),
      [
        mark(p.goals.ratio),
        p.limit ? mark(p.goals.limit) : "-",
        mark(p.goals.sql),
        mark(p.goals.p99),
        mark(p.goals.js),
      ].join(" "),
    ]);
  }
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  for (const r of rows)
    console.log(
      `  ${r.map((c, i) => (i === 0 || i === r.length - 1 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join("  ")}`,
    );
}

function git() {
  try {
    const commit = execSync("git rev-parse --short HEAD", { cwd: ROOT }).toString().trim();
    const dirty = execSync("git status --porcelain", { cwd: ROOT }).toString().trim().length > 0;
    return { commit, dirty };
  } catch {
    return null;
  }
}

/** Writes the run to bench/results/<timestamp>.json and returns the file's path. */
export function writeResults(kind: string, body: Record<string, unknown>): string {
  const dir = path.join(ROOT, "bench/results");
  mkdirSync(dir, { recursive: true });
  const stamp = new Date()
    .toISOString()
    .replace(/[:.]/g, "-")
    .replace(/-\d{3}Z$/, "Z");
  const file = path.join(dir, `${stamp}-${kind}.json`);
  const machine = {
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model,
    memoryGb: Math.round(os.totalmem() / 2 ** 30),
    loadAverage: os.loadavg().map((l) => Math.round(l * 100) / 100),
    node: process.version,
  };
  writeFileSync(
    file,
    `${JSON.stringify({ kind, finishedAt: new Date().toISOString(), git: git(), machine, goals: GOALS, ...body }, null, 2)}\n`,
  );
  return path.relative(ROOT, file);
}
