import { randomBytes } from "node:crypto";
import { Secret, TOTP } from "otpauth";
import AxeBuilder from "@axe-core/playwright";
import { addDays, clinicToday } from "../../app/lib/time";
import {
  test as base,
  expect,
  request as playwrightRequest,
  type APIRequestContext,
  type Page,
} from "@playwright/test";

/**
 * Helpers so a journey reads like the story it tells: who signs in, what they read in their
 * mailbox, what they see. Demo accounts come from db/seed-demo.ts (synthetic people only).
 */

export const DEMO_PASSWORD = "ember-demo-2026";

export type Role = "therapist" | "psychiatrist" | "coordinator" | "clinician" | "admin";

export interface Account {
  email: string;
  name: string;
  role: Role;
  /** The heading of their home page. */
  home: "My patients" | "Patients";
  /** Patients listed on their home page ("Last, First"), in order. */
  patients: string[];
}

const ALL_PATIENTS = [
  "Achterberg, Emerson",
  "Albescu, Quinn",
  "Baptiste, Jordan",
  "Delacroix, Harper",
  "Feldstein, Morgan",
  "Lindqvist, Avery",
  "Moreau, Sage",
  "Nakamura, Riley",
  "Oyelaran, Casey",
  "Szabo, Rowan",
];

export const DEMO = {
  therapist: {
    email: "therapist@demo.ember.test",
    name: "Dana Whitfield, LCSW",
    role: "therapist",
    home: "My patients",
    patients: ["Baptiste, Jordan", "Lindqvist, Avery", "Nakamura, Riley", "Oyelaran, Casey"],
  },
  psychiatrist: {
    email: "psychiatrist@demo.ember.test",
    name: "Dr. Ravi Castellano",
    role: "psychiatrist",
    home: "My patients",
    patients: ["Baptiste, Jordan", "Feldstein, Morgan", "Lindqvist, Avery"],
  },
  coordinator: {
    email: "coordinator@demo.ember.test",
    name: "Maya Okafor",
    role: "coordinator",
    home: "Patients",
    patients: ALL_PATIENTS,
  },
  clinician: {
    email: "clinician@demo.ember.test",
    name: "Dr. Lena Brooks, MD",
    role: "clinician",
    home: "Patients",
    patients: ALL_PATIENTS,
  },
  admin: { email: "admin@demo.ember.test", name: "Sam Ortiz", role: "admin", home: "Patients", patients: ALL_PATIENTS },
} as const satisfies Record<Role, Account>;

export const GENERIC_SIGN_IN_ERROR = "The email or password is not right. Check both and try again.";
export const THROTTLED_SIGN_IN_ERROR =
  "Too many failed sign-in attempts. Sign-in is paused for this account for 15 minutes. Wait and try again, or reset your password.";

/** A check-digit-valid NPI (the CMS example number) and one whose check digit is wrong. */
export const VALID_NPI = "1234567893";
export const INVALID_NPI = "1234567890";

/** An address nobody else in this run uses, so journeys never share state. */
export function uniqueEmail(label: string): string {
  return `${label}-${Date.now().toString(36)}-${randomBytes(3).toString("hex")}@e2e.ember.test`;
}

/** A licence expiry a year from now, as the date input wants it. */
export function licenceExpiry(): string {
  return addDays(clinicToday(), 365);
}

/** Fills the sign-in form already on screen and submits it. */
export async function submitSignIn(page: Page, email: string, password: string) {
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
}

/** Signs in from the sign-in page and waits until the portal has let them in. */
/** The demo staff accounts' authenticator key, as seeded by db/seed-demo.ts. */
export const DEMO_TOTP_SECRET = "EMBERDEMOSTAFFTOTPKEYJBSWY3DPEHP";

/** Authenticator keys the tests know: the demo staff's, and any a test enrolled. */
const authenticatorKeys = new Map<string, string>();
const STAFF_ROLES_WITH_DEMO_KEY = ["coordinator", "clinician", "admin"];
for (const account of Object.values(DEMO))
  if (STAFF_ROLES_WITH_DEMO_KEY.includes(account.role)) authenticatorKeys.set(account.email, DEMO_TOTP_SECRET);

export function totpCode(secret: string, at = Date.now()): string {
  return new TOTP({ secret: Secret.fromBase32(secret), digits: 6, period: 30 }).generate({ timestamp: at });
}

export function rememberAuthenticator(email: string, secret: string) {
  authenticatorKeys.set(email, secret);
}

/**
 * The second sign-in step. The portal never accepts one code twice, and parallel tests may sign
 * in as the same account within 30 seconds: then the next step's code (accepted for clock drift)
 * is tried, and failing that the next step is awaited.
 */
