import path from "node:path";
import { fileURLToPath } from "node:url";
import type { ServerBuild } from "@remix-run/node";
import { ConfigError, loadConfig } from "../app/env.server";
import { createApp } from "./app";
import { benchLimitEnabled, withCapturedLoaders } from "./bench-limit";
import { probePostgres, startDbHealth } from "./db-health";
import { startServices } from "./services";

const SHUTDOWN_DEADLINE_MS = 10_000;
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

function log(message: string) {
  if (process.env.LOG_LEVEL !== "silent") console.log(`[portal] ${message}`);
}

let config;
try {
  config = loadConfig();
} catch (error) {
  if (error instanceof ConfigError) {
    console.error(error.message);
    process.exit(78);
  }
  throw error;
}

if (benchLimitEnabled && config.production) {
  console.error(
    "BENCH_LIMIT=1 serves captured page data to anyone: it is for benchmarks, never with PORTAL_ENV=production.",
  );
  process.exit(78);
}

const started = Date.now();
const runtime = await startServices(config, log);
const loaded = (await import(path.join(root, "build/index.js"))) as ServerBuild;
const build = benchLimitEnabled ? withCapturedLoaders(loaded) : loaded;
let shuttingDown = false;
const dbHealth = startDbHealth(runtime.handle.db, {
  probe: config.databaseUrl ? () => probePostgres(config.databaseUrl!) : undefined,
  onChange: (up) => {
    log(up ? "database reachable again" : "database unreachable: answering 503");
    // Queries waiting for a connection fail now rather than when the database is back; once it is
    // back, fresh connections replace any the outage left broken.
    if (up) runtime.handle.renewPool?.();
    else runtime.handle.abandonWaiting?.();
  },
});
const app = createApp({
  services: runtime.services,
  dbHealth,
  build,
  publicDir: path.join(root, "public"),
  isShuttingDown: () => shuttingDown,
});

const server = app.listen(config.port, config.host, () => {
  log(`ready on http://localhost:${config.port} (${runtime.handle.engine}, ${Date.now() - started} ms)`);
});
server.keepAliveTimeout = 5_000;
server.on("error", (error: NodeJS.ErrnoException) => {
  console.error(
    error.code === "EADDRINUSE"
      ? `[portal] port ${config.port} is already in use: set PORT to a free port.`
      : `[portal] cannot listen: ${error.message}`,
  );
  process.exit(1);
});

async function shutdown(signal: string) {
  if (shuttingDown) return;
  shuttingDown = true;
  log(`${signal}: stopping`);
  const deadline = setTimeout(() => {
    console.error("[portal] shutdown took too long; exiting");
    process.exit(1);
  }, SHUTDOWN_DEADLINE_MS);
  deadline.unref();
  await new Promise<void>((resolve) => {
    server.close(() => resolve());
    server.closeIdleConnections();
  });
  dbHealth.stop();
  await runtime.scheduler.stop();
  await runtime.worker.stop();
  await runtime.handle.close();
  log("stopped");
  process.exit(0);
}
process.on("SIGTERM", () => void shutdown("SIGTERM"));
process.on("SIGINT", () => void shutdown("SIGINT"));
