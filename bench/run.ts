/**
 * The page benchmark: a production build on a fresh database full of scale data, load from a
 * separate autocannon process, figures against the goals in bench/lib/report.ts.
 *
 *   npm run bench [-- --engine pglite|postgres|both] [--patients 10000] [--duration 10] [--growth] [--soak]
 *
 * PostgreSQL runs use a new `bench_…` database on the server of DATABASE_URL; PGlite runs a
 * temporary folder. Both are removed afterwards unless --keep.
 */
import { rmSync } from "node:fs";
import { parseArgs } from "node:util";
import { toLocalInput, plusDays } from "../app/lib/time";
import { createBenchDatabase, seedScale, type BenchDatabase, type Engine, type SeedSummary } from "./lib/database";
import { failures, runLoad, type RequestSpec } from "./lib/load";
import { probePage } from "./lib/pages";
import { BENCH_LIMIT_HEADER } from "../server/bench-limit";
import {
  buildForProduction,
  checkPort,
  sleep,
  snapshotClientBuild,
  startServer,
  waitReady,
  type RunningServer,
} from "./lib/processes";
import { GOALS, printSuite, writeResults, type PageResult, type SuiteResult } from "./lib/report";
import { demoEmail, signIn } from "./lib/sign-in";

const { values } = parseArgs({
  options: {
    engine: { type: "string" },
    patients: { type: "string", default: "10000" },
    seed: { type: "string", default: "1" },
    duration: { type: "string" },
    connections: { type: "string", default: "50" },
    warmup: { type: "string", default: "3" },
    port: { type: "string", default: "3210" },
    growth: { type: "boolean", default: false },
    "growth-sizes": { type: "string", default: "1000,100000" },
    soak: { type: "boolean", default: false },
    "no-build": { type: "boolean", default: false },
    keep: { type: "boolean", default: false },
  },
});

const engines: Engine[] =
  values.engine === "both"
    ? ["pglite", "postgres"]
    : [(values.engine as Engine | undefined) ?? (process.env.DATABASE_URL ? "postgres" : "pglite")];
for (const e of engines)
  if (e !== "pglite" && e !== "postgres") throw new Error(`--engine ${e}: use pglite, postgres or both`);
const seed = Number(values.seed);
const connections = Number(values.connections);
const port = checkPort(Number(values.port));
const warmupSeconds = Number(values.warmup);

interface Prepared {
  database: BenchDatabase;
  summary: SeedSummary;
  server: RunningServer;
  cookies: { therapist: string; coordinator: string; clinician: string };
}

async function prepare(engine: Engine, patients: number): Promise<Prepared> {
  const database = await createBenchDatabase(engine, String(patients));
  try {
    console.log(`\n== ${engine}, ${patients.toLocaleString("en-US")} patients: ${database.label}`);
    const summary = await seedScale(database, patients, seed);
    const started = Date.now();
    const server = await startServer({ port, env: database.env });
    console.log(`server ready in ${((Date.now() - started) / 1000).toFixed(1)} s (pid ${server.pid})`);
    try {
      const therapist = await signIn(server.url, demoEmail("therapist"));
      const coordinator = await signIn(server.url, demoEmail("coordinator"));
      const clinician = await signIn(server.url, demoEmail("clinician"));
      return { database, summary, server, cookies: { therapist, coordinator, clinician } };
    } catch (error) {
      await server.stop();
      throw error;
    }
  } catch (error) {
    if (!values.keep) await database.remove();
    throw error;
  }
}

async function finish(p: Prepared) {
  await p.server.stop();
  if (values.keep) console.log(`kept: ${p.database.label}`);
  else await p.database.remove();
}

interface BenchPage {
  name: string;
  path: string;
  as: "therapist" | "coordinator" | "clinician" | null;
  /** The page's limit variant: the same route rendered from loader data kept in memory (server/bench-limit.ts). */
  limit?: boolean;
}