export async function enterAuthenticatorCode(page: Page, email: string) {
  const secret = authenticatorKeys.get(email);
  if (!secret) throw new Error(`no authenticator key known for ${email}`);
  for (const offset of [0, 30_000, 60_000]) {
    if (offset === 60_000) await page.waitForTimeout(30_500 - (Date.now() % 30_000));
    await page.getByLabel("Code").fill(totpCode(secret, Date.now() + (offset === 60_000 ? 0 : offset)));
    const answer = page.waitForResponse(
      (r) => r.request().method() === "POST" && new URL(r.url()).pathname.startsWith("/login/verify"),
    );
    await page.getByRole("button", { name: "Verify" }).click();
    // Success is a redirect the page follows only after the answer arrives: judge by the answer, not the URL
    // at this instant (a second code sent after a success meets a spent challenge and fails).
    if ((await answer).status() < 400) {
      await page.waitForURL((url) => url.pathname !== "/login/verify");
      return;
    }
  }
  throw new Error(`second factor kept failing for ${email}`);
}

/** Staff signing in without a second factor enrol one first: read the key from the page, as a person would from the QR code. */
export async function enrolAuthenticator(page: Page, email: string, password: string): Promise<string[]> {
  const secret = (await page.getByTestId("totp-key").innerText()).replace(/\s+/g, "");
  await page.getByLabel("Code from the app").fill(totpCode(secret));
  await page.getByLabel("Current password").fill(password);
  await page.getByRole("button", { name: "Turn on two-step sign-in" }).click();
  // The codes are shown once, on the page the form leads to: wait for it rather than read the form's page.
  await expect(page.getByTestId("recovery-codes").locator("code")).toHaveCount(10);
  const codes = await page.getByTestId("recovery-codes").locator("code").allInnerTexts();
  rememberAuthenticator(email, secret);
  await page.getByRole("link", { name: "Continue to the portal" }).click();
  return codes;
}

/** Signs an API context in, answering the second-factor step the way `enterAuthenticatorCode` does. */
export async function apiSignIn(api: APIRequestContext, email: string, password: string = DEMO_PASSWORD) {
  const signIn = await api.post("/login", { form: { email, password, redirectTo: "/" }, maxRedirects: 0 });
  expect(signIn.status(), `${email} signs in`).toBe(302);
  if (!signIn.headers()["location"]?.startsWith("/login/verify")) return;
  const secret = authenticatorKeys.get(email);
  if (!secret) throw new Error(`no authenticator key known for ${email}`);
  for (const offset of [0, 30_000, 60_000]) {
    if (offset === 60_000) await new Promise((r) => setTimeout(r, 30_500 - (Date.now() % 30_000)));
    const code = totpCode(secret, Date.now() + (offset === 60_000 ? 0 : offset));
    const verify = await api.post("/login/verify", { form: { code, redirectTo: "/" }, maxRedirects: 0 });
    if (verify.status() === 302) return;
  }
  throw new Error(`second factor kept failing for ${email}`);
}

export async function login(page: Page, email: string, password: string = DEMO_PASSWORD) {
  await page.goto("/login");
  await submitSignIn(page, email, password);
  await page.waitForURL((url) => url.pathname !== "/login");
  if (new URL(page.url()).pathname === "/login/verify") await enterAuthenticatorCode(page, email);
  if (new URL(page.url()).pathname === "/account/mfa") await enrolAuthenticator(page, email, password);
  await expect(page).not.toHaveURL(/\/login/);
  // Signed in: "Sign out" in the header, or on a phone "Menu", which holds it.
  await expect(
    page
      .getByRole("button", { name: "Sign out" })
      .or(page.getByText("Menu", { exact: true }))
      .first(),
  ).toBeVisible();
}

export async function signOut(page: Page) {
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/login$/);
}

export interface Mail {
  subject: string;
  text: string;
  /** The first link into the portal in the message (absolute). */
  link: string;
  /** How many messages this address had when this one was read. */
  count: number;
}

const ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'", nbsp: "\u00a0" };
function decodeHtml(html: string): string {
  return html.replace(/<!--[\s\S]*?-->/g, "").replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, entity: string) => {
    if (entity[0] === "#") {
      const code = entity[1]?.toLowerCase() === "x" ? parseInt(entity.slice(2), 16) : parseInt(entity.slice(1), 10);
      return String.fromCodePoint(code);
    }
    return ENTITIES[entity.toLowerCase()] ?? whole;
  });
}

