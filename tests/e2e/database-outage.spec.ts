import { spawn } from "node:child_process";
import { createServer, connect, type Server, type Socket } from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { request as playwrightRequest } from "@playwright/test";
import postgres from "postgres";
import { recreateDatabase } from "../support/e2e-db";
import { apiSignIn, DEMO, expect, test } from "../support/fixtures";
import { e2eDatabase, OUTAGE_PORT, urlFor } from "../support/servers";

/**
 * The portal loses its database and gets it back. Between the portal and PostgreSQL sits a
 * loopback relay this test can cut (every connection dropped, new ones refused) and restore, so
 * the real server, other tests and the machine's PostgreSQL are left alone.
 */

/** A TCP relay on 127.0.0.1 to `target`, which can be cut and restored. */
function relayTo(target: { host: string; port: number }) {
  const sockets = new Set<Socket>();
  let server: Server | null = null;
  let port = 0;
  const open = () =>
    new Promise<number>((resolve) => {
      server = createServer((client) => {
        const upstream = connect(target);
        for (const s of [client, upstream]) {
          sockets.add(s);
          s.on("close", () => sockets.delete(s));
          s.on("error", () => s.destroy());
        }
        client.pipe(upstream).pipe(client);
      });
      server.listen(port, "127.0.0.1", () => {
        port = (server!.address() as { port: number }).port;
        resolve(port);
      });
    });
  return {
    open,
    cut: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server?.close(() => resolve());
      }),
  };
}

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

/**
 * The embedded database cannot go away, so this journey always runs against a PostgreSQL server:
 * DATABASE_URL's, or else the one these machines run on 127.0.0.1:5432.
 */
const POSTGRES_URL = process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";

test.describe("a database outage", () => {
  test.setTimeout(180_000);

  test("pages answer 503 at once while the database is gone, the server recovers by itself, and nothing saved is lost", async () => {
    const databaseUrl = new URL(
      await recreateDatabase(POSTGRES_URL, e2eDatabase("outage")).catch((error: unknown) => {
        throw new Error(
          `this journey needs a PostgreSQL server (set DATABASE_URL; none answered at ${new URL(POSTGRES_URL).host}): ${String(error)}`,
        );
      }),
    );
    const relay = relayTo({ host: databaseUrl.hostname, port: Number(databaseUrl.port || 5432) });
    const relayed = new URL(databaseUrl);
    relayed.hostname = "127.0.0.1";
    relayed.port = String(await relay.open());

    const child = spawn(process.execPath, ["--import", "tsx", "server/index.ts"], {
      cwd: root,
      env: {
        ...process.env,
        DATABASE_URL: relayed.toString(),
        SEED_DEMO: "true",
        PORT: String(OUTAGE_PORT),
        HOST: "127.0.0.1",
        LOG_LEVEL: "silent",
        DATA_DIR: "",
      },
      stdio: "ignore",
    });
    const api = await playwrightRequest.newContext({ baseURL: urlFor(OUTAGE_PORT) });
    try {
      await expect
        .poll(async () => (await api.get("/readyz").catch(() => null))?.status(), { timeout: 90_000, intervals: [500] })
        .toBe(200);
      await apiSignIn(api, DEMO.therapist.email);

      // A write acknowledged before the outage: the notification preference.
      const saved = await api.post("/settings", { form: { notifyNotes: "no" }, maxRedirects: 0 });
      expect(saved.status(), "the setting is saved").toBeLessThan(400);

      await relay.cut();
      // Asked at once, before the health check has noticed: the page's own queries find the
      // connection gone, and that is a 503 to try again too, never a 500.
      const caught = await api.get("/schedule", { maxRedirects: 0, timeout: 10_000 });
      expect(caught.status(), "a page whose queries lost the database").toBe(503);
      expect(caught.headers()["retry-after"]).toBe("5");
      // Within a couple of health checks the gate is closed; every answer then comes at once.
      await expect
        .poll(async () => (await api.get("/readyz")).status(), { timeout: 10_000, intervals: [250] })
        .toBe(503);
      for (const pagePath of ["/", "/schedule", "/login"]) {
        const started = Date.now();
        const response = await api.get(pagePath, { maxRedirects: 0, timeout: 10_000 });
        expect(Date.now() - started, `${pagePath} answers fast`).toBeLessThan(5_000);
        expect(response.status()).toBe(503);
        expect(response.headers()["retry-after"]).toBe("5");
        expect(await response.text()).toContain("The portal is briefly unavailable");
      }
      const refusedWrite = await api.post("/settings", {
        form: { notifyNotes: "yes" },
        maxRedirects: 0,
        timeout: 10_000,
      });
      expect(refusedWrite.status(), "a write during the outage is refused, not half-done").toBe(503);

      await relay.open();
      await expect
        .poll(async () => (await api.get("/readyz")).status(), { timeout: 15_000, intervals: [250] })
        .toBe(200);
      const home = await api.get("/");
      expect(home.status(), "the session survived the outage").toBe(200);
      expect(await home.text()).toContain("My patients");

      const direct = postgres(databaseUrl.toString(), { max: 1, onnotice: () => {} });
      try {
        const [row] = await direct`select notify_notes from users where email = ${DEMO.therapist.email}`;
        expect(row?.notify_notes, "the write acknowledged before the outage is there, the refused one is not").toBe(
          false,
        );
      } finally {
        await direct.end();
      }
    } finally {
      await api.dispose();
      child.kill("SIGTERM");
      await relay.cut();
    }
  });
});