/** One page under load: a few plain views (SQL count, client JS), a warm-up, then the measured run. */
async function measure(p: Prepared, page: BenchPage, seconds: number) {
  const headers: Record<string, string> = {};
  if (page.as) headers.cookie = p.cookies[page.as];
  if (page.limit) headers[BENCH_LIMIT_HEADER] = "1";
  // The server's database gate may have closed under the previous page's load: let it reopen.
  if (!(await waitReady(p.server.url, 120_000)))
    console.log("  (the server still reports not ready: measuring anyway)");
  // The limit variant's first view captures the loader data; the median of five is a replayed view.
  const probe = await probePage(p.server.url, page.path, headers, 5, assets);
  if (page.limit && probe.sqlPerView !== 0)
    throw new Error(`${page.name}: the limit variant ran ${probe.sqlPerView} SQL statements a view, expected none`);
  const requests: RequestSpec[] = [{ method: "GET", path: page.path, headers }];
  if (warmupSeconds > 0) await runLoad({ url: p.server.url, connections, durationSeconds: warmupSeconds, requests });
  const load = await runLoad({ url: p.server.url, connections, durationSeconds: seconds, requests });
  process.stdout.write(
    `  ${page.name}${page.limit ? " [limit]" : ""}: alone ${probe.viewMs} ms; under load ${Math.round(load.requestsPerSecond)} req/s, p99 ${load.latency.p99} ms\n`,
  );
  return { probe, load };
}

async function pageSuite(engine: Engine, patients: number): Promise<SuiteResult> {
  const seconds = Number(values.duration ?? 10);
  const p = await prepare(engine, patients);
  try {
    const t = p.summary.targets;
    if (!t.openReferralId) throw new Error("the scale data has no open referral to match");
    const pages: BenchPage[] = [
      // The lightest signed-in page (session check, one small read, no patient data): what being signed in costs before any page work.
      { name: "settings, no patient data (therapist)", path: "/settings", as: "therapist" as const },
      { name: "upcoming infusions (therapist)", path: "/schedule", as: "therapist" as const },
      { name: "patient notes (therapist)", path: `/patients/${t.therapistPatientId}/notes`, as: "therapist" as const },
      { name: "work list (coordinator)", path: "/work-list", as: "coordinator" as const },
      { name: "referral match (coordinator)", path: `/referrals/${t.openReferralId}`, as: "coordinator" as const },
      { name: "clinic schedule, today (clinician)", path: "/clinic-schedule", as: "clinician" as const },
      ...(t.checkVisitId
        ? [
            {
              name: "pre-infusion check (clinician)",
              path: `/patients/${t.therapistPatientId}/visits/${t.checkVisitId}`,
              as: "clinician" as const,
            },
          ]
        : []),
    ];
    const bare: BenchPage = { name: "bare /login (no cookie)", path: "/login", as: null };
    // The bare page first and last: on a shared 2-core machine the baseline drifts. Each page's
    // limit variant runs right after the page, so the two see the same machine.
    const bareRuns = [await measure(p, bare, seconds)];
    const measured = [];
    for (const page of pages) {
      const real = await measure(p, page, seconds);
      const limit = await measure(p, { ...page, limit: true }, seconds);
      measured.push({ page, ...real, limit: limit.load });
    }
    bareRuns.push(await measure(p, bare, seconds));
    const bareRps = bareRuns.reduce((n, r) => n + r.load.requestsPerSecond, 0) / bareRuns.length;
    const bareP99 = bareRuns.reduce((n, r) => n + r.load.latency.p99, 0) / bareRuns.length;
    type Run = (typeof bareRuns)[number];
    const toResult = (page: BenchPage, probe: Run["probe"], load: Run["load"], limit?: Run["load"]): PageResult => {
      const ratio = load.requestsPerSecond / bareRps;
      const toLimit = limit ? load.requestsPerSecond / limit.requestsPerSecond : null;
      return {
        name: page.name,
        path: page.path,
        as: page.as,
        requestsPerSecond: Math.round(load.requestsPerSecond * 10) / 10,
        p50: load.latency.p50,
        p99: load.latency.p99,
        ratioToBare: Math.round(ratio * 100) / 100,
        limit: limit
          ? {
              requestsPerSecond: Math.round(limit.requestsPerSecond * 10) / 10,
              p50: limit.latency.p50,
              p99: limit.latency.p99,
              ratioToBare: Math.round((limit.requestsPerSecond / bareRps) * 100) / 100,
              failures: failures(limit),
            }
          : null,
        ratioToLimit: toLimit === null ? null : Math.round(toLimit * 100) / 100,
        sqlPerView: probe.sqlPerView,
        aloneMs: probe.viewMs,
        jsGzipBytes: probe.jsGzipBytes,
        jsRawBytes: probe.jsRawBytes,
        failures: failures(load),
        statusCodes: load.statusCodes,
        goals: {
          ratio: ratio >= GOALS.ratioToBare,
          limit: toLimit === null || toLimit >= GOALS.ratioToLimit,
          sql: (probe.sqlPerView ?? Infinity) <= GOALS.sqlPerView,
          p99: load.latency.p99 <= GOALS.p99OverBare * bareP99,
          js: probe.jsGzipBytes <= GOALS.jsGzipBytes,
        },
      };
    };
    const suite: SuiteResult = {
      engine,
      patients,
      seed: {
        totalRows: p.summary.totalRows,
        loadSeconds: p.summary.loadSeconds,
        rowsPerSecond: p.summary.rowsPerSecond,
        schedulerTickMs: Object.fromEntries(Object.entries(p.summary.scheduler).map(([k, v]) => [k, v.tickMs])),
        notesOnPatientPage: t.therapistPatientNotes,
      },
      bare: {
        requestsPerSecond: Math.round(bareRps),
        p99: Math.round(bareP99),
        runs: bareRuns.map((r) => ({
          requestsPerSecond: Math.round(r.load.requestsPerSecond),
          p99: r.load.latency.p99,
        })),
      },
      pages: [
        toResult(bare, bareRuns[0]!.probe, bareRuns[0]!.load),
        ...measured.map((m) => toResult(m.page, m.probe, m.load, m.limit)),
      ],
    };
    printSuite(suite);
    return suite;
  } finally {
    await finish(p);
  }
}