function parseMailbox(html: string, portalOrigin: string): Mail[] {
  const articles = [...html.matchAll(/<article\b[^>]*>([\s\S]*?)<\/article>/g)].map((m) => m[1]!);
  return articles.map((article, _i, all) => {
    const subject = decodeHtml(/<h2\b[^>]*>([\s\S]*?)<\/h2>/.exec(article)?.[1] ?? "").trim();
    const text = decodeHtml(/<pre\b[^>]*data-testid="mail-text"[^>]*>([\s\S]*?)<\/pre>/.exec(article)?.[1] ?? "");
    const link = (text.match(/https?:\/\/[^\s"<>\])]+/g) ?? []).find((url) => url.startsWith(`${portalOrigin}/`)) ?? "";
    return { subject, text, link, count: all.length };
  });
}

/**
 * The newest email to `to` in the portal's local mailbox (/dev/mail). Mail is delivered by a
 * background worker, so this waits for it; with `after`, it waits for a message newer than that one.
 */
export async function readLatestMail(
  source: Page | APIRequestContext,
  to: string,
  options: { after?: Mail } = {},
): Promise<Mail> {
  const api = "request" in source ? source.request : source;
  let latest: Mail | undefined;
  await expect
    .poll(
      async () => {
        const response = await api.get(`/dev/mail?${new URLSearchParams({ to })}`);
        if (!response.ok()) throw new Error(`/dev/mail answered ${response.status()}`);
        const origin = new URL(response.url()).origin;
        latest = parseMailbox(await response.text(), origin)[0];
        return latest?.count ?? 0;
      },
      { message: `an email to ${to}`, timeout: 15_000, intervals: [100, 200, 250, 500] },
    )
    .toBeGreaterThan(options.after?.count ?? 0);
  return latest!;
}

/** Asserts axe-core finds no accessibility violations (WCAG 2.x A/AA and best practice) on the page as it is. */
export async function expectNoAxeViolations(page: Page) {
  const results = await new AxeBuilder({ page }).analyze();
  expect(results.passes.length, "axe ran its rules").toBeGreaterThan(0);
  const summary = results.violations.map((v) => ({
    rule: v.id,
    impact: v.impact,
    help: v.help,
    targets: v.nodes.map((n) => n.target.join(" ")),
  }));
  expect(summary, `axe violations on ${page.url()}`).toEqual([]);
}

export interface NewUser {
  email: string;
  name: string;
  password: string;
  role: Role;
}

/**
 * Makes a portal account the way a real one is made, without a browser: the demo coordinator
 * (or admin, for Ember staff, whom only an admin may invite) sends an invitation, and the invitee accepts it
 * from the emailed link. For journeys whose story starts with "a user who already has an account".
 */
export async function createUserByInvitation(
  baseURL: string,
  role: Role = "clinician",
  label = role,
): Promise<NewUser> {
  const user: NewUser = {
    email: uniqueEmail(label),
    name: `E2E ${label} ${randomBytes(3).toString("hex")}`,
    password: `e2e-pass-${randomBytes(8).toString("hex")}`,
    role,
  };
  const inviter = role === "therapist" || role === "psychiatrist" ? DEMO.coordinator : DEMO.admin;
  const staff = await playwrightRequest.newContext({ baseURL });
  const invitee = await playwrightRequest.newContext({ baseURL });
  try {
    await apiSignIn(staff, inviter.email, DEMO_PASSWORD);
    const invite = await staff.post("/invitations", {
      form: { intent: "invite", email: user.email, role },
      maxRedirects: 0,
    });
    expect(invite.status(), "invitation is sent").toBe(302);
    const mail = await readLatestMail(staff, user.email);
    const provider = role === "therapist" || role === "psychiatrist";
    const accept = await invitee.post(new URL(mail.link).pathname, {
      form: {
        name: user.name,
        organisation: provider ? "E2E Practice" : "",
        password: user.password,
        confirmPassword: user.password,
        ...(provider
          ? {
              licenceType: "LCSW",
              licenceNumber: "E2E-1",
              licenceState: "NY",
              licenceExpiresOn: licenceExpiry(),
              npi: VALID_NPI,
            }
          : {}),
      },
      maxRedirects: 0,
    });
    expect(accept.status(), "invitation is accepted").toBe(302);
    return user;
  } finally {
    await staff.dispose();
    await invitee.dispose();
  }
}

export const test = base.extend<{ createUser: (role?: Role) => Promise<NewUser> }>({
  // `provide` is Playwright's `use`, renamed so the React hooks lint rule does not mistake it for React's.
  createUser: async ({ baseURL }, provide) => {
    await provide((role) => createUserByInvitation(baseURL!, role));
  },
});

export { expect };

/** Every email to `to` in the local mailbox, newest first, as it is now (the mailbox lists the newest 50). */
export async function readMailbox(source: Page | APIRequestContext, to: string): Promise<Mail[]> {
  const api = "request" in source ? source.request : source;
  const response = await api.get(`/dev/mail?${new URLSearchParams({ to })}`);
  if (!response.ok()) throw new Error(`/dev/mail answered ${response.status()}`);
  return parseMailbox(await response.text(), new URL(response.url()).origin);
}
