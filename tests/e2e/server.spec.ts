import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { connect } from "node:net";
import { once } from "node:events";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import type { APIResponse } from "@playwright/test";
import { recreateDatabase } from "../support/e2e-db";
import { DEMO, DEMO_PASSWORD, expect, test } from "../support/fixtures";
import { securityHeaderProblems } from "../support/security-headers";
import { e2eDatabase, SPARE_PORT, urlFor } from "../support/servers";

function expectSecurityHeaders(response: APIResponse) {
  expect(securityHeaderProblems(response)).toEqual([]);
}

const nonceOf = (response: APIResponse) =>
  /'nonce-([^']+)'/.exec(response.headers()["content-security-policy"] ?? "")?.[1];

test.describe("the server", () => {
  for (const pagePath of [
    "/login",
    "/forgot-password",
    "/join/not-a-real-token",
    "/no-such-page",
    "/healthz",
    "/readyz",
  ]) {
    test(`sends the security headers on ${pagePath}`, async ({ request }) => {
      const response = await request.get(pagePath, { maxRedirects: 0 });
      expectSecurityHeaders(response);
    });
  }

  test("sends the security headers on a signed-in page", async ({ request }) => {
    await request.post("/login", { form: { email: DEMO.admin.email, password: DEMO_PASSWORD, redirectTo: "/" } });
    const response = await request.get("/admin/users");
    expect(response.status()).toBe(200);
    expect(await response.text()).toContain("Everyone with a portal account.");
    expectSecurityHeaders(response);
    expect(response.headers()["cache-control"]).toBe("no-store");
  });

  test("gives each page a fresh nonce, carried by every script on it", async ({ request }) => {
    const first = await request.get("/login");
    const second = await request.get("/login");
    const nonce = nonceOf(first);
    expect(nonce).toBeTruthy();
    expect(nonceOf(second)).not.toBe(nonce);

    const scripts = [...(await first.text()).matchAll(/<script\b([^>]*)>/g)].map((m) => m[1]!);
    expect(scripts.length).toBeGreaterThan(0);
    for (const attributes of scripts) expect(attributes).toContain(`nonce="${nonce}"`);
  });

  test("sets the session cookie HttpOnly and SameSite=Lax", async ({ request }) => {
    const response = await request.post("/login", {
      form: { email: DEMO.psychiatrist.email, password: DEMO_PASSWORD, redirectTo: "/" },
      maxRedirects: 0,
    });
    expect(response.status()).toBe(302);
    expect(response.headers()["location"]).toBe("/");
    const session = response
      .headersArray()
      .filter((h) => h.name.toLowerCase() === "set-cookie")
      .map((h) => h.value)
      .find((v) => v.startsWith("ember_session="));
    expect(session, "a session cookie is set").toBeTruthy();
    const attributes = session!.split(";").map((a) => a.trim().toLowerCase());
    expect(attributes).toContain("httponly");
    expect(attributes).toContain("samesite=lax");
    expect(attributes).toContain("path=/");
    expect(session!.split(";")[0]!.length).toBeGreaterThan("ember_session=".length + 20);
  });

  test("refuses a form post from another site", async ({ request }) => {
    const form = { email: DEMO.admin.email, password: DEMO_PASSWORD, redirectTo: "/" };
    const foreign = await request.post("/login", {
      form,
      headers: { Origin: "https://evil.example" },
      maxRedirects: 0,
    });
    expect(foreign.status()).toBe(403);
    expect(foreign.headers()["set-cookie"]).toBeUndefined();

    const crossSite = await request.post("/login", {
      form,
      headers: { "Sec-Fetch-Site": "cross-site" },
      maxRedirects: 0,
    });
    expect(crossSite.status()).toBe(403);

    const own = await request.post("/login", {
      form,
      headers: { Origin: new URL(foreign.url()).origin },
      maxRedirects: 0,
    });
    expect(own.status()).toBe(302);
  });

  test("answers health and readiness checks with JSON", async ({ request }) => {
    const health = await request.get("/healthz");
    expect(health.status()).toBe(200);
    expect(health.headers()["content-type"]).toMatch(/^application\/json/);
    expect(await health.json()).toEqual({ status: "ok" });

    const ready = await request.get("/readyz");
    expect(ready.status()).toBe(200);
    expect(ready.headers()["content-type"]).toMatch(/^application\/json/);
    expect(await ready.json()).toEqual({ status: "ready", engine: process.env.DATABASE_URL ? "postgres" : "pglite" });
  });

  test("shows a not-found page for an unknown path", async ({ page }) => {
    const response = await page.goto("/no-such-page");
    expect(response?.status()).toBe(404);
    await expect(page.getByRole("heading", { level: 1, name: "Page not found" })).toBeVisible();
    await expect(page.getByRole("link", { name: "Go to your home page" })).toBeVisible();
  });
});

