import { execFile, spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import type { Browser, Page } from "@playwright/test";
import { recreateDatabase } from "../support/e2e-db";
import { DEMO, expect, expectNoAxeViolations, login, test } from "../support/fixtures";
import {
  addExistingProvider,
  confirmEngagement,
  createPatient,
  expectFlash,
  mailCount,
  nyDate,
  nyInstant,
  recordRelease,
  waitForMail,
  type NewPatient,
} from "../support/journeys";
import { e2eDatabase, SAFETY_PORT, urlFor } from "../support/servers";

/**
 * Journeys that need time to pass: an unacknowledged safety concern escalating, and a score taken
 * after a course that began in the past. They run on a server of their own whose PostgreSQL
 * database this test also reaches, to run the scheduler's escalation at a chosen moment and to
 * date a course in the past (DATABASE_URL's server, or else the one on 127.0.0.1:5432).
 */
const POSTGRES_URL = process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const BASE_URL = urlFor(SAFETY_PORT);
const CONCERN_SUBJECT = "Urgent: a safety concern was posted for one of your Ember patients";
const ESCALATION_SUBJECT = "Escalated: a safety signal for an Ember patient is still unacknowledged";
const run = promisify(execFile);

let databaseUrl = "";
let server: ChildProcess | null = null;

async function task(...args: string[]) {
  const { stdout } = await run(process.execPath, ["--import", "tsx", "tests/support/e2e-tasks.ts", ...args], {
    cwd: root,
  });
  return JSON.parse(stdout) as Record<string, unknown>;
}

async function signedIn(browser: Browser, email: string): Promise<Page> {
  const context = await browser.newContext({ baseURL: BASE_URL });
  const page = await context.newPage();
  await login(page, email);
  return page;
}

async function patientWithTherapist(page: Page, label: string): Promise<NewPatient> {
  const patient = await createPatient(page, { label });
  await addExistingProvider(page, DEMO.therapist.name, "Primary therapist");
  await recordRelease(page, DEMO.therapist.name);
  return patient;
}

test.describe("safety escalation and worsening scores", () => {
  test.describe.configure({ mode: "serial" });
  test.setTimeout(180_000);

  test.beforeAll(async () => {
    databaseUrl = await recreateDatabase(POSTGRES_URL, e2eDatabase("safety")).catch((error: unknown) => {
      throw new Error(
        `these journeys need a PostgreSQL server (set DATABASE_URL; none answered at ${new URL(POSTGRES_URL).host}): ${String(error)}`,
      );
    });
    server = spawn(process.execPath, ["--import", "tsx", "server/index.ts"], {
      cwd: root,
      env: {
        ...process.env,
        DATABASE_URL: databaseUrl,
        SEED_DEMO: "true",
        PORT: String(SAFETY_PORT),
        HOST: "127.0.0.1",
        APP_URL: BASE_URL,
        LOG_LEVEL: "silent",
        DATA_DIR: "",
        MAIL_WORKER_INTERVAL_MS: "200",
      },
      stdio: "ignore",
    });
    await expect
      .poll(async () => (await fetch(`${BASE_URL}/readyz`).catch(() => null))?.status, {
        timeout: 90_000,
        intervals: [500],
      })
      .toBe(200);
  });

  test.afterAll(async () => {
    if (server && server.exitCode === null) {
      const exited = new Promise((resolve) => server!.once("exit", resolve));
      server.kill("SIGTERM");
      await exited;
    }
  });

  test("a safety concern reaches a clinician's mailbox at once, escalates when nobody acknowledges it, and the team sees who answered", async ({
    browser,
  }) => {
    const coordinator = await signedIn(browser, DEMO.coordinator.email);
    const patient = await patientWithTherapist(coordinator, "Escalate");
    const before = {
      concern: await mailCount(coordinator, DEMO.clinician.email, CONCERN_SUBJECT),
      clinician: await mailCount(coordinator, DEMO.clinician.email, ESCALATION_SUBJECT),
      admin: await mailCount(coordinator, DEMO.admin.email, ESCALATION_SUBJECT),
    };

    const therapist = await signedIn(browser, DEMO.therapist.email);
    await therapist.goto(`/patients/${patient.id}/notes`);
    await therapist.getByLabel("Kind of note").selectOption({ label: "Safety concern" });
    await therapist
      .getByLabel("Note", { exact: true })
      .fill("Patient disclosed passive suicidal ideation today; no plan or intent.");
    await therapist.getByRole("button", { name: "Post note" }).click();
    await expectFlash(
      therapist,
      /^Safety concern posted; \d+ Ember clinicians, coordinators and team members were notified at once\.$/,
    );

    // The Ember clinician, who alone can acknowledge it, is emailed at once: a notice and a link.
    const notice = await waitForMail(coordinator, DEMO.clinician.email, CONCERN_SUBJECT, before.concern);
    expect(notice.link).toBe(`${BASE_URL}/patients/${patient.id}/notes`);
    expect(notice.text).not.toContain(patient.lastName);

    // An hour and a minute on, nobody has acknowledged it: the scheduler escalates it, once.
    const later = new Date(Date.now() + 61 * 60_000).toISOString();
    expect(((await task("escalate", databaseUrl, BASE_URL, later)).queued as number) > 0).toBe(true);
    expect(await task("escalate", databaseUrl, BASE_URL, later)).toEqual({ queued: 0 });
    for (const [email, count] of [
      [DEMO.clinician.email, before.clinician],
      [DEMO.admin.email, before.admin],
    ] as const) {
      const mail = await waitForMail(coordinator, email, ESCALATION_SUBJECT, count);
      expect(mail.link).toBe(`${BASE_URL}/patients/${patient.id}/notes`);
      expect(mail.text).not.toContain(patient.lastName);
    }

    // Marked escalated on the dashboards that show it.
    const clinician = await signedIn(browser, DEMO.clinician.email);
    const banner = clinician
      .getByRole("region", { name: "Unacknowledged safety concerns" })
      .getByRole("alert")
      .filter({ has: clinician.getByRole("link", { name: patient.listed }) });
    await clinician.goto("/");
    await expect(banner).toContainText("escalated");
    await clinician.goto(`/patients/${patient.id}`);
    await expect(clinician.getByRole("region", { name: "Unacknowledged safety signals" })).toContainText(
      "Safety concern escalated raised",
    );
    await coordinator.goto("/work-list");
    const row = coordinator
      .getByTestId("safety-alert")
      .filter({ has: coordinator.getByRole("link", { name: new RegExp(patient.lastName) }) });
    await expect(row).toContainText("safety concern");
    await expect(row).toContainText("escalated");
    await expect(row).toContainText("not acknowledged");
    await expectNoAxeViolations(coordinator);

    // The clinician acknowledges it; the whole team reads who, when (New York time, zone named) and what.
    await clinician.goto(`/patients/${patient.id}/notes`);
    const note = clinician.getByRole("article").filter({ hasText: "passive suicidal ideation" });
    await expect(note.getByRole("alert")).toContainText("escalated");
    await note.getByLabel("Response and action taken").fill("Called the patient; safe, plan in place.");
    await note.getByRole("button", { name: "Acknowledge" }).click();
    await expectFlash(clinician, "Safety concern acknowledged; it no longer shows on the team's dashboards.");
    await therapist.reload();
    const seen = therapist.getByRole("article").filter({ hasText: "passive suicidal ideation" });
    await expect(seen).toContainText(
      new RegExp(
        `Acknowledged by ${DEMO.clinician.name} · .+ (EST|EDT) \\(after escalation\\) — Called the patient; safe, plan in place\\.`,
      ),
    );
    await coordinator.reload();
    await expect(row).toContainText(new RegExp(`acknowledged by ${DEMO.clinician.name} after \\d+ min`));
    await clinician.goto("/");
    await expect(banner).toHaveCount(0);
  });

  test("a PCL-5 worse than baseline is shown as a worsening, never in the success colour, and due for a booster review", async ({
    browser,
  }) => {
    const coordinator = await signedIn(browser, DEMO.coordinator.email);
    const patient = await patientWithTherapist(coordinator, "Worse");
    // A course whose two visits are already behind us: ten and three days ago.
    await task(
      "past-course",
      databaseUrl,
      patient.id,
      DEMO.clinician.email,
      nyInstant(`${nyDate(-10)}T10:00`).toISOString(),
      nyInstant(`${nyDate(-3)}T10:00`).toISOString(),
    );

    const therapist = await signedIn(browser, DEMO.therapist.email);
    await therapist.goto(`/patients/${patient.id}/measures`);
    const record = async (takenOn: string, items: number[]) => {
      await therapist.getByText("Record a PCL-5", { exact: true }).click();
      const form = therapist.getByRole("form", { name: "Record a PCL-5" });
      await form.getByLabel("Date taken").fill(takenOn);
      for (const [i, answer] of items.entries())
        await form
          .getByRole("group", { name: new RegExp(`^${i + 1}\\. `) })
          .getByRole("radio", { name: new RegExp(`^${answer} — `) })
          .check();
      await form.getByRole("button", { name: "Save PCL-5" }).click();
      // The saved page opens with the form folded away; waiting for it keeps the next save from
      // clicking into the page that is still being replaced (the earlier flash reads the same).
      await expect(form).toBeHidden();
    };
    await record(nyDate(-12), [...Array<number>(10).fill(4), ...Array<number>(10).fill(0)]);
    await expectFlash(therapist, "PCL-5 recorded.");
    // Between the two visits: read against the baseline before the first one.
    await record(nyDate(-5), [...Array<number>(9).fill(4), 2, ...Array<number>(10).fill(0)]);
    await expectFlash(therapist, "PCL-5 recorded.");
    await record(nyDate(0), [...Array<number>(13).fill(4), ...Array<number>(7).fill(0)]);
    await expectFlash(
      therapist,
      "PCL-5 recorded. The scores show lost response or a meaningful worsening: a booster review is now due.",
    );

    const rows = therapist
      .getByRole("table", { name: "All scores (the data behind the charts)" })
      .getByRole("row")
      .filter({ has: therapist.getByRole("cell") });
    const change = (i: number) => rows.nth(i).getByRole("cell").nth(4);
    await expect(change(0)).toHaveText("worse by 12 clinically meaningful worsening");
    await expect(change(1)).toHaveText("improved by 2");
    await expect(change(2)).toHaveText("baseline");
    const worse = change(0).getByText("worse by 12");
    expect(await worse.evaluate((el) => getComputedStyle(el).color)).toBe("rgb(180, 35, 24)");
    await expect(change(0).getByText("clinically meaningful worsening")).toHaveClass(/badge-bad/);

    // The definitions the page reads by, beside the charts.
    const definitions = therapist.getByRole("region", { name: "How these scores are read" });
    for (const text of [
      "a fall of 50% or more from baseline",
      "a PHQ-9 under 5",
      "10 points or more from baseline, either way",
      "a PCL-5 of 33 or more",
    ]) {
      await expect(definitions).toContainText(text);
    }
    await expectNoAxeViolations(therapist);

    // The team is told like a loss of response: a booster review on the work list.
    await coordinator.goto("/work-list");
    await expect(
      coordinator
        .getByRole("region", { name: /Booster reviews due/ })
        .getByRole("listitem")
        .filter({ hasText: patient.lastName }),
    ).toContainText("the PCL-5 is meaningfully worse than baseline");
  });

  test("an infusion visit: the clinician runs the pre-infusion check, records it held with vital signs and a dissociation rating, signs it, and the therapist reads the summary", async ({
    browser,
  }) => {
    const coordinator = await signedIn(browser, DEMO.coordinator.email);
    const patient = await patientWithTherapist(coordinator, "Visit");
    const therapist = await signedIn(browser, DEMO.therapist.email);
    await confirmEngagement(therapist, patient.id, DEMO.therapist.name);
    // Yesterday at 10:00: a visit that has started, as only the past can give.
    const day = nyDate(-1);
    await task("past-course", databaseUrl, patient.id, DEMO.clinician.email, nyInstant(`${day}T10:00`).toISOString());

    const clinician = await signedIn(browser, DEMO.clinician.email);
    await clinician.goto(`/patients/${patient.id}/infusions`);
    await clinician.getByRole("link", { name: /^Record the outcome/ }).click();
    const check = clinician.getByRole("region", { name: "Pre-infusion check" });
    await expect(check).toContainText("not completed");
    await expect(check).toContainText("allows the infusion");
    await expect(check).toContainText(`${DEMO.therapist.name}: current until`);
    await expectNoAxeViolations(clinician);
    await check.getByRole("button", { name: "Complete the check" }).click();
    await expectFlash(clinician, /^Pre-infusion check complete/);
    await expect(clinician.getByRole("region", { name: "Pre-infusion check" })).toContainText(
      `complete by ${DEMO.clinician.name}`,
    );

    const outcome = clinician.getByRole("region", { name: "Outcome" });
    await outcome.getByLabel("Held: the infusion was given as planned").check();
    await outcome.getByRole("button", { name: "Record the outcome" }).click();
    await expectFlash(clinician, /^Visit recorded as held\./);

    const record = clinician.getByRole("region", { name: "Infusion record" });
    await record.getByLabel("Dose (mg/kg)").fill("0.5");
    await record.getByLabel("Total dose (mg)").fill("36");
    await record.getByLabel("Infusion started").fill(`${day}T10:15`);
    await record.getByLabel("Infusion ended").fill(`${day}T10:55`);
    for (const [label, value] of [
      ["Systolic before", "172"],
      ["Diastolic before", "104"],
      ["Heart rate before", "80"],
      ["Systolic during", "150"],
      ["Diastolic during", "95"],
      ["Heart rate during", "88"],
      ["Systolic after", "130"],
      ["Diastolic after", "85"],
      ["Heart rate after", "76"],
      ["Lowest SpO2 (%)", "96"],
    ] as const)
      await record.getByLabel(label, { exact: true }).fill(value);
    await record.getByLabel("2 · Moderate").check();
    await record.getByLabel("Nausea").check();
    await record.getByLabel("Recovered").fill(`${day}T11:20`);
    await record.getByLabel("Discharged").fill(`${day}T11:30`);
    await record.getByLabel("Escort home (name and relationship)").fill("Partner (synthetic)");
    await record.getByRole("button", { name: "Save the record" }).click();
    await expectFlash(clinician, /^Infusion record saved/);
    await expect(clinician.getByRole("region", { name: "Infusion record" })).toContainText(
      "Blood pressure before the infusion 172/104 is above the clinic's limit of 160/100.",
    );
    await expectNoAxeViolations(clinician);
    await clinician
      .getByRole("region", { name: "Infusion record" })
      .getByRole("button", { name: "Sign the record and send the summary" })
      .click();
    await expectFlash(clinician, /^Record signed\. The infusion summary is in the care notes/);
    const signed = clinician.getByRole("region", { name: "Infusion record" });
    await expect(signed).toContainText(`signed by ${DEMO.clinician.name}`);
    await expect(signed.getByRole("button", { name: "Save the record" })).toHaveCount(0);

    // The outside therapist reads the summary: how it went and the window, not the dose.
    await therapist.goto(`/patients/${patient.id}/notes`);
    const summary = therapist.getByRole("article").filter({ hasText: "Dissociation during the infusion" });
    await expect(summary).toContainText("Tolerated with adverse events: Nausea.");
    await expect(summary).toContainText("Dissociation during the infusion: moderate (2 of 4).");
    await expect(summary).toContainText("Therapy window: opens");
    await expect(summary).not.toContainText("mg/kg");
    await expectNoAxeViolations(therapist);
  });
});