/**
 * Five minutes (or --duration seconds) of 50 connections reading and writing through the real
 * forms. Passes with no failed request, resident memory after warm-up growing by at most 20%,
 * and every acknowledged write found in the database afterwards.
 */
async function soak(engine: Engine, patients: number) {
  const seconds = Number(values.duration ?? 300);
  const p = await prepare(engine, patients);
  const runId = `soak-${Date.now().toString(36)}`;
  const marker = `Soak check ${runId}`;
  const sessionBaseDay = plusDays(new Date(), 400).toISOString().slice(0, 10);
  const t = p.summary.targets;
  const therapist = { cookie: p.cookies.therapist };
  const coordinator = { cookie: p.cookies.coordinator };
  const requests: RequestSpec[] = [
    { method: "GET", path: "/schedule", headers: therapist },
    { method: "GET", path: "/patients/{rotate}/notes", rotate: t.therapistPatientIds, headers: therapist },
    {
      method: "POST",
      path: "/patients/{rotate}/notes",
      rotate: t.therapistPatientIds,
      headers: therapist,
      form: { intent: "post", kind: "progress_update", body: "{marker}: patient reports steady mood this week." },
      write: "note",
    },
    { method: "GET", path: "/work-list", headers: coordinator },
    { method: "GET", path: `/referrals/${t.openReferralId}`, headers: coordinator },
    {
      method: "POST",
      path: "/patients/{rotate}/infusions",
      rotate: t.therapistPatientIds,
      headers: therapist,
      form: {
        intent: "plan-session",
        startsAt: "{startsAt}",
        modality: "WET",
        protocolNumber: "",
        protocolTotal: "",
        mode: "telehealth",
      },
      write: "session",
    },
    { method: "GET", path: "/login" },
    { method: "GET", path: "/patients/{rotate}/notes?page=2", rotate: t.therapistPatientIds, headers: therapist },
  ];
  const samples: { atSeconds: number; rssMb: number }[] = [];
  const started = Date.now();
  const sampler = setInterval(() => {
    try {
      samples.push({
        atSeconds: Math.round((Date.now() - started) / 100) / 10,
        rssMb: Math.round(p.server.rssKb() / 102.4) / 10,
      });
    } catch {
      // the server is gone: the load result will say so
    }
  }, 2000);
  let load;
  try {
    console.log(`soak: ${connections} connections for ${seconds} s, mixed reads and writes (marker "${marker}")`);
    load = await runLoad({
      url: p.server.url,
      connections,
      durationSeconds: seconds,
      requests,
      marker,
      sessionBaseDay,
      timeoutSeconds: 30,
    });
  } finally {
    clearInterval(sampler);
    await p.server.stop();
  }
  try {
    const handle = p.database.open();
    const notes = await handle.db
      .selectFrom("care_notes")
      .select("body")
      .where("body", "like", `${marker} #%`)
      .execute();
    const sessions = await handle.db
      .selectFrom("therapy_sessions")
      .select("starts_at")
      .where("starts_at", ">=", new Date(`${sessionBaseDay}T00:00:00Z`))
      .where("modality", "=", "WET")
      .where("mode", "=", "telehealth")
      .execute();
    await handle.close();
    const noteKeys = new Set(notes.map((n) => n.body.split(":")[0]!));
    const sessionKeys = new Set(sessions.map((s) => toLocalInput(s.starts_at)));
    const lostNotes = load.acknowledged.note.filter((k) => !noteKeys.has(k));
    const lostSessions = load.acknowledged.session.filter((k) => !sessionKeys.has(k));
    const warm = Math.min(60, seconds * 0.2);
    const avg = (list: { rssMb: number }[]) => list.reduce((n, s) => n + s.rssMb, 0) / Math.max(1, list.length);
    const baseline = avg(
      samples.filter((s) => s.atSeconds >= warm && s.atSeconds < warm + Math.max(10, seconds * 0.1)),
    );
    const final = avg(samples.slice(-Math.max(3, Math.round(samples.length * 0.1))));
    const rssGrowth = baseline ? final / baseline - 1 : 0;
    const result = {
      engine,
      patients,
      seconds,
      connections,
      requestsPerSecond: Math.round(load.requestsPerSecond),
      totalRequests: load.totalRequests,
      latency: load.latency,
      statusCodes: load.statusCodes,
      failures: failures(load),
      writes: {
        notesAcknowledged: load.acknowledged.note.length,
        notesFound: noteKeys.size,
        notesLost: lostNotes.length,
        sessionsAcknowledged: load.acknowledged.session.length,
        sessionsFound: sessionKeys.size,
        sessionsLost: lostSessions.length,
        refused: load.refusedWrites,
      },
      rss: {
        warmUpSeconds: warm,
        baselineMb: Math.round(baseline),
        finalMb: Math.round(final),
        growth: Math.round(rssGrowth * 1000) / 1000,
        samples,
      },
      pass:
        failures(load) === 0 && lostNotes.length === 0 && lostSessions.length === 0 && rssGrowth <= GOALS.soakRssGrowth,
    };
    console.log(
      `\nsoak on ${engine}: ${result.totalRequests.toLocaleString("en-US")} requests, ${result.requestsPerSecond} req/s, p99 ${load.latency.p99} ms, status codes ${JSON.stringify(load.statusCodes)}, ${result.failures} failed`,
    );
    console.log(
      `  writes: ${result.writes.notesAcknowledged} notes acknowledged, ${result.writes.notesLost} missing; ${result.writes.sessionsAcknowledged} sessions acknowledged, ${result.writes.sessionsLost} missing`,
    );
    console.log(
      `  memory: ${result.rss.baselineMb} MB after warm-up, ${result.rss.finalMb} MB at the end (${(rssGrowth * 100).toFixed(1)}%; goal ≤ ${GOALS.soakRssGrowth * 100}%)`,
    );
    console.log(`  ${result.pass ? "PASS" : "FAIL"}`);
    return result;
  } finally {
    if (values.keep) console.log(`kept: ${p.database.label}`);
    else await p.database.remove();
  }
}

