import type { Page } from "@playwright/test";
import { DEMO, expect, expectNoAxeViolations } from "../support/fixtures";
import {
  addExistingProvider,
  confirmEngagement,
  createPatient,
  expectFlash,
  mailCount,
  nyDate,
  recordRelease,
  waitForMail,
  type NewPatient,
  test,
  previewCourse,
} from "../support/journeys";

const ALERT_SUBJECT = "Urgent: a safety signal was recorded for an Ember patient";
const SAFETY_FLASH =
  "PHQ-9 recorded. Item 9 is above 0: an urgent safety alert went to the clinicians, coordinators and care team.";

/** Opens a PHQ-9 or PCL-5 form and fills its date. */
async function openMeasureForm(page: Page, instrument: "PHQ-9" | "PCL-5", takenOn: string) {
  await page.getByText(`Record a ${instrument}`, { exact: true }).click();
  const form = page.getByRole("form", { name: `Record a ${instrument}` });
  await form.getByLabel("Date taken").fill(takenOn);
  return form;
}

/** Fills a PHQ-9 or PCL-5 item by item, one click an answer; the portal computes the total. */
async function recordMeasure(page: Page, instrument: "PHQ-9" | "PCL-5", takenOn: string, items: number[]) {
  const form = await openMeasureForm(page, instrument, takenOn);
  for (const [i, answer] of items.entries())
    await form
      .getByRole("group", { name: new RegExp(`^${i + 1}\\. `) })
      .getByRole("radio", { name: new RegExp(`^${answer} — `) })
      .check();
  await form.getByRole("button", { name: `Save ${instrument}` }).click();
}

const longDate = (day: string) =>
  new Intl.DateTimeFormat("en-US", { timeZone: "UTC", month: "short", day: "numeric", year: "numeric" }).format(
    new Date(`${day}T00:00:00Z`),
  );

const scoreRows = (page: Page) =>
  page
    .getByRole("table", { name: "All scores (the data behind the charts)" })
    .getByRole("row")
    .filter({ has: page.getByRole("cell") });

/** The home page's banner for this patient's open PHQ-9 safety alert. */
const alertBanner = (page: Page, patient: NewPatient) =>
  page
    .getByRole("region", { name: "Unacknowledged safety alerts" })
    .getByRole("alert")
    .filter({ has: page.getByRole("link", { name: patient.listed }) });