async function waitUntilReady(url: string, child: ReturnType<typeof spawn>, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`server exited early with code ${child.exitCode}`);
    try {
      if ((await fetch(`${url}/readyz`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`server at ${url} was not ready within ${timeoutMs} ms`);
}

const portAccepts = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = connect({ port, host: "127.0.0.1" });
    socket.once("connect", () => (socket.destroy(), resolve(true)));
    socket.once("error", () => resolve(false));
  });

test.describe("shutting down", () => {
  test.setTimeout(120_000);

  test("started as npm start runs it, it serves with production React; on SIGTERM it finishes, exits 0 within 10 s and frees its port", async () => {
    expect(await portAccepts(SPARE_PORT), `port ${SPARE_PORT} is free before the test`).toBe(false);
    const database = process.env.DATABASE_URL
      ? { DATABASE_URL: await recreateDatabase(process.env.DATABASE_URL, e2eDatabase("sigterm")), SEED_DEMO: "false" }
      : { DATABASE_URL: "", DATA_DIR: "memory://" };
    // Node itself with `npm run serve`'s own arguments, as `npm start` runs it, but without npm in
    // between: npm exits on SIGTERM without passing it on. No NODE_ENV, as in a fresh shell.
    const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
    const serve = (JSON.parse(readFileSync(path.join(root, "package.json"), "utf8")) as { scripts: { serve: string } })
      .scripts.serve;
    const [command, ...args] = serve.split(/\s+/);
    expect(command).toBe("node");
    const report = path.join(mkdtempSync(path.join(tmpdir(), "react-build-")), "builds.json");
    const environment: Record<string, string | undefined> = {
      ...process.env,
      ...database,
      PORT: String(SPARE_PORT),
      HOST: "127.0.0.1",
      LOG_LEVEL: "silent",
      NODE_OPTIONS: `--import ${pathToFileURL(path.join(root, "tests/support/report-react-build.mjs")).href}`,
      REACT_BUILD_REPORT: report,
    };
    delete environment.NODE_ENV;
    const child = spawn(process.execPath, args, {
      cwd: root,
      env: environment as NodeJS.ProcessEnv,
      stdio: ["ignore", "ignore", "pipe"],
    });
    let stderr = "";
    child.stderr!.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    try {
      await waitUntilReady(urlFor(SPARE_PORT), child, 90_000);
      expect((await fetch(`${urlFor(SPARE_PORT)}/login`)).status).toBe(200);

      const exited = once(child, "exit") as Promise<[number | null, NodeJS.Signals | null]>;
      const signalledAt = Date.now();
      child.kill("SIGTERM");
      const [code, signal] = await Promise.race([
        exited,
        new Promise<never>((_, reject) =>
          setTimeout(() => reject(new Error("still running 10 s after SIGTERM")), 10_000),
        ),
      ]);
      expect({ code, signal, stderr }).toEqual({ code: 0, signal: null, stderr: "" });
      expect(Date.now() - signalledAt).toBeLessThan(10_000);
      expect(await portAccepts(SPARE_PORT)).toBe(false);

      // React's production build served the pages, never the development one.
      const builds = JSON.parse(readFileSync(report, "utf8")) as string[];
      expect(builds.some((file) => /react-dom-server\.node\.production/.test(file))).toBe(true);
      expect(builds.filter((file) => file.includes("development"))).toEqual([]);
    } finally {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
    }
  });
});
