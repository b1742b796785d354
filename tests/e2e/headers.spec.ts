import path from "node:path";
import { fileURLToPath } from "node:url";
import { request as playwrightRequest, type APIRequestContext } from "@playwright/test";
import { routeIdsIn, urlPatternOf } from "../support/route-patterns";
import { apiSignIn, DEMO, expect, login, readMailbox, test, type Role } from "../support/fixtures";
import { securityHeaderProblems } from "../support/security-headers";

/**
 * Every page of the portal, as every role and as nobody, read over HTTP: each answer carries the
 * security headers whatever its status, signed-in answers are never cached, and no answer to an
 * outside provider names a patient they may not see. No email in the mailbox names any patient.
 * HSTS and Secure cookies, which only a production portal sends, are checked on both engines in
 * tests/integration/server-gate.test.ts.
 */

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const PATTERNS = routeIdsIn(path.join(root, "app/routes")).map(urlPatternOf);

/** The demo patients the demo therapist is not treating: their names must never reach that therapist. */
// Delacroix is not here: the demo therapist accepted that referral, so its offer names the patient.
const NOT_THE_THERAPISTS = ["Achterberg", "Albescu", "Feldstein", "Moreau", "Szabo"];
const ALL_PATIENT_SURNAMES = DEMO.coordinator.patients.map((name) => name.split(",")[0]!);

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

  test("each page, as each role and as nobody, sends the security headers, and an outside provider never sees another's patient", async ({
    baseURL,
  }) => {
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
            .replace(":visitId", "00000000-0000-4000-8000-000000000000")
            .replace(":token", "not-a-real-token")
            .replace("*", "no-such-page");
          const response = await api.get(url, { maxRedirects: 0 });
          checked++;
          const where = `GET ${url} as ${who} (${response.status()})`;
          if (response.status() >= 500) problems.push(`${where}: server error`);
          for (const problem of securityHeaderProblems(response)) problems.push(`${where}: ${problem}`);
          if (who !== "anonymous" && response.headers()["cache-control"] !== "no-store" && response.status() === 200)
            problems.push(`${where}: may be cached`);
          if (who === "therapist") {
            const body = await response.text();
            for (const name of NOT_THE_THERAPISTS)
              if (body.includes(name)) problems.push(`${where}: names ${name}, not their patient`);
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
        for (const surname of ALL_PATIENT_SURNAMES)
          expect(`${mail.subject}\n${mail.text}`, `email "${mail.subject}" to ${address}`).not.toContain(surname);
      }
    }
    expect(read, "the demo data and the journeys send mail to the demo accounts").toBeGreaterThan(0);
  });

  test("the session cookie ends with the browser, and no patient page or its data is kept by a cache", async ({
    page,
  }) => {
    await login(page, DEMO.coordinator.email);
    const session = (await page.context().cookies()).find((c) => c.name.endsWith("ember_session"));
    // -1: a browser-session cookie, without Max-Age or Expires.
    expect(session).toMatchObject({ expires: -1, httpOnly: true, sameSite: "Lax", path: "/" });

    // Moving between pages in the browser fetches each page's data as `.data`.
    await page.goto("/");
    const data = page.waitForResponse((r) => new URL(r.url()).pathname.endsWith(".data"));
    await page
      .getByRole("link", { name: /Lindqvist/ })
      .first()
      .click();
    const dataResponse = await data;
    expect(dataResponse.status()).toBe(200);
    expect(dataResponse.headers()["cache-control"]).toBe("no-store");

    const id = await patientIdOf(page.request, "Lindqvist");
    for (const path of [
      `/patients/${id}`,
      `/patients/${id}.data`,
      `/patients/${id}/notes`,
      `/patients/${id}/notes.data`,
      "/_root.data",
    ]) {
      const response = await page.request.get(path, { maxRedirects: 0 });
      expect(response.status(), path).toBe(200);
      expect(response.headers()["cache-control"], path).toBe("no-store");
    }
  });
});
