import { readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { runScript } from "./processes";

export type WriteKind = "note" | "session";

export interface RequestSpec {
  method: "GET" | "POST";
  /** `{rotate}` is replaced by the next value of `rotate`, request by request. */
  path: string;
  rotate?: string[];
  headers?: Record<string, string>;
  /** A same-origin form post; `{marker}` and `{startsAt}` become this write's unique key. */
  form?: Record<string, string>;
  write?: WriteKind;
}

export interface LoadSpec {
  url: string;
  connections: number;
  durationSeconds: number;
  timeoutSeconds?: number;
  requests: RequestSpec[];
  /** Put in every note body written, with a sequence number: how writes are found afterwards. */
  marker: string;
  /** First New York day of the session starts that writes use, one minute apart. */
  sessionBaseDay: string;
  output: string;
}

export interface LoadResult {
  requestsPerSecond: number;
  totalRequests: number;
  latency: { p50: number; p90: number; p99: number; max: number; average: number };
  errors: number;
  timeouts: number;
  statusCodes: Record<string, number>;
  acknowledged: Record<WriteKind, string[]>;
  refusedWrites: Record<string, number>;
}

/** Runs autocannon in a separate Node process (bench/lib/load-worker.ts) and returns its figures. */
export async function runLoad(
  spec: Omit<LoadSpec, "output" | "marker" | "sessionBaseDay"> & Partial<Pick<LoadSpec, "marker" | "sessionBaseDay">>,
): Promise<LoadResult> {
  const base = path.join(os.tmpdir(), `ember-load-${process.pid}-${Date.now()}`);
  const full: LoadSpec = { marker: "bench", sessionBaseDay: "2030-01-07", ...spec, output: `${base}.out.json` };
  writeFileSync(`${base}.json`, JSON.stringify(full));
  try {
    await runScript("bench/lib/load-worker.ts", [`${base}.json`], { quiet: true });
    return JSON.parse(readFileSync(full.output, "utf8")) as LoadResult;
  } finally {
    rmSync(`${base}.json`, { force: true });
    rmSync(full.output, { force: true });
  }
}

/** Requests that failed outright or answered 4xx/5xx. */
export function failures(result: LoadResult): number {
  const bad = Object.entries(result.statusCodes)
    .filter(([code]) => Number(code) >= 400)
    .reduce((n, [, c]) => n + c, 0);
  return bad + result.errors + result.timeouts;
}
