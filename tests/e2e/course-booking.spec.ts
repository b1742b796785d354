import { addDays } from "../../app/lib/time";
import { DEMO, expect, expectNoAxeViolations } from "../support/fixtures";
import {
  addExistingProvider,
  confirmEngagement,
  createPatient,
  expectFlash,
  nyDate,
  previewCourse,
  recordRelease,
  test,
  type NewPatient,
} from "../support/journeys";

/** The first Monday at least 40 days out: clear of the days other journeys book the demo clinician. */
function firstMonday(): string {
  let day = nyDate(40);
  while (new Date(`${day}T12:00:00Z`).getUTCDay() !== 1) day = addDays(day, 1);
  return day;
}

/** Monday, Wednesday and Friday of two weeks: the course the pattern proposes. */
const MON = firstMonday();
const COURSE_DAYS = [0, 2, 4, 7, 9, 11].map((offset) => addDays(MON, offset));
/** The Friday on which the demo clinician is already with another patient from 09:30. */
const BUSY_DAY = COURSE_DAYS[2]!;

test.describe("booking a course by pattern", () => {
  test("a clinician previews Mon/Wed/Fri × 6, sees the clinician busy with another patient, moves that visit, books, and the form is empty again", async ({
    signIn,
    browser,
  }) => {
    test.slow();
    // Two eligible patients: the demo therapist on both teams with a release, engagement confirmed.
    const coordinator = await signIn(DEMO.coordinator.email);
    const eligible = async (label: string): Promise<NewPatient> => {
      const patient = await createPatient(coordinator, { label, clinic: "Chelsea" });
      await addExistingProvider(coordinator, DEMO.therapist.name, "Primary therapist");
      await recordRelease(coordinator, DEMO.therapist.name);
      return patient;
    };
    const patient = await eligible("Pattern");
    const other = await eligible("Busy");
    const therapist = await signIn(DEMO.therapist.email);
    await confirmEngagement(therapist, patient.id, DEMO.therapist.name);
    await confirmEngagement(therapist, other.id, DEMO.therapist.name);
    const clinician = await signIn(DEMO.clinician.email);

    // Without JavaScript (as before it loads), the same form previews and books the other
    // patient's visit: Friday 09:30–11:00 with the demo clinician.
    const noScriptContext = await browser.newContext({
      javaScriptEnabled: false,
      storageState: await clinician.context().storageState(),
    });
    const noScript = await noScriptContext.newPage();
    await noScript.goto(`/patients/${other.id}/infusions`);
    const noScriptForm = await previewCourse(noScript, { firstDay: BUSY_DAY, time: "09:30", count: 1, everyDays: 1 });
    await expect(noScriptForm.getByLabel("Visit 1", { exact: true })).toHaveValue(`${BUSY_DAY}T09:30`);
    await expect(noScriptForm.getByLabel("First date")).toHaveValue(BUSY_DAY);
    await expect(noScriptForm.getByLabel("Start time")).toHaveValue("09:30");
    await noScriptForm.getByRole("button", { name: "Book this visit" }).click();
    await expectFlash(noScript, /^1 visit scheduled; the care team was notified\./);
    await expect(noScript.getByRole("region", { name: "Schedule visits" }).getByLabel("First date")).toHaveValue("");
    await noScriptContext.close();

    // The clinician opens the patient's booking form: Chelsea's hours are stated for the chosen clinic.
    await clinician.goto(`/patients/${patient.id}/infusions`);
    const form = clinician.getByRole("region", { name: "Schedule visits" });
    await expect(form.getByText("Chelsea is open 08:00–19:00 New York time")).toBeVisible();
    await form.getByLabel("Clinic", { exact: true }).selectOption({ label: "Tribeca" });
    await expect(form.getByText("Tribeca is open 08:00–19:00 New York time")).toBeVisible();
    await form.getByLabel("Clinic", { exact: true }).selectOption({ label: "Chelsea" });
    await expectNoAxeViolations(clinician);

    // The pattern: Monday, Wednesday, Friday at 10:00, six visits.
    await previewCourse(clinician, { firstDay: MON, time: "10:00", count: 6, weekdays: ["Mon", "Wed", "Fri"] });
    const rows = form.getByRole("table", { name: /^Proposed visits/ }).getByRole("row");
    for (const [i, day] of COURSE_DAYS.entries())
      await expect(form.getByLabel(`Visit ${i + 1}`, { exact: true })).toHaveValue(`${day}T10:00`);
    // Each visit's time with its zone, and the therapy window after it.
    await expect(rows.nth(1)).toContainText(/10:00 AM E[SD]T/);
    await expect(rows.nth(1)).toContainText("→");
    const busy = rows.nth(3);
    await expect(busy).toContainText(
      `conflict ${DEMO.clinician.name} is busy: another patient's visit 09:30–11:00. Care is one clinician to one patient.`,
    );
    await expect(form).not.toContainText(other.lastName);
    await expect(form.getByText("no conflict")).toHaveCount(5);
    await expect(form.getByRole("button", { name: /^Book/ })).toHaveCount(0);
    await expect(form.getByText("Nothing is booked while a visit is in conflict.")).toBeVisible();
    await expectNoAxeViolations(clinician);

    // Moving that Friday's visit to 13:00 and previewing again clears it.
    await form.getByLabel("Visit 3", { exact: true }).fill(`${BUSY_DAY}T13:00`);
    await form.getByRole("button", { name: "Preview the changed dates" }).click();
    await expect(rows.nth(3)).toContainText("no conflict");
    await expect(form.getByText("no conflict")).toHaveCount(6);
    await expect(form.getByLabel("Visit 3", { exact: true })).toHaveValue(`${BUSY_DAY}T13:00`);
    // The pattern is kept above the preview.
    await expect(form.getByLabel("First date")).toHaveValue(MON);
    await expect(form.getByLabel("Wed", { exact: true })).toBeChecked();
    await expectNoAxeViolations(clinician);

    await form.getByRole("button", { name: "Book these 6 visits" }).click();
    await expectFlash(clinician, "6 visits scheduled; the care team was notified.");
    const visitRows = clinician
      .getByRole("table", { name: "Infusion visits" })
      .getByRole("row")
      .filter({ has: clinician.getByRole("cell") });
    await expect(visitRows).toHaveCount(6);
    await expect(visitRows.nth(2)).toContainText("1:00 PM");

    // The form is empty again: nothing can be booked twice by mistake.
    await expect(form.getByLabel("First date")).toHaveValue("");
    await expect(form.getByLabel("Start time")).toHaveValue("");
    await expect(form.getByLabel("Wed", { exact: true })).not.toBeChecked();
    await expect(form.getByRole("table", { name: /^Proposed visits/ })).toHaveCount(0);
    await expectNoAxeViolations(clinician);
  });
});
