import { readFile } from "node:fs/promises";
import ICAL from "ical.js";
import { DEMO, expect, expectNoAxeViolations } from "../support/fixtures";
import {
  addExistingProvider,
  confirmEngagement,
  createPatient,
  expectFlash,
  mailCount,
  nyDate,
  nyInstant,
  nyLabel,
  previewCourse,
  recordRelease,
  waitForMail,
  test,
} from "../support/journeys";

const SCHEDULED = "New infusion visits were scheduled for one of your Ember patients";
const RESCHEDULED = "An infusion visit was rescheduled for one of your Ember patients";
const VISIT_MINUTES = 90;
const WINDOW_HOURS = 72;

/**
 * Five visits three days apart at 13:00 New York time, so each 72-hour window closes as the next
 * visit ends and no two windows overlap. Other journeys book the demo clinician at other hours.
 */
const VISIT_DAYS = [15, 18, 21, 24, 27];
const visitStart = (day: number) => `${nyDate(day)}T13:00`;
/** WET session n falls the morning after visit n: inside its window. */
const sessionStart = (day: number) => `${nyDate(day + 1)}T10:00`;
/** Visit 3 moves a day later; the WET 3 session planned for its old window now falls before the visit ends. */
const MOVED_VISIT = 2;
const movedStart = `${nyDate(VISIT_DAYS[MOVED_VISIT]! + 1)}T13:00`;

function windowOf(local: string) {
  const start = nyInstant(local);
  const opens = new Date(start.getTime() + VISIT_MINUTES * 60_000);
  return {
    start: nyLabel(start),
    opens: nyLabel(opens),
    closes: nyLabel(new Date(opens.getTime() + WINDOW_HOURS * 3_600_000)),
  };
}