let assets: string | undefined;

async function main() {
  if (!values["no-build"]) await buildForProduction();
  assets = snapshotClientBuild();
  if (values.soak) {
    const runs = [];
    for (const engine of engines) runs.push(await soak(engine, Number(values.patients)));
    console.log(`\nresults: ${writeResults("soak", { runs })}`);
    if (runs.some((r) => !r.pass)) process.exitCode = 1;
    return;
  }
  const sizes = values.growth ? values["growth-sizes"]!.split(",").map(Number) : [Number(values.patients)];
  const suites: SuiteResult[] = [];
  for (const engine of engines) for (const size of sizes) suites.push(await pageSuite(engine, size));
  const growth = values.growth ? growthOf(suites, sizes) : undefined;
  console.log(
    `\nresults: ${writeResults(values.growth ? "growth" : "pages", { options: { seed, connections, duration: Number(values.duration ?? 10), warmup: warmupSeconds }, suites, growth })}`,
  );
}

/** How each page's median latency grows from the smallest network to the largest. */
function growthOf(suites: SuiteResult[], sizes: number[]) {
  const [small, large] = [Math.min(...sizes), Math.max(...sizes)];
  return engines.map((engine) => {
    const a = suites.find((s) => s.engine === engine && s.patients === small)!;
    const b = suites.find((s) => s.engine === engine && s.patients === large)!;
    const pages = a.pages.map((pa) => {
      const pb = b.pages.find((x) => x.name === pa.name)!;
      const growth = pb.p50 / Math.max(pa.p50, 1);
      const aloneGrowth = pb.aloneMs / Math.max(pa.aloneMs, 1);
      // Failed requests (timeouts, fast 503s) make a median meaningless: that is a miss however it looks.
      const valid = pa.failures === 0 && pb.failures === 0;
      return {
        name: pa.name,
        p50Small: pa.p50,
        p50Large: pb.p50,
        growth: Math.round(growth * 100) / 100,
        aloneSmallMs: pa.aloneMs,
        aloneLargeMs: pb.aloneMs,
        aloneGrowth: Math.round(aloneGrowth * 100) / 100,
        failures: pb.failures,
        ok: valid && growth <= GOALS.growth,
      };
    });
    console.log(
      `\nmedian latency growth on ${engine}, ${small.toLocaleString("en-US")} → ${large.toLocaleString("en-US")} patients (goal ≤ ${GOALS.growth}×; a view alone in brackets):`,
    );
    for (const pg of pages) {
      const note = pg.failures ? ` (${pg.failures} failed at the larger size)` : "";
      console.log(
        `  ${pg.name.padEnd(34)} ${String(pg.p50Small).padStart(6)} ms → ${String(pg.p50Large).padStart(6)} ms  ${pg.growth.toFixed(2)}×  [${pg.aloneSmallMs} → ${pg.aloneLargeMs} ms, ${pg.aloneGrowth.toFixed(2)}×]  ${pg.ok ? "ok" : "MISS"}${note}`,
      );
    }
    return { engine, small, large, pages };
  });
}

await main()
  .catch(async (error) => {
    console.error(error instanceof Error ? error.message : error);
    await sleep(10);
    process.exitCode = 1;
  })
  .finally(() => {
    if (assets) rmSync(assets, { recursive: true, force: true });
  });
