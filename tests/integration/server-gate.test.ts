import { randomBytes } from "node:crypto";
import { once } from "node:events";
import type { AddressInfo } from "node:net";
import type { ServerBuild } from "@remix-run/node";
import { afterEach, expect, it } from "vitest";
import { startDbHealth, type DbHealth } from "../../server/db-health";
import { createApp } from "../../server/app";
import { loader as mailDeliveryLoader } from "~/routes/admin.mail";
import { loader as mailboxLoader } from "~/routes/dev.mail";
import { action as signInAction } from "~/routes/login";
import { buildLoadContext } from "../support/context";
import { describeEachEngine } from "../support/db";
import { createUser } from "../support/factories";

/**
 * The server's own layer on each engine: a production portal sends HSTS and Secure session
 * cookies, and while the database is unreachable every page is a 503 at once, readiness says so,
 * and the gate reopens by itself. The requests checked here never reach the Remix build, which is
 * why an empty one will do.
 */

const PRODUCTION = {
  PORTAL_ENV: "production",
  DATABASE_URL: "postgres://portal@db.internal:5432/portal",
  RESEND_API_KEY: "re_not_a_real_key",
  APP_URL: "https://portal.ember.test",
  SECRETS_KEY: randomBytes(32).toString("base64"),
};

const stops: Array<() => void> = [];
afterEach(() => {
  for (const stop of stops.splice(0)) stop();
});

