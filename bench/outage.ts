/**
 * The database outage drill (PostgreSQL only): the portal on a fresh `bench_…` database under
 * steady reads and writes; then this machine's PostgreSQL is stopped for a while and started again.
 *
 *   npm run bench:outage [-- --patients 1000 --outage 15 --clients 8 --port 3220]
 *
 * Passes when, during the outage, every request is answered within 5 s with a 503 and /readyz says
 * 503; when the portal recovers by itself once PostgreSQL is back; and when every write it
 * acknowledged (2xx/3xx) before or after is in the database. PostgreSQL is started again in a
 * finally block, and on Ctrl-C, whatever happens.
 */
import { execFile } from "node:child_process";
import { parseArgs, promisify } from "node:util";
import { createBenchDatabase, seedScale } from "./lib/database";
import { buildForProduction, checkPort, sleep, startServer, tail, waitReady } from "./lib/processes";
import { writeResults } from "./lib/report";
import { demoEmail, signIn } from "./lib/sign-in";

const exec = promisify(execFile);
const { values } = parseArgs({
  options: {
    patients: { type: "string", default: "1000" },
    seed: { type: "string", default: "1" },
    outage: { type: "string", default: "15" },
    before: { type: "string", default: "10" },
    after: { type: "string", default: "10" },
    clients: { type: "string", default: "8" },
    port: { type: "string", default: "3220" },
    cluster: { type: "string", default: "15 main" },
    "no-build": { type: "boolean", default: false },
  },
});
const FAIL_FAST_MS = 5_000;
const [pgVersion, pgCluster] = values.cluster!.split(" ") as [string, string];

type Phase = "before" | "stopping" | "outage" | "restarting" | "after";
interface Sample {
  phase: Phase;
  kind: "read" | "write" | "readyz";
  startedAt: number;
  ms: number;
  status: number | "timeout" | "error";
  marker?: string;
}

let postgresStopped = false;
async function postgresControl(action: "stop" | "start") {
  const started = Date.now();
  await exec("pg_ctlcluster", ["--skip-systemctl-redirect", pgVersion, pgCluster, action]).catch(
    (error: { code?: number; stderr?: string }) => {
      // 2 from `start` means it is already running: fine.
      if (!(action === "start" && error.code === 2))
        throw new Error(`pg_ctlcluster ${action} failed: ${error.stderr ?? error}`);
    },
  );
  postgresStopped = action === "stop";
  return Date.now() - started;
}

/** Whatever happens, PostgreSQL is running again when this process ends. */
async function ensurePostgresRunning() {
  if (!postgresStopped) return;
  console.log("starting PostgreSQL again");
  await postgresControl("start");
  for (let i = 0; i < 60; i++) {
    if (
      await exec("pg_isready", ["-h", "127.0.0.1", "-p", "5432", "-q"]).then(
        () => true,
        () => false,
      )
    )
      return;
    await sleep(500);
  }
}
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    void ensurePostgresRunning().finally(() => process.exit(130));
  });
}

