import { Secret, TOTP } from "otpauth";
import * as demoSeed from "../../db/seed-demo";

export const DEMO_PASSWORD = demoSeed.DEMO_PASSWORD;
export const demoEmail = (role: "therapist" | "psychiatrist" | "coordinator" | "clinician" | "admin") =>
  `${role}@demo.ember.test`;

/** A few cookies, by name: enough for the sign-in steps. */
class CookieJar {
  private cookies = new Map<string, string>();
  take(res: Response) {
    for (const line of res.headers.getSetCookie()) {
      const [pair] = line.split(";");
      const eq = pair!.indexOf("=");
      const name = pair!.slice(0, eq).trim();
      const value = pair!.slice(eq + 1).trim();
      if (/max-age=0/i.test(line) || value === "") this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }
  has = (name: string) => this.cookies.has(name);
  header = () => [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
  only = (name: string) => `${name}=${this.cookies.get(name)}`;
}

/** Secrets this process enrolled, by server address and email (a fresh database has none). */
const enrolled = new Map<string, string>();

/**
 * The account's TOTP secret: one this process enrolled, or the demo seed's, wherever
 * db/seed-demo.ts keeps it (an exported string, or a record by email, under a name that mentions
 * TOTP). The one place to change if that moves.
 */
function totpSecret(baseUrl: string, email: string): string {
  const mine = enrolled.get(`${baseUrl} ${email}`);
  if (mine) return mine;
  for (const [name, value] of Object.entries(demoSeed)) {
    if (!/totp/i.test(name)) continue;
    if (typeof value === "string") return value;
    if (value && typeof value === "object") {
      const hit = (value as unknown as Record<string, unknown>)[email];
      if (typeof hit === "string") return hit;
    }
  }
  throw new Error(
    `sign-in for ${email} asks for a second factor, but db/seed-demo.ts exports no demo TOTP secret for it`,
  );
}

function totpCode(secret: string, stepsAhead: number): string {
  const totp = new TOTP({ algorithm: "SHA1", digits: 6, period: 30, secret: Secret.fromBase32(secret) });
  return totp.generate({ timestamp: Date.now() + stepsAhead * 30_000 });
}

/**
 * Signs in through the real forms, as a browser would (same-origin POSTs), including the second
 * step when the account has TOTP. Returns the `Cookie` header value of the session.
 */
export async function signIn(baseUrl: string, email: string, password = DEMO_PASSWORD): Promise<string> {
  const jar = new CookieJar();
  const post = async (path: string, form: Record<string, string>) => {
    const res = await fetch(`${baseUrl}${path}`, {
      method: "POST",
      redirect: "manual",
      headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: baseUrl, Cookie: jar.header() },
      body: new URLSearchParams(form),
    });
    jar.take(res);
    return res;
  };
  let res = await post("/login", { email, password, redirectTo: "/" });
  let location = res.headers.get("location") ?? "";
  if (res.status === 302 && location.startsWith("/login/verify")) {
    // A code is accepted once per 30-second step: if this step's was just used, send the next one's.
    for (let ahead = 0; ahead < 3 && location.startsWith("/login/verify"); ahead++) {
      res = await post(new URL(location, baseUrl).pathname, {
        code: totpCode(totpSecret(baseUrl, email), ahead),
        redirectTo: "/",
      });
      location = res.headers.get("location") ?? "";
      if (res.status !== 302 && res.status !== 400) break;
      if (res.status === 400) location = "/login/verify";
    }
  }
  if (res.status !== 302 || !jar.has("ember_session"))
    throw new Error(`sign-in as ${email} failed: HTTP ${res.status} ${location}`);
  const cookie = jar.only("ember_session");
  const home = await fetch(`${baseUrl}/`, { redirect: "manual", headers: { Cookie: cookie } });
  if (home.status === 302 && (home.headers.get("location") ?? "").startsWith("/account/mfa"))
    await enrolTotp(baseUrl, email, password, cookie);
  return cookie;
}

/** Staff without a second factor must set one up before anything else: do it as a person would. */
async function enrolTotp(baseUrl: string, email: string, password: string, cookie: string) {
  const page = await (await fetch(`${baseUrl}/account/mfa`, { headers: { Cookie: cookie } })).text();
  const secret = /name="secret" value="([A-Z2-7]+)"/.exec(page)?.[1];
  if (!secret) throw new Error(`${email} must set up two-step sign-in, and /account/mfa showed no key to enrol with`);
  const res = await fetch(`${baseUrl}/account/mfa`, {
    method: "POST",
    redirect: "manual",
    headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: baseUrl, Cookie: cookie },
    body: new URLSearchParams({ secret, code: totpCode(secret, 0), currentPassword: password }),
  });
  const check = await fetch(`${baseUrl}/`, { redirect: "manual", headers: { Cookie: cookie } });
  if (res.status !== 200 || check.status !== 200)
    throw new Error(`enrolling ${email} in two-step sign-in failed: HTTP ${res.status}, then ${check.status}`);
  enrolled.set(`${baseUrl} ${email}`, secret);
}
