import { randomBytes } from "node:crypto";
import { mkdir, rmdir, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import type { BrowserContext, Locator, Page } from "@playwright/test";
import { addDays, clinicToday, formatDateTime, zonedToUtc } from "../../app/lib/time";
import { expect, login, readMailbox, test as portal, type Mail } from "./fixtures";

/**
 * Steps the clinical journeys share, each done through the pages as a person would: a coordinator
 * creates a patient and builds the care team, a provider confirms engagement. Patients made here
 * have last names starting with E2E_PATIENT_PREFIX, so a check of the demo rosters can set them aside.
 */

/** Sorts after every demo patient, so the demo ones stay on the first page of a roster. */
export const E2E_PATIENT_PREFIX = "Zz-E2E";

/** The directory therapists of db/seed-demo.ts, by the name the portal shows, with their sign-in. */
export const DIRECTORY_THERAPISTS: Record<string, string> = {
  "Priya Raman, LMHC": "priya.therapist@demo.ember.test",
  "Marcus Bell, PsyD": "marcus.therapist@demo.ember.test",
  "Elena Sokolova, LCSW": "elena.therapist@demo.ember.test",
  "Jamal Carter, LMFT": "jamal.therapist@demo.ember.test",
  "Dana Whitfield, LCSW": "therapist@demo.ember.test",
};

/** A New York calendar date `days` from today, as a date input wants it. */
export function nyDate(days = 0): string {
  return addDays(clinicToday(), days);
}

/** The instant a New York wall clock reads `local` ("YYYY-MM-DDTHH:MM"). */
export function nyInstant(local: string): Date {
  const instant = zonedToUtc(local);
  if (!instant) throw new Error(`${local} does not exist in New York`);
  return instant;
}

/** An instant as the portal shows it: "Tue, Mar 10, 2026, 9:30 AM EDT". */
export const nyLabel = (instant: Date): string => formatDateTime(instant);

export interface NewPatient {
  id: string;
  firstName: string;
  lastName: string;
  /** As rosters and headings show the patient: "Last, First". */
  listed: string;
}

/** The one-line confirmation a page shows after a change (a flash message). */
export async function expectFlash(page: Page, message: string | RegExp) {
  await expect(page.getByRole("status").filter({ hasText: message })).toHaveText(message);
}

/**
 * Shared mailboxes (the demo accounts') also receive other journeys' mail, so a notice is counted
 * by its subject: take the count before the change, then wait for one more.
 */
export async function mailCount(page: Page, to: string, subject: string): Promise<number> {
  return (await readMailbox(page, to)).filter((m) => m.subject === subject).length;
}

export async function waitForMail(page: Page, to: string, subject: string, countBefore: number): Promise<Mail> {
  let newest: Mail | undefined;
  await expect
    .poll(
      async () => {
        const matching = (await readMailbox(page, to)).filter((m) => m.subject === subject);
        newest = matching[0];
        return matching.length;
      },
      { message: `a new "${subject}" email to ${to}`, timeout: 15_000, intervals: [100, 250, 500] },
    )
    .toBeGreaterThan(countBefore);
  return newest!;
}

type Session = Awaited<ReturnType<BrowserContext["storageState"]>>;

/**
 * Runs `work` while no other worker of this run does the same: a second sign-in to one account
 * replaces the first one's pending code challenge, so two at once would spoil each other.
 */
async function exclusively<T>(name: string, work: () => Promise<T>): Promise<T> {
  const lock = path.join(tmpdir(), `ember-e2e-${process.env.E2E_RUN_ID ?? "local"}-${name}.lock`);
  for (;;) {
    try {
      await mkdir(lock);
      break;
    } catch {
      // A worker that died holding the lock leaves it behind: a sign-in never takes two minutes.
      const since = await stat(lock).then(
        (s) => s.mtimeMs,
        () => Date.now(),
      );
      if (Date.now() - since > 120_000) await rmdir(lock).catch(() => {});
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
  try {
    return await work();
  } finally {
    await rmdir(lock).catch(() => {});
  }
}

/**
 * Journeys with several people in them. `signIn(email)` opens a browser of that person's own,
 * signed in. Where the portal asks Ember staff for a one-time code it takes each code only once,
 * so each worker signs each person in once, through `login()` and never at the same moment as
 * another worker, and later journeys reopen that session (signing in again if it has ended).
 * It also spares every journey the password hashing. Browsers opened here close after the test.
 */
export const test = portal.extend<{ signIn: (email: string) => Promise<Page> }, { sessions: Map<string, Session> }>({
  // eslint-disable-next-line no-empty-pattern -- Playwright reads a fixture's dependencies from this pattern.
  sessions: [async ({}, provide) => provide(new Map()), { scope: "worker" }],
  signIn: async ({ browser, sessions }, provide) => {
    const contexts: BrowserContext[] = [];
    await provide(async (email) => {
      const saved = sessions.get(email);
      const context = await browser.newContext(saved ? { storageState: saved } : {});
      contexts.push(context);
      const page = await context.newPage();
      if (saved) {
        await page.goto("/");
        if (await page.getByRole("button", { name: "Sign out" }).isVisible()) return page;
      }
      await exclusively(`sign-in-${email}`, () => login(page, email));
      sessions.set(email, await context.storageState());
      return page;
    });
    for (const context of contexts) await context.close();
  },
});

/** Chooses the option whose text contains `text`, for selects whose labels carry more than a name. */
export async function selectOptionContaining(select: Locator, text: string) {
  const value = await select.locator("option", { hasText: text }).first().getAttribute("value");
  expect(value, `an option containing "${text}"`).toBeTruthy();
  await select.selectOption(value!);
}

/**
 * The signed-in coordinator creates a patient from "New patient" and lands on the care-team page.
 * Diagnoses and risk flags are the labels on the form.
 */
export async function createPatient(
  page: Page,
  options: { label: string; diagnoses?: string[]; clinic?: string; insurance?: string; firstName?: string },
): Promise<NewPatient> {
  const firstName = options.firstName ?? "Robin";
  const lastName = `${E2E_PATIENT_PREFIX}-${options.label}-${randomBytes(3).toString("hex")}`;
  await page.goto("/");
  await page.getByRole("main").getByRole("link", { name: "New patient", exact: true }).click();
  await expect(page.getByRole("heading", { level: 1, name: "New patient" })).toBeVisible();
  await page.getByLabel("First name").fill(firstName);
  await page.getByLabel("Last name").fill(lastName);
  await page.getByLabel("Date of birth").fill("1988-04-17");
  await page.getByLabel("Preferred clinic").selectOption({ label: options.clinic ?? "Chelsea" });
  await page.getByLabel("Insurance or coverage").selectOption({ label: options.insurance ?? "Aetna" });
  for (const diagnosis of options.diagnoses ?? ["PTSD", "Major depressive disorder"]) {
    await page.getByRole("checkbox", { name: diagnosis, exact: true }).check();
  }
  await page.getByRole("button", { name: "Create patient", exact: true }).click();
  await expect(page).toHaveURL(/\/patients\/[0-9a-f-]{36}\/care-team$/);
  await expectFlash(page, "Patient created. Next: add the outside providers and record their releases.");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(`${lastName}, ${firstName}`);
  const id = /\/patients\/([0-9a-f-]{36})\//.exec(page.url())![1]!;
  return { id, firstName, lastName, listed: `${lastName}, ${firstName}` };
}

/** On the care-team page: the coordinator adds a provider who already has an account. */
export async function addExistingProvider(
  page: Page,
  providerName: string,
  teamRole: "Primary therapist" | "Psychiatrist" | "Other provider",
) {
  const add = page.getByRole("region", { name: "Add an existing provider" });
  await selectOptionContaining(add.getByLabel("Provider"), providerName);
  await add.getByLabel("Role on the team").selectOption({ label: teamRole });
  await add.getByRole("button", { name: "Add to care team" }).click();
  await expectFlash(
    page,
    "Provider added to the care team. Record their release of information so they can see this patient.",
  );
  await expect(page.getByRole("article", { name: `${providerName}, ${teamRole}` })).toBeVisible();
}

/** On the care-team page: the coordinator records a year-long release naming a team member. */
export async function recordRelease(page: Page, providerName: string) {
  const member = page.getByRole("article").filter({ has: page.getByRole("heading", { name: providerName }) });
  await member.getByText(`Manage ${providerName}`).click();
  const form = member.getByRole("form", { name: `Record a release for ${providerName}` });
  await form.getByLabel("Date signed").fill(nyDate());
  await form.getByLabel("Expires on").fill(nyDate(365));
  await form.getByRole("button", { name: "Record release" }).click();
  await expectFlash(page, "Release of information recorded.");
  await expect(member.getByText("Release of information: current")).toBeVisible();
}

/** A provider with access confirms they actively treat the patient, signing with their account name. */
export async function confirmEngagement(page: Page, patientId: string, signature: string) {
  await page.goto(`/patients/${patientId}/engagement`);
  await page.getByLabel("Treatment start date").fill(nyDate(-120));
  await page.getByLabel("Date of the most recent session").fill(nyDate(-4));
  await page.getByLabel("How often you see the patient").selectOption({ label: "Weekly" });
  await page.getByLabel("Do you confirm the PTSD diagnosis?").selectOption({ label: "Yes, PTSD is confirmed" });
  await page.getByLabel("Depression comorbidity").selectOption({ label: "Major depressive disorder" });
  await page.getByLabel("Trauma-focused therapy").selectOption({ label: "Written Exposure Therapy (WET)" });
  await page.getByLabel("Sessions held so far").fill("2");
  await page.getByLabel("I agree to coordinate this patient's care with Ember Health.").check();
  await page.getByLabel("Electronic signature: type your full name").fill(signature);
  await page.getByRole("button", { name: "Sign and confirm engagement" }).click();
  await expect(page).toHaveURL(`/patients/${patientId}`);
  await expectFlash(page, "Engagement confirmed. It is valid for 90 days.");
}

/** A course described by a pattern in the "Schedule visits" form: every few days, or on weekdays (Mon, Wed…). */
export interface CoursePatternInput {
  firstDay: string;
  time: string;
  count: number;
  everyDays?: number;
  weekdays?: string[];
}

/** Fills the pattern and asks for the preview; the proposed visits come back below it. */
export async function previewCourse(page: Page, input: CoursePatternInput) {
  const form = page.getByRole("region", { name: "Schedule visits" });
  await form.getByLabel("First date").fill(input.firstDay);
  await form.getByLabel("Start time").fill(input.time);
  await form.getByLabel("Number of visits").fill(String(input.count));
  if (input.weekdays) {
    await form.getByLabel("On the weekdays ticked below").check();
    for (const day of input.weekdays) await form.getByLabel(day, { exact: true }).check();
  } else {
    await form.getByLabel("Every few days").check();
    await form.getByLabel("Days between visits").fill(String(input.everyDays ?? 1));
  }
  await form.getByRole("button", { name: "Preview", exact: true }).click();
  await expect(form.getByRole("table", { name: /^Proposed visits/ })).toBeVisible();
  return form;
}
