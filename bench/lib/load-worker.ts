/**
 * Drives load with autocannon in its own process, so the load generator's CPU is not counted in the
 * server's. Reads a LoadSpec (JSON file given as the first argument), writes a LoadResult to its
 * `output` path. Writes carry unique markers; a write counts as acknowledged on a 2xx/3xx answer.
 */
import { readFileSync, writeFileSync } from "node:fs";
import autocannon from "autocannon";
import type { AutocannonRequest } from "autocannon";
import type { LoadResult, LoadSpec, WriteKind } from "./load";
import { addDays } from "../../app/lib/time";

const spec = JSON.parse(readFileSync(process.argv[2]!, "utf8")) as LoadSpec;
const acknowledged: Record<WriteKind, string[]> = { note: [], session: [] };
const refused: Record<string, number> = {};
let sequence = 0;

/** A session start no other write uses: 08:00–19:59 New York wall time, one minute per write. */
function sessionStart(seq: number): string {
  const day = addDays(spec.sessionBaseDay, Math.floor(seq / 720));
  const minute = 480 + (seq % 720);
  return `${day}T${String(Math.floor(minute / 60)).padStart(2, "0")}:${String(minute % 60).padStart(2, "0")}`;
}

const requests: AutocannonRequest[] = spec.requests.map((r) => ({
  method: r.method,
  path: r.path,
  headers: {
    ...r.headers,
    ...(r.form ? { "content-type": "application/x-www-form-urlencoded", origin: spec.url } : {}),
  },
  setupRequest(request, context) {
    const seq = sequence++;
    const path = r.rotate?.length ? r.path.replace("{rotate}", r.rotate[seq % r.rotate.length]!) : r.path;
    if (!r.form) return { ...request, path };
    const values: Record<string, string> = {};
    const key = r.write === "session" ? sessionStart(seq) : `${spec.marker} #${seq}`;
    for (const [name, value] of Object.entries(r.form))
      values[name] = value.replace("{marker}", key).replace("{startsAt}", key);
    context.write = r.write ? { kind: r.write, key } : undefined;
    return { ...request, path, body: new URLSearchParams(values).toString() };
  },
  onResponse(status, _body, context) {
    const write = context.write as { kind: WriteKind; key: string } | undefined;
    if (!write) return;
    if (status >= 200 && status < 400) acknowledged[write.kind].push(write.key);
    else refused[status] = (refused[status] ?? 0) + 1;
    context.write = undefined;
  },
}));

const result = await autocannon({
  url: spec.url,
  connections: spec.connections,
  duration: spec.durationSeconds,
  timeout: spec.timeoutSeconds ?? 10,
  requests,
});
const statusCodes = Object.fromEntries(Object.entries(result.statusCodeStats).map(([code, s]) => [code, s.count]));
const answered = Object.entries(statusCodes)
  .filter(([code]) => Number(code) < 400)
  .reduce((n, [, c]) => n + c, 0);
const output: LoadResult = {
  // Only pages actually served count: a fast 503 from a closed gate is not throughput.
  requestsPerSecond: answered / Math.max(result.duration, 0.001),
  totalRequests: result.requests.total,
  latency: {
    p50: result.latency.p50,
    p90: result.latency.p90,
    p99: result.latency.p99,
    max: result.latency.max,
    average: result.latency.average,
  },
  errors: result.errors,
  timeouts: result.timeouts,
  statusCodes,
  acknowledged,
  refusedWrites: refused,
};
writeFileSync(spec.output, JSON.stringify(output));