test.describe("symptom measures", () => {
  test("baseline PHQ-9 and PCL-5 are marked against the course, and the charts show the visits with a text alternative and the data", async ({
    signIn,
  }) => {
    test.slow();
    test.slow();
    const page = await signIn(DEMO.coordinator.email);
    const patient = await createPatient(page, { label: "Measures" });
    await addExistingProvider(page, DEMO.therapist.name, "Primary therapist");
    await recordRelease(page, DEMO.therapist.name);
    const therapist = await signIn(DEMO.therapist.email);
    await confirmEngagement(therapist, patient.id, DEMO.therapist.name);

    // Baseline scores before any infusion is scheduled: nothing to compare them with yet.
    await therapist.goto(`/patients/${patient.id}/measures`);
    await expect(therapist.getByRole("heading", { name: "No scores yet" })).toBeVisible();
    const baselineDay = nyDate(-3);
    await recordMeasure(therapist, "PHQ-9", baselineDay, [2, 3, 2, 2, 2, 2, 2, 2, 0]);
    await expectFlash(therapist, "PHQ-9 recorded.");
    await recordMeasure(therapist, "PCL-5", baselineDay, [3, 3, 3, 3, 3, 3, 3, 2, 3, 3, 3, 3, 3, 2, 3, 2, 3, 3, 2, 1]);
    await expectFlash(therapist, "PCL-5 recorded.");
    const phq9 = scoreRows(therapist).filter({ hasText: "PHQ-9" });
    const pcl5 = scoreRows(therapist).filter({ hasText: "PCL-5" });
    const recordedBy = new RegExp(`^${DEMO.therapist.name}, `);
    await expect(phq9.getByRole("cell")).toHaveText([
      longDate(baselineDay),
      "PHQ-9",
      "17 / 27",
      "moderately severe",
      "—",
      recordedBy,
    ]);
    await expect(pcl5.getByRole("cell")).toHaveText([
      longDate(baselineDay),
      "PCL-5",
      "54 / 80",
      "B 15 · C 6 · D 19 · E 14 probable PTSD",
      "—",
      recordedBy,
    ]);
    await expect(therapist.getByRole("img", { name: /^PHQ-9 over time/ })).toHaveAccessibleName(
      `PHQ-9 over time 1 PHQ-9 score from ${longDate(baselineDay)} (17) to ${longDate(baselineDay)} (17). 0 infusion visits, shown as vertical lines.`,
    );

    // The clinician schedules the course, in the future as every visit must be.
    const visitDays = [15, 17, 19, 21, 23].map((d) => nyDate(d));
    const clinician = await signIn(DEMO.clinician.email);
    await clinician.goto(`/patients/${patient.id}/infusions`);
    const schedule = clinician.getByRole("region", { name: "Schedule visits" });
    await previewCourse(clinician, { firstDay: visitDays[0]!, time: "15:30", count: 5, everyDays: 2 });
    for (const [i, day] of visitDays.entries())
      await expect(schedule.getByLabel(`Visit ${i + 1}`, { exact: true })).toHaveValue(`${day}T15:30`);
    await schedule.getByRole("button", { name: "Book these 5 visits" }).click();
    await expectFlash(clinician, "5 visits scheduled; the care team was notified.");

    // The scores taken before the first visit are now the course's baseline, and the charts mark the visits.
    await therapist.reload();
    await expect(phq9.getByRole("cell").nth(4)).toHaveText("baseline");
    await expect(pcl5.getByRole("cell").nth(4)).toHaveText("baseline");
    const visits = `5 infusion visits from ${longDate(visitDays[0]!)} to ${longDate(visitDays[4]!)}, shown as vertical lines.`;
    const phq9Chart = therapist.getByRole("img", { name: /^PHQ-9 over time/ });
    const pcl5Chart = therapist.getByRole("img", { name: /^PCL-5 over time/ });
    await expect(phq9Chart).toHaveAccessibleName(
      `PHQ-9 over time 1 PHQ-9 score from ${longDate(baselineDay)} (17) to ${longDate(baselineDay)} (17). ${visits}`,
    );
    await expect(pcl5Chart).toHaveAccessibleName(
      `PCL-5 over time 1 PCL-5 score from ${longDate(baselineDay)} (54) to ${longDate(baselineDay)} (54). ${visits}`,
    );
    await expect(phq9Chart.locator("line.visit-line")).toHaveCount(5);
    await expect(pcl5Chart.locator("line.visit-line")).toHaveCount(5);
    await expect(therapist.getByRole("region", { name: "Due for the current course" })).toContainText(
      "Baseline, before the first infusion:",
    );
    await expect(
      therapist.getByRole("listitem").filter({ hasText: "Baseline, before the first infusion" }),
    ).toContainText("done");

    // A later score taken before the course starts replaces it as the baseline. Change and response
    // are computed only for scores dated after the first visit's day, and the portal takes no score
    // dated after today nor a visit in the past: response is covered by the scoring unit tests and
    // belongs in an integration test with a moved clock, not in this journey.
    await recordMeasure(therapist, "PHQ-9", nyDate(0), [1, 1, 1, 1, 1, 1, 1, 1, 0]);
    await expectFlash(therapist, "PHQ-9 recorded.");
    await expect(phq9).toHaveCount(2);
    await expect(phq9.first().getByRole("cell")).toHaveText([
      longDate(nyDate(0)),
      "PHQ-9",
      "8 / 27",
      "mild",
      "baseline",
      recordedBy,
    ]);
    await expect(phq9.first().getByRole("cell").nth(4)).toHaveText("baseline");
    await expect(phq9.last().getByRole("cell").nth(4)).toHaveText("—");
    await expect(phq9Chart).toHaveAccessibleName(
      new RegExp(
        `^PHQ-9 over time 2 PHQ-9 scores from ${longDate(baselineDay)} \\(17\\) to ${longDate(nyDate(0))} \\(8\\)\\.`,
      ),
    );
    await expect(phq9Chart.locator("circle.series-point")).toHaveCount(2);
    await expectNoAxeViolations(therapist);
  });

  test("without JavaScript a PHQ-9 still saves: a missing item comes back with its message and the answers kept, then the server scores it; on a phone nothing scrolls sideways", async ({
    browser,
    signIn,
  }) => {
    test.slow();
    const page = await signIn(DEMO.coordinator.email);
    const patient = await createPatient(page, { label: "NoScript" });
    await addExistingProvider(page, DEMO.therapist.name, "Primary therapist");
    await recordRelease(page, DEMO.therapist.name);
    const withScript = await signIn(DEMO.therapist.email);

    // A phone's width: every item's answers fit, two a row.
    await withScript.setViewportSize({ width: 390, height: 844 });
    await withScript.goto(`/patients/${patient.id}/measures`);
    await withScript.getByText("Record a PHQ-9", { exact: true }).click();
    await withScript.getByText("Record a PCL-5", { exact: true }).click();
    await expect(withScript.getByRole("form", { name: "Record a PCL-5" })).toBeVisible();
    expect(await withScript.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await expectNoAxeViolations(withScript);
    // Saved with nothing answered, every item says what it needs (axe needs JavaScript to look).
    const phq9 = withScript.getByRole("form", { name: "Record a PHQ-9" });
    await phq9.getByRole("button", { name: "Save PHQ-9" }).click();
    await expect(phq9.getByRole("group", { name: /^1\. / })).toHaveAccessibleDescription("Answer item 1.");
    await expectNoAxeViolations(withScript);

    const therapist = await (
      await browser.newContext({ javaScriptEnabled: false, storageState: await withScript.context().storageState() })
    ).newPage();
    await therapist.goto(`/patients/${patient.id}/measures`);
    const form = await openMeasureForm(therapist, "PHQ-9", nyDate(0));
    const item = (n: number) => form.getByRole("group", { name: new RegExp(`^${n}\\. `) });
    for (const n of [1, 2, 3, 4, 5, 6, 7, 8]) await item(n).getByRole("radio", { name: /^1 — / }).check();
    await form.getByRole("button", { name: "Save PHQ-9" }).click();

    const refused = therapist.getByRole("form", { name: "Record a PHQ-9" });
    await expect(refused.getByRole("alert")).toHaveText(
      "Every item needs an answer: see the messages below. Nothing was saved.",
    );
    await expect(item(9)).toHaveAccessibleDescription("Answer item 9.");
    for (const n of [1, 2, 3, 4, 5, 6, 7, 8])
      await expect(item(n).getByRole("radio", { checked: true })).toHaveAccessibleName("1 — Several days");
    await expect(refused.getByRole("status")).toHaveText("Total so far: 8 / 27 · 8 of 9 answered");

    await item(9).getByRole("radio", { name: /^0 — / }).check();
    await refused.getByRole("button", { name: "Save PHQ-9" }).click();
    await expectFlash(therapist, "PHQ-9 recorded.");
    await expect(scoreRows(therapist).first().getByRole("cell").nth(2)).toHaveText("8 / 27");
  });

  test("a PHQ-9 with item 9 above 0 alerts the clinicians at once and stays until one acknowledges it", async ({
    signIn,
  }) => {
    test.slow();
    test.slow();
    const page = await signIn(DEMO.coordinator.email);
    const patient = await createPatient(page, { label: "Item9" });
    await addExistingProvider(page, DEMO.therapist.name, "Primary therapist");
    await recordRelease(page, DEMO.therapist.name);
    const before = {
      clinician: await mailCount(page, DEMO.clinician.email, ALERT_SUBJECT),
      coordinator: await mailCount(page, DEMO.coordinator.email, ALERT_SUBJECT),
    };

    const therapist = await signIn(DEMO.therapist.email);
    await therapist.goto(`/patients/${patient.id}/measures`);
    // By keyboard: from the first item, one number an item, each moving on to the next.
    const phq9Form = await openMeasureForm(therapist, "PHQ-9", nyDate(-1));
    const total = phq9Form.getByRole("status");
    await expect(total).toHaveText("Total so far: 0 / 27 · 0 of 9 answered");
    await phq9Form.getByRole("radio", { name: "0 — Not at all" }).first().focus();
    for (const key of ["2", "1", "1"]) await therapist.keyboard.press(key);
    await expect(total).toHaveText("Total so far: 4 / 27 · 3 of 9 answered");
    // The arrow keys move within an item and Tab to the next, as radio buttons do.
    await therapist.keyboard.press("Space");
    await therapist.keyboard.press("ArrowRight");
    await therapist.keyboard.press("Tab");
    for (const key of ["1", "1", "0", "1", "1"]) await therapist.keyboard.press(key);
    await expect(total).toHaveText("Total so far: 9 / 27 · 9 of 9 answered");
    await expect(
      phq9Form.getByRole("group", { name: /^9\. / }).getByRole("radio", { checked: true }),
    ).toHaveAccessibleName("1 — Several days");
    await expect(phq9Form.getByRole("button", { name: "Save PHQ-9" })).toBeFocused();
    await expectNoAxeViolations(therapist);
    await therapist.keyboard.press("Enter");
    await expectFlash(therapist, SAFETY_FLASH);
    const banner = (viewer: Page) => viewer.getByRole("alert").filter({ hasText: "Urgent safety alert:" });
    // The alert says the day the score was taken.
    await expect(banner(therapist)).toContainText(
      `PHQ-9 item 9 (thoughts of self-harm) above 0, score taken ${longDate(nyDate(-1))}; raised `,
    );
    await expect(banner(therapist)).toContainText("Waiting for an Ember clinician to acknowledge it.");
    await expect(banner(therapist).getByRole("button", { name: "Acknowledge" })).toHaveCount(0);
    await expect(scoreRows(therapist).first()).toContainText("item 9 above 0");
    // The form starts afresh after a save: no answers are left in it to be saved twice.
    await expect(therapist.getByRole("form", { name: "Record a PHQ-9" })).toBeHidden();

    // The clinicians and coordinators are emailed, without the patient's name.
    for (const [email, count] of [
      [DEMO.clinician.email, before.clinician],
      [DEMO.coordinator.email, before.coordinator],
    ] as const) {
      const mail = await waitForMail(page, email, ALERT_SUBJECT, count);
      expect(mail.link).toMatch(new RegExp(`/patients/${patient.id}/measures$`));
      expect(mail.text).not.toContain(patient.lastName);
    }

    // It is on the clinician's dashboard, and a reassuring later PHQ-9 does not clear it.
    const clinician = await signIn(DEMO.clinician.email);
    await expect(alertBanner(clinician, patient)).toContainText(
      `PHQ-9 item 9 above 0, score taken ${longDate(nyDate(-1))}; raised `,
    );
    await expect(alertBanner(clinician, patient)).toContainText("Acknowledge it with the action taken.");
    await expectNoAxeViolations(clinician);
    await therapist.getByText("Record a PHQ-9", { exact: true }).click();
    await expect(
      therapist.getByRole("form", { name: "Record a PHQ-9" }).getByRole("radio", { checked: true }),
    ).toHaveCount(0);
    await therapist.getByText("Record a PHQ-9", { exact: true }).click();
    await recordMeasure(therapist, "PHQ-9", nyDate(0), [1, 1, 1, 1, 1, 1, 1, 1, 0]);
    await expectFlash(therapist, "PHQ-9 recorded.");
    await expect(banner(therapist)).toHaveCount(1);

    // A second PHQ-9 with item 9 above 0 joins the open alert: still one alert, now 2 signals (that
    // no one is emailed again is checked in the integration tests: these mailboxes are shared).
    await recordMeasure(therapist, "PHQ-9", nyDate(0), [0, 0, 0, 0, 0, 0, 0, 0, 2]);
    await expectFlash(
      therapist,
      "PHQ-9 recorded. Item 9 is above 0 again: it joins the safety alert still open (2 signals); no one is emailed again.",
    );
    const joined = `PHQ-9 item 9 above 0: 2 signals, latest taken ${longDate(nyDate(0))}`;
    await expect(banner(therapist)).toHaveCount(1);
    await expect(banner(therapist)).toContainText(
      `PHQ-9 item 9 (thoughts of self-harm) above 0: 2 signals, latest taken ${longDate(nyDate(0))}`,
    );
    await therapist.goto(`/patients/${patient.id}`);
    await expect(
      therapist.getByRole("region", { name: "Unacknowledged safety signals" }).getByRole("alert"),
    ).toContainText(joined);
    await expectNoAxeViolations(therapist);
    await therapist.goto("/");
    await expect(alertBanner(therapist, patient)).toContainText(joined);
    await expect(alertBanner(therapist, patient)).toContainText("Waiting for an Ember clinician to acknowledge it.");
    await clinician.reload();
    await expect(alertBanner(clinician, patient)).toHaveCount(1);
    await page.goto("/work-list");
    const listed = page.getByTestId("safety-alert").filter({ hasText: patient.lastName });
    await expect(listed).toHaveCount(1);
    await expect(listed).toContainText(joined);
    await expectNoAxeViolations(page);

    // The clinician acknowledges it with the action taken; it leaves every dashboard.
    await alertBanner(clinician, patient).getByRole("link", { name: patient.listed }).click();
    await expect(clinician).toHaveURL(`/patients/${patient.id}/measures`);
    await expectNoAxeViolations(clinician);
    const acknowledge = clinician.getByRole("form", { name: "Acknowledge the safety alert" });
    await acknowledge
      .getByLabel("Action taken")
      .fill("Called the patient within the hour: passive thoughts, no plan; safety plan updated with the therapist.");
    await acknowledge.getByRole("button", { name: "Acknowledge" }).click();
    await expectFlash(clinician, "Safety alert acknowledged; it no longer shows on dashboards.");
    await expect(banner(clinician)).toHaveCount(0);
    for (const home of [clinician, therapist, page]) {
      await home.goto("/");
      await expect(alertBanner(home, patient)).toHaveCount(0);
    }
  });
});
