import { spawn, type ChildProcess } from "node:child_process";
import { cpSync, createWriteStream, mkdtempSync, readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

/** Only these ports: 3100–3199 and 3300–3399 belong to other work on this machine. */
export function checkPort(port: number): number {
  if (!Number.isInteger(port) || port < 3200 || port > 3299)
    throw new Error(`port ${port}: the benchmarks use ports 3200–3299 only`);
  return port;
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Runs a command to the end, its output shown; rejects on a non-zero exit. */
export function run(
  command: string,
  args: string[],
  options: { env?: Record<string, string | undefined>; quiet?: boolean } = {},
): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: ROOT,
      env: { ...process.env, ...options.env },
      stdio: ["ignore", options.quiet ? "ignore" : "inherit", "inherit"],
    });
    child.on("error", reject);
    child.on("exit", (code) =>
      code === 0 ? resolve() : reject(new Error(`${path.basename(command)} ${args.join(" ")} exited with ${code}`)),
    );
  });
}

/** A TypeScript script of this repository in its own Node process (no tsx wrapper process in between). */
export function runScript(
  script: string,
  args: string[],
  options: { env?: Record<string, string | undefined>; quiet?: boolean } = {},
) {
  return run(process.execPath, ["--import", "tsx", script, ...args], options);
}

export async function buildForProduction(): Promise<void> {
  console.log("building for production (npm run build)");
  await run("npm", ["run", "build"], { env: { NODE_ENV: "production" }, quiet: true });
}

/**
 * A private copy of the client build, so the JS sizes can still be read if public/build is
 * rebuilt while a run goes on (the server keeps serving pages from the build it loaded).
 */
export function snapshotClientBuild(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), "ember-bench-assets-"));
  cpSync(path.join(ROOT, "public/build"), path.join(dir, "build"), { recursive: true });
  return dir;
}

export interface RunningServer {
  pid: number;
  url: string;
  port: number;
  logFile: string;
  /** Resident memory of the server process, in kB, from /proc. */
  rssKb(): number;
  /** False once the process has exited (for whatever reason). */
  alive(): boolean;
  stop(): Promise<void>;
}

/**
 * The portal as production runs it (`npm run serve`'s arguments, the built bundle), its pid being the
 * server itself so its memory can be read. Waits until /readyz answers 200.
 */
/** The node arguments of `npm run serve`, so the benchmark runs the server exactly as production does. */
function serveArguments(): string[] {
  const scripts = JSON.parse(readFileSync(path.join(ROOT, "package.json"), "utf8")).scripts as Record<string, string>;
  const [command, ...args] = scripts.serve!.split(/\s+/);
  if (command !== "node") throw new Error(`npm run serve starts with ${command}: the benchmark expects node`);
  return args;
}

export async function startServer(options: {
  port: number;
  env: Record<string, string | undefined>;
  readyTimeoutMs?: number;
}): Promise<RunningServer> {
  const port = checkPort(options.port);
  const logFile = path.join(os.tmpdir(), `ember-bench-server-${port}-${Date.now()}.log`);
  const log = createWriteStream(logFile);
  // No NODE_ENV, as in a fresh shell: the server settles its own mode, as every real start does.
  const env: Record<string, string | undefined> = {
    ...process.env,
    LOG_LEVEL: "error",
    HOST: "127.0.0.1",
    PORT: String(port),
    SQL_COUNT: "1",
    BENCH_LIMIT: "1",
    ...options.env,
  };
  delete env.NODE_ENV;
  const child: ChildProcess = spawn(process.execPath, serveArguments(), {
    cwd: ROOT,
    env: env as NodeJS.ProcessEnv,
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout!.pipe(log);
  child.stderr!.pipe(log);
  let exited = false;
  const exit = new Promise<void>((resolve) => child.on("exit", () => ((exited = true), resolve())));
  const url = `http://127.0.0.1:${port}`;
  const server: RunningServer = {
    pid: child.pid!,
    url,
    port,
    logFile,
    alive: () => !exited,
    rssKb() {
      const status = readFileSync(`/proc/${child.pid}/status`, "utf8");
      return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
    },
    async stop() {
      if (exited) return;
      child.kill("SIGTERM");
      const timeout = sleep(15_000).then(() => "timeout");
      if ((await Promise.race([exit.then(() => "exited"), timeout])) === "timeout" && !exited) child.kill("SIGKILL");
      await exit;
    },
  };
  if (!(await waitReady(url, options.readyTimeoutMs ?? 180_000, () => exited))) {
    await server.stop();
    throw new Error(
      `the server ${exited ? "exited during start" : "was not ready in time"}; its log: ${logFile}\n${tail(logFile)}`,
    );
  }
  return server;
}

/** Polls /readyz until it answers 200; false after the timeout (or when `gone` says the server died). */
export async function waitReady(url: string, timeoutMs: number, gone: () => boolean = () => false): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!gone()) {
    try {
      const res = await fetch(`${url}/readyz`, { signal: AbortSignal.timeout(5_000) });
      if (res.status === 200) return true;
    } catch {
      // not listening yet, or busy
    }
    if (Date.now() > deadline) return false;
    await sleep(250);
  }
  return false;
}

export function tail(file: string, lines = 20): string {
  try {
    return readFileSync(file, "utf8").split("\n").slice(-lines).join("\n");
  } catch {
    return "";
  }
}