test.describe("infusion visits and therapy windows", () => {
  test("a clinician schedules a course, the therapist plans WET in the windows, and a reschedule flags the session it strands", async ({
    signIn,
  }) => {
    test.slow();
    // An eligible patient: the demo therapist on the team with a release, engagement confirmed.
    const page = await signIn(DEMO.coordinator.email);
    const patient = await createPatient(page, { label: "Windows", clinic: "Tribeca", firstName: "Robin" });
    await addExistingProvider(page, DEMO.therapist.name, "Primary therapist");
    await recordRelease(page, DEMO.therapist.name);
    const therapist = await signIn(DEMO.therapist.email);
    await confirmEngagement(therapist, patient.id, DEMO.therapist.name);
    const scheduledBefore = await mailCount(therapist, DEMO.therapist.email, SCHEDULED);

    // The clinician schedules a five-visit course.
    const clinician = await signIn(DEMO.clinician.email);
    await clinician.goto(`/patients/${patient.id}/infusions`);
    await expect(clinician.getByRole("heading", { name: "No infusion visits yet" })).toBeVisible();
    const scheduleForm = clinician.getByRole("region", { name: "Schedule visits" });
    await expect(scheduleForm.getByLabel("Clinic", { exact: true })).toHaveValue("tribeca");
    await expectNoAxeViolations(clinician);
    await previewCourse(clinician, { firstDay: nyDate(VISIT_DAYS[0]), time: "13:00", count: 5, everyDays: 3 });
    for (const [i, day] of VISIT_DAYS.entries())
      await expect(scheduleForm.getByLabel(`Visit ${i + 1}`, { exact: true })).toHaveValue(visitStart(day));
    await scheduleForm.getByRole("button", { name: "Book these 5 visits" }).click();
    await expectFlash(clinician, "5 visits scheduled; the care team was notified.");
    const visitRows = clinician
      .getByRole("table", { name: "Infusion visits" })
      .getByRole("row")
      .filter({ has: clinician.getByRole("cell") });
    await expect(visitRows).toHaveCount(5);
    await expectNoAxeViolations(clinician);

    // The therapist is told, and sees the dates and windows on their schedule.
    const notice = await waitForMail(therapist, DEMO.therapist.email, SCHEDULED, scheduledBefore);
    expect(notice.link).toMatch(/\/schedule$/);
    expect(notice.text).not.toContain(patient.lastName);
    await therapist.goto("/schedule");
    await expect(therapist.getByRole("heading", { level: 1, name: "Upcoming infusions" })).toBeVisible();
    const upcoming = therapist
      .getByRole("table", { name: "Upcoming infusion visits and therapy windows" })
      .getByRole("row")
      .filter({ has: therapist.getByRole("link", { name: patient.listed }) });
    await expect(upcoming).toHaveCount(5);
    for (const [i, day] of VISIT_DAYS.entries()) {
      const w = windowOf(visitStart(day));
      await expect(upcoming.nth(i)).toContainText(w.start);
      await expect(upcoming.nth(i)).toContainText("Tribeca");
      await expect(upcoming.nth(i)).toContainText(`${w.opens} → ${w.closes}`);
      await expect(upcoming.nth(i)).toContainText("no Plan one");
    }
    await expectNoAxeViolations(therapist);

    // They plan WET sessions 1 to 5, one inside each window.
    await upcoming.first().getByRole("link", { name: "Plan one" }).click();
    await expect(therapist).toHaveURL(new RegExp(`/patients/${patient.id}/infusions\\?plan=[0-9a-f-]+#plan-title$`));
    const plan = therapist.getByRole("region", { name: "Plan a therapy session" });
    for (const [i, day] of VISIT_DAYS.entries()) {
      await plan.getByLabel("Date and time (New York time)").fill(sessionStart(day));
      await plan.getByLabel("Modality").selectOption("WET");
      await plan.getByLabel("Session number in the protocol").fill(String(i + 1));
      await plan.getByLabel("Sessions in the protocol").fill("5");
      await plan.getByLabel("Where").selectOption({ label: i % 2 ? "Telehealth" : "In person" });
      await plan.getByRole("button", { name: "Plan session" }).click();
      await expectFlash(therapist, "Session planned inside a therapy window.");
    }
    const sessionRows = therapist
      .getByRole("table", { name: "Therapy sessions" })
      .getByRole("row")
      .filter({ has: therapist.getByRole("cell") });
    await expect(sessionRows).toHaveCount(5);
    await expect(sessionRows.getByText("inside a window")).toHaveCount(5);
    await expectNoAxeViolations(therapist);
    await therapist.goto("/schedule");
    for (const i of VISIT_DAYS.keys()) await expect(upcoming.nth(i)).toContainText(`yes: WET ${i + 1} of 5`);
    await expect(therapist.getByText("None: every session you planned falls inside a therapy window.")).toBeVisible();

    // The clinician moves visit 3 a day later.
    const rescheduledBefore = await mailCount(therapist, DEMO.therapist.email, RESCHEDULED);
    const moved = visitRows.filter({ hasText: windowOf(visitStart(VISIT_DAYS[MOVED_VISIT]!)).start });
    await moved.getByText("Change", { exact: true }).click();
    await moved.getByLabel("New start (New York time)").fill(movedStart);
    await moved.getByRole("button", { name: "Reschedule" }).click();
    await expectFlash(
      clinician,
      "Visit moved; its therapy window moved with it and the care team was notified. 1 planned session(s) now fall outside the window.",
    );
    await expect(visitRows.nth(MOVED_VISIT)).toContainText(windowOf(movedStart).start);

    // The therapist gets the notice, and sees WET 3 flagged outside its window.
    const change = await waitForMail(therapist, DEMO.therapist.email, RESCHEDULED, rescheduledBefore);
    expect(change.text).toContain("check whether your planned trauma-focused sessions still fall inside a window");
    expect(change.text).not.toContain(patient.lastName);
    await therapist.goto("/schedule");
    await expect(upcoming.nth(MOVED_VISIT)).toContainText(windowOf(movedStart).start);
    await expect(upcoming.nth(MOVED_VISIT)).not.toContainText("WET 3 of 5");
    const stranded = therapist
      .getByRole("listitem")
      .filter({ has: therapist.getByRole("link", { name: patient.listed }) });
    await expect(stranded).toHaveCount(1);
    await expect(stranded).toContainText(`WET 3 of 5, ${nyLabel(nyInstant(sessionStart(VISIT_DAYS[MOVED_VISIT]!)))}`);
    await expect(stranded).toContainText("its visit moved: now outside the window");
    await expectNoAxeViolations(therapist);

    await therapist.goto(`/patients/${patient.id}/infusions`);
    const wet3 = sessionRows.filter({ hasText: "WET 3 of 5" });
    await expect(wet3).toContainText("outside every window");
    await expect(wet3).toContainText("visit moved: no longer in its window");
    await expect(sessionRows.getByText("inside a window")).toHaveCount(4);

    // The calendar download names the patient by the calendar code shown beside their name, never
    // by name, initials or treatment, and carries the move.
    const code = (await therapist.getByTestId("calendar-code").textContent())!;
    const [download] = await Promise.all([
      therapist.waitForEvent("download"),
      therapist.getByRole("link", { name: "Download calendar (.ics)" }).click(),
    ]);
    expect(download.suggestedFilename()).toBe(`ember-visits-${code}.ics`);
    const ics = await readFile(await download.path(), "utf8");
    expect(ics).not.toContain(patient.firstName);
    expect(ics).not.toContain(patient.lastName);
    expect(ics).not.toMatch(/R\.Z\.|ketamine|infusion/i);
    const events = new ICAL.Component(ICAL.parse(ics))
      .getAllSubcomponents("vevent")
      .map((component) => new ICAL.Event(component));
    const infusions = events.filter((e) => e.summary.startsWith("Ember visit"));
    const windows = events.filter((e) => e.summary.startsWith("Therapy window"));
    expect(infusions.map((e) => e.summary)).toEqual(Array(5).fill(`Ember visit · ref ${code} (Tribeca)`));
    expect(windows.map((e) => e.summary)).toEqual(Array(5).fill(`Therapy window · ref ${code}`));
    const starts = VISIT_DAYS.map((day, i) => nyInstant(i === MOVED_VISIT ? movedStart : visitStart(day)).getTime());
    expect(infusions.map((e) => e.startDate.toJSDate().getTime())).toEqual(starts);
    expect(windows.map((e) => e.endDate.toJSDate().getTime() - e.startDate.toJSDate().getTime())).toEqual(
      Array(5).fill(WINDOW_HOURS * 3_600_000),
    );
    expect(infusions.map((e) => e.sequence)).toEqual(VISIT_DAYS.map((_, i) => (i === MOVED_VISIT ? 1 : 0)));
  });

  test("scheduling for a patient the engagement gate does not allow is refused with the gate's reason", async ({
    signIn,
    browser,
  }) => {
    test.slow();
    const page = await signIn(DEMO.coordinator.email);
    const patient = await createPatient(page, { label: "Ungated" });

    const clinician = await signIn(DEMO.clinician.email);
    await clinician.goto(`/patients/${patient.id}/infusions`);
    const reason =
      "No active engagement confirmation: an outside licensed provider on the care team must confirm they actively treat the patient.";
    const form = clinician.getByRole("region", { name: "Schedule visits" });
    await expect(form.getByRole("alert")).toHaveText(
      `Infusions cannot be scheduled yet: ${reason} See the eligibility summary.`,
    );
    await previewCourse(clinician, { firstDay: nyDate(16), time: "13:00", count: 1, everyDays: 1 });
    await expect(form.getByText(reason, { exact: true })).toBeVisible();
    await expect(form.getByRole("button", { name: /^Book/ })).toHaveCount(0);
    await expect(clinician.getByRole("heading", { name: "No infusion visits yet" })).toBeVisible();
    await expectNoAxeViolations(clinician);

    // Without JavaScript the refusal is a fresh page from the server: it still holds every time typed.
    const noScript = await (
      await browser.newContext({ javaScriptEnabled: false, storageState: await clinician.context().storageState() })
    ).newPage();
    await noScript.goto(`/patients/${patient.id}/infusions`);
    const typed = [visitStart(16), visitStart(17)];
    const noScriptForm = await previewCourse(noScript, { firstDay: nyDate(16), time: "13:00", count: 2, everyDays: 1 });
    await expect(noScriptForm.getByText(reason, { exact: true })).toBeVisible();
    for (const [i, value] of typed.entries())
      await expect(noScriptForm.getByLabel(`Visit ${i + 1}`, { exact: true })).toHaveValue(value);
    await expect(noScriptForm.getByLabel("First date")).toHaveValue(nyDate(16));
    await expect(noScriptForm.getByLabel("Start time")).toHaveValue("13:00");
    await expect(noScriptForm.getByLabel("Number of visits")).toHaveValue("2");
    await expect(noScriptForm.getByLabel("Days between visits")).toHaveValue("1");
    await noScript.context().close();
  });
});