async function main() {
  if (!process.env.DATABASE_URL)
    throw new Error(
      "bench:outage runs on PostgreSQL only: set DATABASE_URL (e.g. postgres://postgres@127.0.0.1:5432/postgres)",
    );
  if (!values["no-build"]) await buildForProduction();
  const database = await createBenchDatabase("postgres", "outage");
  const summary = await seedScale(database, Number(values.patients), Number(values.seed));
  const server = await startServer({ port: checkPort(Number(values.port)), env: database.env });
  const samples: Sample[] = [];
  let phase: Phase = "before";
  let stop = false;
  let sequence = 0;
  const marker = `Outage check ${Date.now().toString(36)}`;
  const timing = { stopMs: 0, stoppedAt: 0, startMs: 0, startingAt: 0, startedAt: 0, readyAgainAt: 0 };
  try {
    const cookie = await signIn(server.url, demoEmail("therapist"));
    const patients = summary.targets.therapistPatientIds;
    const timed = async (kind: Sample["kind"], request: () => Promise<Response>, key?: string) => {
      const startedAt = Date.now();
      const at = phase;
      let status: Sample["status"];
      try {
        const res = await request();
        status = res.status;
        await res.arrayBuffer();
      } catch (error) {
        status = (error as Error).name === "TimeoutError" ? "timeout" : "error";
      }
      samples.push({ phase: at, kind, startedAt, ms: Date.now() - startedAt, status, marker: key });
    };
    const client = async (n: number) => {
      while (!stop) {
        const patient = patients[(n + sequence) % patients.length]!;
        await timed("read", () =>
          fetch(`${server.url}/patients/${patient}/notes`, {
            headers: { Cookie: cookie },
            redirect: "manual",
            signal: AbortSignal.timeout(15_000),
          }),
        );
        const key = `${marker} #${sequence++}`;
        await timed(
          "write",
          () =>
            fetch(`${server.url}/patients/${patient}/notes`, {
              method: "POST",
              redirect: "manual",
              headers: { Cookie: cookie, Origin: server.url, "Content-Type": "application/x-www-form-urlencoded" },
              body: new URLSearchParams({
                intent: "post",
                kind: "progress_update",
                body: `${key}: outage drill note.`,
              }),
              signal: AbortSignal.timeout(15_000),
            }),
          key,
        );
        await timed("read", () =>
          fetch(`${server.url}/schedule`, {
            headers: { Cookie: cookie },
            redirect: "manual",
            signal: AbortSignal.timeout(15_000),
          }),
        );
      }
    };
    const readyz = async () => {
      while (!stop) {
        await timed("readyz", () => fetch(`${server.url}/readyz`, { signal: AbortSignal.timeout(15_000) }));
        await sleep(500);
      }
    };
    const clients = [...Array.from({ length: Number(values.clients) }, (_, i) => client(i)), readyz()];

    console.log(`load: ${values.clients} clients reading and writing care notes; ${values.before} s before the outage`);
    await sleep(Number(values.before) * 1000);
    phase = "stopping";
    console.log("stopping PostgreSQL (pg_ctlcluster stop, fast mode)");
    try {
      timing.stopMs = await postgresControl("stop");
      timing.stoppedAt = Date.now();
      phase = "outage";
      await sleep(Number(values.outage) * 1000);
    } finally {
      phase = "restarting";
      timing.startingAt = Date.now();
      await ensurePostgresRunning();
      timing.startMs = Date.now() - timing.startingAt;
      timing.startedAt = Date.now();
    }
    console.log(
      `PostgreSQL is back after ${((timing.startedAt - timing.stoppedAt) / 1000).toFixed(1)} s down; waiting for the portal to recover by itself`,
    );
    const crashed = !server.alive();
    if (crashed)
      console.log(`the portal process DIED during the outage; the end of its log:\n${tail(server.logFile, 12)}`);
    const recovered = !crashed && (await waitReady(server.url, 60_000));
    timing.readyAgainAt = Date.now();
    phase = "after";
    await sleep(Number(values.after) * 1000);
    stop = true;
    await Promise.all(clients);
    await server.stop();

    // Every acknowledged note must be there.
    const handle = database.open();
    const stored = await handle.db
      .selectFrom("care_notes")
      .select("body")
      .where("body", "like", `${marker} #%`)
      .execute();
    await handle.close();
    const found = new Set(stored.map((r) => r.body.split(":")[0]));
    const acknowledged = samples.filter((s) => s.kind === "write" && typeof s.status === "number" && s.status < 400);
    const lost = acknowledged.filter((s) => !found.has(s.marker!));
    const byPhase = (p: Phase) => acknowledged.filter((s) => s.phase === p).length;

    // During the outage proper (from a second after the stop returned until the start command is
    // issued: PostgreSQL accepts connections before that command returns), everything fails fast with 503.
    const graceMs = 1_000;
    const during = samples.filter((s) => s.startedAt >= timing.stoppedAt + graceMs && s.startedAt < timing.startingAt);
    const portal = during.filter((s) => s.kind !== "readyz");
    const probes = during.filter((s) => s.kind === "readyz");
    const slow = portal.filter((s) => s.ms > FAIL_FAST_MS);
    const not503 = portal.filter((s) => s.status !== 503);
    const readyNot503 = probes.filter((s) => s.status !== 503);
    const afterFailures = samples.filter(
      (s) =>
        s.startedAt >= timing.readyAgainAt && s.kind !== "readyz" && !(typeof s.status === "number" && s.status < 400),
    );
    const transition = samples.filter(
      (s) => s.phase === "stopping" || (s.startedAt >= timing.stoppedAt && s.startedAt < timing.stoppedAt + graceMs),
    );
    const tally = (list: Sample[]) =>
      list.reduce<Record<string, number>>((t, s) => ((t[String(s.status)] = (t[String(s.status)] ?? 0) + 1), t), {});
    const checks = {
      failFast: portal.length > 0 && slow.length === 0,
      answers503: portal.length > 0 && not503.length === 0,
      readyzReports503: probes.length > 0 && readyNot503.length === 0,
      processSurvived: !crashed,
      recoveredByItself: recovered,
      afterRecoveryAllSucceed: afterFailures.length === 0,
      noAcknowledgedWriteLost: lost.length === 0,
    };
    const result = {
      patients: Number(values.patients),
      clients: Number(values.clients),
      timing: {
        stopCommandMs: timing.stopMs,
        downSeconds: Math.round((timing.startedAt - timing.stoppedAt) / 100) / 10,
        startCommandMs: timing.startMs,
        recoverySeconds: Math.round((timing.readyAgainAt - timing.startedAt) / 100) / 10,
      },
      outage: {
        requests: portal.length,
        statuses: tally(portal),
        maxMs: Math.max(0, ...portal.map((s) => s.ms)),
        over5s: slow.length,
        readyz: tally(probes),
      },
      transition: {
        requests: transition.length,
        statuses: tally(transition),
        maxMs: Math.max(0, ...transition.map((s) => s.ms)),
      },
      after: {
        requests: samples.filter((s) => s.startedAt >= timing.readyAgainAt && s.kind !== "readyz").length,
        failures: afterFailures.length,
        statuses: tally(afterFailures),
      },
      writes: {
        acknowledgedBefore: byPhase("before"),
        acknowledgedDuringTransition: byPhase("stopping") + byPhase("outage") + byPhase("restarting"),
        acknowledgedAfter: byPhase("after"),
        found: found.size,
        lost: lost.map((s) => s.marker),
      },
      checks,
      pass: Object.values(checks).every(Boolean),
    };
    console.log(
      `\noutage of ${result.timing.downSeconds} s: ${portal.length} portal requests, statuses ${JSON.stringify(result.outage.statuses)}, slowest ${result.outage.maxMs} ms; /readyz ${JSON.stringify(result.outage.readyz)}`,
    );
    console.log(
      `  as it went down: ${transition.length} requests, statuses ${JSON.stringify(result.transition.statuses)}, slowest ${result.transition.maxMs} ms`,
    );
    console.log(
      `  recovered by itself ${result.timing.recoverySeconds} s after PostgreSQL was back; afterwards ${result.after.requests} requests, ${result.after.failures} failed`,
    );
    for (const [name, ok] of Object.entries(checks)) console.log(`  ${ok ? "ok  " : "FAIL"} ${name}`);
    console.log(
      lost.length === 0
        ? `no acknowledged write lost: ${result.writes.acknowledgedBefore} before, ${result.writes.acknowledgedDuringTransition} around the outage, ${result.writes.acknowledgedAfter} after, ${found.size} found`
        : `LOST ${lost.length} acknowledged writes: ${lost
            .slice(0, 5)
            .map((s) => s.marker)
            .join(", ")}`,
    );
    console.log(`results: ${writeResults("outage", { result })}`);
    if (!result.pass) process.exitCode = 1;
  } finally {
    stop = true;
    await ensurePostgresRunning();
    await server.stop();
    await database.remove();
  }
}

await main().catch(async (error) => {
  await ensurePostgresRunning();
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
