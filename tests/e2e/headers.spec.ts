import { readdirSync } from "node:fs";
import { spawn } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { randomBytes } from "node:crypto";
import { request as playwrightRequest, type APIRequestContext, type APIResponse } from "@playwright/test";
import { hashPassword } from "../../app/auth/password.server";
import { openDatabase } from "../../db/engine";
import { migrateToLatest } from "../../db/migrator";
import { recreateDatabase } from "../support/e2e-db";
import { urlPatternOf } from "../support/route-patterns";
import { apiSignIn, DEMO, expect, readMailbox, test, type Role } from "./fixtures";
import { PRODUCTION_PORT, urlFor } from "./servers";

/**
 * Every page of the portal, as every role and as nobody, read over HTTP: each answer carries the
 * security headers whatever its status, signed-in answers are never cached, and no answer to an
 * outside provider names a patient they may not see. No email in the mailbox names any patient.
 */

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const PATTERNS = readdirSync(path.join(root, "app/routes"))
  .filter((file) => file.endsWith(".tsx"))
  .map((file) => urlPatternOf(file.replace(/\.tsx$/, "")));

/** The demo patients the demo therapist is not treating: their names must never reach that therapist. */
const NOT_THE_THERAPISTS = ["Achterberg", "Albescu", "Delacroix", "Feldstein", "Moreau", "Szabo"];
const ALL_PATIENT_SURNAMES = DEMO.coordinator.patients.map((name) => name.split(",")[0]!);

function directives(csp: string): Map<string, string[]> {
  return new Map(
    csp
      .split(";")
      .map((d) => d.trim().split(/\s+/))
      .filter((parts) => parts[0])
      .map(([name, ...values]) => [name!.toLowerCase(), values]),
  );
}

function securityHeaderProblems(response: APIResponse): string[] {
  const headers = response.headers();
  const csp = directives(headers["content-security-policy"] ?? "");
  const scriptSrc = csp.get("script-src") ?? [];
  const problems: string[] = [];
  if (!scriptSrc.some((v) => /^'nonce-[A-Za-z0-9+/=]{16,}'$/.test(v))) problems.push("script-src has no nonce");
  if (scriptSrc.includes("'unsafe-inline'") || scriptSrc.includes("'unsafe-eval'")) problems.push("script-src allows inline or eval");
  if (csp.get("frame-ancestors")?.join(" ") !== "'none'") problems.push("frame-ancestors is not 'none'");
  if (headers["referrer-policy"] !== "same-origin") problems.push(`Referrer-Policy is ${headers["referrer-policy"]}`);
  if (headers["x-content-type-options"] !== "nosniff") problems.push("no X-Content-Type-Options: nosniff");
  if (headers["x-powered-by"]) problems.push("X-Powered-By is sent");
  return problems;
}

/** A patient id from the links on a signed-in roster. */
async function patientIdOf(api: APIRequestContext, surname: string): Promise<string> {
  const search = await api.post("/?index", { form: { q: surname } });
  const html = await search.text();
  const id = new RegExp(`href="/patients/([0-9a-f-]{36})"[^>]*>[^<]*${surname}`).exec(html)?.[1];
  if (!id) throw new Error(`no link to ${surname} on the roster`);
  return id;
}

