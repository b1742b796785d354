import { readdirSync, rmSync } from "node:fs";
import path from "node:path";
import { defineConfig, devices } from "@playwright/test";
import { e2eDatabase, IDLE_PORT, IDLE_SECONDS, MAIN_PORT, MFA_PORT, urlFor } from "./tests/support/servers";

/**
 * Browser journeys against the built production server (`remix build` runs before Playwright;
 * the servers below only start it). Each server gets a fresh database: an embedded PGlite folder
 * under .data/, or, when DATABASE_URL is set, its own PostgreSQL database recreated before start.
 */
const postgresUrl = process.env.DATABASE_URL || undefined;

// One id per run. Workers inherit the environment, so every process agrees on the folder names.
process.env.E2E_RUN_ID ??= String(Date.now());
const runId = process.env.E2E_RUN_ID;
const dataRoot = path.resolve(".data");

function removeStaleDataDirs(port: number) {
  let names: string[] = [];
  try {
    names = readdirSync(dataRoot);
  } catch {
    return;
  }
  for (const name of names) {
    if (name.startsWith(`e2e-${port}-`) && name !== `e2e-${port}-${runId}`) {
      rmSync(path.join(dataRoot, name), { recursive: true, force: true });
    }
  }
}

function server(port: number, database: string, env: Record<string, string> = {}) {
  const storage: { command: string; env: Record<string, string> } = postgresUrl
    ? (() => {
        const url = new URL(postgresUrl);
        url.pathname = `/${database}`;
        return {
          command: "npx tsx tests/support/e2e-db.ts && node --import tsx server/index.ts",
          env: { DATABASE_URL: url.toString(), SEED_DEMO: "true" },
        };
      })()
    : (() => {
        if (!process.env.TEST_WORKER_INDEX) removeStaleDataDirs(port);
        return { command: "node --import tsx server/index.ts", env: { DATA_DIR: `.data/e2e-${port}-${runId}` } };
      })();
  return {
    name: `portal:${port}`,
    command: storage.command,
    url: `${urlFor(port)}/readyz`,
    reuseExistingServer: false,
    timeout: 120_000,
    // The portal closes its database cleanly on SIGTERM; PGlite folders stay consistent.
    gracefulShutdown: { signal: "SIGTERM" as const, timeout: 10_000 },
    env: {
      ...storage.env,
      PORT: String(port),
      HOST: "127.0.0.1",
      APP_URL: urlFor(port),
      LOG_LEVEL: "error",
      MAIL_WORKER_INTERVAL_MS: "200",
      ...env,
    },
  };
}

export default defineConfig({
  testDir: "tests/e2e",
  fullyParallel: true,
  forbidOnly: Boolean(process.env.CI),
  retries: process.env.CI ? 1 : 0,
  workers: 2,
  reporter: "list",
  timeout: 60_000,
  expect: { timeout: 10_000 },
  use: {
    baseURL: urlFor(MAIN_PORT),
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
  },
  projects: [
    {
      name: "chromium",
      use: {
        ...devices["Desktop Chrome"],
        launchOptions: {
          executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
          args: [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--disable-quic",
          ],
        },
      },
    },
  ],
  webServer: [
    server(MAIN_PORT, e2eDatabase("main")),
    server(IDLE_PORT, e2eDatabase("idle"), { SESSION_IDLE_MINUTES: String(IDLE_SECONDS / 60) }),
    server(MFA_PORT, e2eDatabase("mfa"), { STAFF_MFA_REQUIRED: "true" }),
  ],
});