describeEachEngine("server gate and production headers", (getDb, engine) => {
  async function serve(env: Record<string, string>, dbHealth: DbHealth) {
    const services = buildLoadContext(getDb(), { engine, env });
    const app = createApp({
      services,
      dbHealth,
      build: {} as ServerBuild,
      publicDir: "public",
      isShuttingDown: () => false,
    });
    const server = app.listen(0, "127.0.0.1");
    await once(server, "listening");
    stops.push(() => server.close());
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  it("sends HSTS in production, and signs in with a __Host-, Secure, HttpOnly, SameSite=Lax browser-session cookie", async () => {
    const health = startDbHealth(getDb(), { intervalMs: 60_000 });
    stops.push(health.stop);
    const url = await serve(PRODUCTION, health);
    const hsts = (await fetch(`${url}/healthz`)).headers.get("strict-transport-security") ?? "";
    expect(Number(/max-age=(\d+)/.exec(hsts)?.[1])).toBeGreaterThanOrEqual(31_536_000);
    expect(hsts).toContain("includeSubDomains");
    const local = await serve({}, health);
    expect((await fetch(`${local}/healthz`)).headers.get("strict-transport-security")).toBeNull();

    const user = await createUser(getDb(), { role: "therapist" });
    const context = buildLoadContext(getDb(), { engine, env: PRODUCTION });
    const request = new Request("https://portal.ember.test/login", {
      method: "POST",
      body: new URLSearchParams({ email: user.email, password: user.password, redirectTo: "/" }),
    });
    const answer = (await signInAction({ request, context, params: {} } as Parameters<
      typeof signInAction
    >[0])) as Response;
    const cookie = answer.headers.get("set-cookie") ?? "";
    // __Host-: the browser keeps it only Secure, host-only and for the whole site.
    expect(cookie).toMatch(/^__Host-ember_session=/);
    const attributes = cookie.split(";").map((a) => a.trim().toLowerCase());
    expect(attributes).toEqual(expect.arrayContaining(["secure", "httponly", "samesite=lax", "path=/"]));
    // A browser-session cookie: it ends with the browser, whatever the server's session lifetime.
    expect(
      attributes.filter((a) => a.startsWith("max-age") || a.startsWith("expires") || a.startsWith("domain")),
    ).toEqual([]);
  });

  it("serves the files public/ holds, such as the favicon, with an hour's caching", async () => {
    const health = startDbHealth(getDb(), { intervalMs: 60_000 });
    stops.push(health.stop);
    const url = await serve({}, health);
    const icon = await fetch(`${url}/favicon.ico`);
    expect(icon.status).toBe(200);
    expect(icon.headers.get("cache-control")).toBe("public, max-age=3600");
    expect((await icon.arrayBuffer()).byteLength).toBeGreaterThan(0);
  });

  it("answers 503 at once while the database is unreachable, says so on /readyz, and reopens by itself", async () => {
    let reachable = true;
    const health = startDbHealth(getDb(), {
      intervalMs: 50,
      probe: async () => (reachable ? undefined : Promise.reject(new Error("ECONNREFUSED"))),
    });
    stops.push(health.stop);
    const url = await serve({}, health);
    expect((await fetch(`${url}/readyz`)).status).toBe(200);

    reachable = false;
    await expect.poll(async () => (await fetch(`${url}/readyz`)).status, { timeout: 5_000 }).toBe(503);
    const started = Date.now();
    const page = await fetch(`${url}/schedule`);
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(page.status).toBe(503);
    expect(page.headers.get("retry-after")).toBe("5");
    expect(await page.text()).toContain("The portal is briefly unavailable");

    reachable = true;
    await expect.poll(async () => (await fetch(`${url}/readyz`)).status, { timeout: 5_000 }).toBe(200);
    expect(health.isUp()).toBe(true);
  });

  it("shows the local mailbox only on this machine's loopback address or to a signed-in administrator, and never in production", async () => {
    const admin = await createUser(getDb(), { role: "admin" });
    const coordinator = await createUser(getDb(), { role: "coordinator" });
    const status = async (ip: string, options: { as?: string; env?: Record<string, string> } = {}) => {
      const context = buildLoadContext(getDb(), { engine, ip, env: options.env });
      const headers = new Headers();
      if (options.as)
        headers.set(
          "Cookie",
          `${context.lucia.sessionCookieName}=${(await context.lucia.createSession(options.as, {})).id}`,
        );
      const request = new Request("http://localhost:3000/dev/mail", { headers });
      try {
        await mailboxLoader({ request, context, params: {} } as Parameters<typeof mailboxLoader>[0]);
        return 200;
      } catch (thrown) {
        if (thrown instanceof Response) return thrown.status;
        throw thrown;
      }
    };
    for (const ip of ["127.0.0.1", "127.0.0.53", "::1", "::ffff:127.0.0.1"]) expect(await status(ip), ip).toBe(200);
    for (const ip of ["192.168.1.20", "::ffff:10.0.0.7", "2001:db8::1", "unknown"])
      expect(await status(ip), ip).toBe(404);
    expect(await status("192.168.1.20", { as: coordinator.id })).toBe(404);
    expect(await status("192.168.1.20", { as: admin.id })).toBe(200);
    expect(await status("127.0.0.1", { env: PRODUCTION })).toBe(404);
  });

  it("audits a refused role (403) and a refused cross-origin write: who if known, what, the path without its query string", async () => {
    const db = getDb();
    const therapist = await createUser(db, { role: "therapist" });
    const context = buildLoadContext(db, { engine, ip: "198.51.100.9" });
    const sessionId = (await context.lucia.createSession(therapist.id, {})).id;
    const cookie = `${context.lucia.sessionCookieName}=${sessionId}`;

    const request = new Request("http://localhost:3000/admin/mail?page=2&to=someone%40example.test", {
      headers: { Cookie: cookie },
    });
    const refused = await mailDeliveryLoader({ request, context, params: {} } as Parameters<
      typeof mailDeliveryLoader
    >[0]).catch((thrown: unknown) => thrown);
    expect((refused as Response).status).toBe(403);

    const health = startDbHealth(db, { intervalMs: 60_000 });
    stops.push(health.stop);
    const url = await serve({}, health);
    const before = await db.selectFrom("sessions").select("expires_at").executeTakeFirstOrThrow();
    const foreign: Record<string, string>[] = [
      { Origin: "https://evil.example" },
      { Origin: "https://evil.example", Cookie: cookie },
      { "Sec-Fetch-Site": "cross-site", Cookie: cookie },
    ];
    for (const headers of foreign) {
      const answer = await fetch(`${url}/patients/new?from=roster`, {
        method: "POST",
        headers: { ...headers, "Content-Type": "application/x-www-form-urlencoded" },
        body: "lastName=Doe",
      });
      expect(answer.status).toBe(403);
    }

    const rows = await db
      .selectFrom("audit_events")
      .select(["actor_id", "actor_role", "action", "outcome", "patient_id", "ip", "detail"])
      .orderBy("id")
      .execute();
    expect(rows).toEqual([
      {
        actor_id: therapist.id,
        actor_role: "therapist",
        action: "access.role",
        outcome: "denied",
        patient_id: null,
        ip: "198.51.100.9",
        detail: { method: "GET", path: "/admin/mail" },
      },
      {
        actor_id: null,
        actor_role: null,
        action: "request.cross_origin",
        outcome: "denied",
        patient_id: null,
        ip: expect.any(String),
        detail: { method: "POST", path: "/patients/new" },
      },
      {
        actor_id: therapist.id,
        actor_role: "therapist",
        action: "request.cross_origin",
        outcome: "denied",
        patient_id: null,
        ip: expect.any(String),
        detail: { method: "POST", path: "/patients/new" },
      },
      {
        actor_id: therapist.id,
        actor_role: "therapist",
        action: "request.cross_origin",
        outcome: "denied",
        patient_id: null,
        ip: expect.any(String),
        detail: { method: "POST", path: "/patients/new" },
      },
    ]);
    // The session was only read, not kept alive by the refused requests.
    expect(await db.selectFrom("sessions").select("expires_at").executeTakeFirstOrThrow()).toEqual(before);
  });
});