test.describe("every page's headers and what it shows", () => {
  test.setTimeout(180_000);

  test("each page, as each role and as nobody, sends the security headers, and an outside provider never sees another's patient", async ({ baseURL }) => {
    const staff = await playwrightRequest.newContext({ baseURL });
    await apiSignIn(staff, DEMO.coordinator.email);
    const own = await patientIdOf(staff, "Lindqvist");
    const hidden = await patientIdOf(staff, "Feldstein");
    await staff.dispose();

    const problems: string[] = [];
    let checked = 0;
    for (const who of ["anonymous", "therapist", "psychiatrist", "coordinator", "clinician", "admin"] as const) {
      const api = await playwrightRequest.newContext({ baseURL });
      if (who !== "anonymous") await apiSignIn(api, DEMO[who as Role].email);
      for (const pattern of PATTERNS) {
        for (const patientId of pattern.includes(":patientId") ? [own, hidden] : [own]) {
          const url = pattern
            .replace(":patientId", patientId)
            .replace(":userId", "00000000-0000-4000-8000-000000000000")
            .replace(":referralId", "00000000-0000-4000-8000-000000000000")
            .replace(":token", "not-a-real-token")
            .replace("*", "no-such-page");
          const response = await api.get(url, { maxRedirects: 0 });
          checked++;
          const where = `GET ${url} as ${who} (${response.status()})`;
          if (response.status() >= 500) problems.push(`${where}: server error`);
          for (const problem of securityHeaderProblems(response)) problems.push(`${where}: ${problem}`);
          if (who !== "anonymous" && response.headers()["cache-control"] !== "no-store" && response.status() === 200) problems.push(`${where}: may be cached`);
          if (who === "therapist") {
            const body = await response.text();
            for (const name of NOT_THE_THERAPISTS) if (body.includes(name)) problems.push(`${where}: names ${name}, not their patient`);
          }
        }
      }
      await api.dispose();
    }
    console.log(`headers: ${checked} answers checked across ${PATTERNS.length} routes`);
    expect(PATTERNS.length).toBeGreaterThan(30);
    expect(problems).toEqual([]);
  });

  test("no email in the mailbox names a patient", async ({ request }) => {
    const addresses = Object.values(DEMO).map((a) => a.email);
    let read = 0;
    for (const address of addresses) {
      for (const mail of await readMailbox(request, address)) {
        read++;
        for (const surname of ALL_PATIENT_SURNAMES) expect(`${mail.subject}\n${mail.text}`, `email "${mail.subject}" to ${address}`).not.toContain(surname);
      }
    }
    expect(read, "the demo data and the journeys send mail to the demo accounts").toBeGreaterThan(0);
  });
});

test.describe("in production", () => {
  test.setTimeout(120_000);
  test.skip(!process.env.DATABASE_URL, "a production portal runs on PostgreSQL only");

  test("pages carry HSTS and the session cookie is Secure, HttpOnly and SameSite=Lax", async () => {
    const port = PRODUCTION_PORT;
    const databaseUrl = await recreateDatabase(process.env.DATABASE_URL!, "e2e_production");
    const email = `admin-${randomBytes(3).toString("hex")}@e2e.ember.test`;
    const password = `production-check-${randomBytes(6).toString("hex")}`;
    const handle = openDatabase({ url: databaseUrl, poolSize: 1 });
    try {
      await migrateToLatest(handle.db);
      // An outside provider: staff would be sent to enrol a second factor first, which is not what this checks.
      await handle.db
        .insertInto("users")
        .values({ email, name: "Production Check", role: "therapist", organisation: "Check Practice", password_hash: await hashPassword(password), status: "active" })
        .execute();
    } finally {
      await handle.close();
    }
    const child = spawn(process.execPath, ["--import", "tsx", "server/index.ts"], {
      cwd: root,
      env: {
        ...process.env,
        PORTAL_ENV: "production",
        DATABASE_URL: databaseUrl,
        APP_URL: "https://portal.ember.test",
        // Mail goes to a closed loopback port: nothing leaves this machine, and nothing is queued here anyway.
        RESEND_API_KEY: "re_not_a_real_key",
        RESEND_BASE_URL: "http://127.0.0.1:9/",
        SECRETS_KEY: randomBytes(32).toString("base64"),
        SEED_DEMO: "false",
        PORT: String(port),
        HOST: "127.0.0.1",
        LOG_LEVEL: "silent",
      },
      stdio: "ignore",
    });
    const api = await playwrightRequest.newContext({ baseURL: urlFor(port) });
    try {
      await expect.poll(async () => (await api.get("/readyz").catch(() => null))?.status(), { timeout: 90_000, intervals: [500] }).toBe(200);
      const page = await api.get("/login");
      expect(page.headers()["strict-transport-security"]).toMatch(/max-age=(\d{8,}).*includeSubDomains/);
      expect(Number(/max-age=(\d+)/.exec(page.headers()["strict-transport-security"] ?? "")?.[1])).toBeGreaterThanOrEqual(31_536_000);
      expect(securityHeaderProblems(page)).toEqual([]);

      const signIn = await api.post("/login", { form: { email, password, redirectTo: "/" }, maxRedirects: 0 });
      expect(signIn.status()).toBe(302);
      const cookie = signIn
        .headersArray()
        .filter((h) => h.name.toLowerCase() === "set-cookie")
        .map((h) => h.value)
        .find((v) => v.startsWith("ember_session="));
      const attributes = (cookie ?? "").split(";").map((a) => a.trim().toLowerCase());
      expect(attributes).toEqual(expect.arrayContaining(["secure", "httponly", "samesite=lax", "path=/"]));
    } finally {
      await api.dispose();
      child.kill("SIGTERM");
    }
  });
});
