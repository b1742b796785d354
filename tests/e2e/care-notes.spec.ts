import type { Page } from "@playwright/test";
import { DEMO, expect, expectNoAxeViolations } from "../support/fixtures";
import {
  addExistingProvider,
  createPatient,
  expectFlash,
  mailCount,
  recordRelease,
  waitForMail,
  type NewPatient,
  test,
} from "../support/journeys";

const SAFETY_SUBJECT = "Urgent: a safety concern was posted for one of your Ember patients";

/** The signed-in coordinator creates a patient with the demo therapist and psychiatrist on the team, both with releases. */
async function patientWithTeam(page: Page, label: string): Promise<NewPatient> {
  const patient = await createPatient(page, { label });
  await addExistingProvider(page, DEMO.therapist.name, "Primary therapist");
  await recordRelease(page, DEMO.therapist.name);
  await addExistingProvider(page, DEMO.psychiatrist.name, "Psychiatrist");
  await recordRelease(page, DEMO.psychiatrist.name);
  return patient;
}

async function postNote(
  page: Page,
  patientId: string,
  kind: string,
  body: string,
  options: { requestReview?: boolean } = {},
) {
  await page.goto(`/patients/${patientId}/notes`);
  const form = page.getByRole("region", { name: "Write a note" });
  await form.getByLabel("Kind of note").selectOption({ label: kind });
  await form.getByLabel("Note", { exact: true }).fill(body);
  if (options.requestReview) await form.getByLabel("Ask the patient's psychiatrist to review and sign off").check();
  await form.getByRole("button", { name: "Post note" }).click();
}

const noteWith = (page: Page, text: string) => page.getByRole("article").filter({ hasText: text });

/** The home page's banner for this patient's open safety concern. */
const safetyBanner = (page: Page, patient: NewPatient) =>
  page
    .getByRole("region", { name: "Unacknowledged safety concerns" })
    .getByRole("alert")
    .filter({ has: page.getByRole("link", { name: patient.listed }) });

test.describe("care notes", () => {
  test("a progress update is signed off by the psychiatrist, the author adds an addendum, and infusion summaries go to review", async ({
    signIn,
  }) => {
    test.slow();
    const page = await signIn(DEMO.coordinator.email);
    const patient = await patientWithTeam(page, "Notes");

    // The therapist posts a progress update and asks for review.
    const therapist = await signIn(DEMO.therapist.email);
    const update = `WET session 2 held; SUDS fell from 80 to 55 over the narrative (${patient.lastName}).`;
    await postNote(therapist, patient.id, "Progress update", update, { requestReview: true });
    await expectFlash(therapist, "Note posted.");
    await expect(noteWith(therapist, update)).toContainText("Awaiting psychiatrist review");
    // The form starts empty again, so the same note is not posted twice by mistake.
    await expect(
      therapist.getByRole("region", { name: "Write a note" }).getByLabel("Note", { exact: true }),
    ).toHaveValue("");
    await expectNoAxeViolations(therapist);

    // The psychiatrist finds it in the review queue and signs it off.
    const psychiatrist = await signIn(DEMO.psychiatrist.email);
    await psychiatrist.goto("/reviews");
    await expect(psychiatrist.getByRole("heading", { level: 1, name: "Review queue" })).toBeVisible();
    const queued = psychiatrist
      .getByRole("row")
      .filter({ has: psychiatrist.getByRole("link", { name: patient.listed }) });
    await expect(queued).toHaveCount(1);
    await expect(queued).toContainText("Progress update");
    await expect(queued).toContainText(DEMO.therapist.name);
    await expectNoAxeViolations(psychiatrist);
    await queued.getByRole("link", { name: patient.listed }).click();
    await expect(psychiatrist).toHaveURL(new RegExp(`/patients/${patient.id}/notes#note-`));
    const toSign = noteWith(psychiatrist, update);
    await toSign.getByLabel("Comment (optional)").fill("Reviewed: agree with continuing WET alongside the course.");
    await toSign.getByRole("button", { name: "Sign off" }).click();
    await expectFlash(psychiatrist, "Note signed off.");
    await expect(toSign).toContainText(`Signed off by ${DEMO.psychiatrist.name}`);
    await expect(toSign.getByRole("button", { name: "Sign off" })).toHaveCount(0);
    await expectNoAxeViolations(psychiatrist);
    await psychiatrist.goto("/reviews");
    await expect(queued).toHaveCount(0);

    // The therapist sees the sign-off, then corrects the note with an addendum.
    await therapist.reload();
    const mine = noteWith(therapist, update);
    await expect(mine).toContainText(`Signed off by ${DEMO.psychiatrist.name}`);
    await expect(mine).toContainText("Reviewed: agree with continuing WET alongside the course.");
    await mine.getByText("Add an addendum").click();
    const addendum = "Correction: SUDS fell to 50, not 55.";
    await mine.getByLabel("Addendum", { exact: true }).fill(addendum);
    await mine.getByRole("button", { name: "Add addendum" }).click();
    await expectFlash(therapist, "Addendum added.");
    const aside = mine.getByRole("complementary", { name: "Addendum" });
    await expect(aside).toContainText(`Addendum by ${DEMO.therapist.name}`);
    await expect(aside).toContainText(addendum);
    await expect(mine.getByRole("textbox", { name: "Addendum" })).toBeHidden();
    await expect(mine.getByTestId("note-body")).toHaveText(update);

    // An Ember clinician's infusion summary goes to review without being asked.
    const clinician = await signIn(DEMO.clinician.email);
    const summary = "Infusion 1 of 5 at 0.5 mg/kg over 40 minutes; mild dissociation, resolved by discharge.";
    await postNote(clinician, patient.id, "Infusion summary", summary);
    await expectFlash(clinician, "Note posted.");
    await expect(noteWith(clinician, summary)).toContainText("Awaiting psychiatrist review");
    await psychiatrist.reload();
    await expect(queued).toHaveCount(1);
    await expect(queued).toContainText("Infusion summary");
    await expect(queued).toContainText(DEMO.clinician.name);
  });

  test("a safety concern reaches the team at once and stays on their home pages until a clinician acknowledges it", async ({
    signIn,
  }) => {
    test.slow();
    const page = await signIn(DEMO.coordinator.email);
    const patient = await patientWithTeam(page, "Safety");
    const psychiatristBefore = await mailCount(page, DEMO.psychiatrist.email, SAFETY_SUBJECT);
    const coordinatorBefore = await mailCount(page, DEMO.coordinator.email, SAFETY_SUBJECT);

    const therapist = await signIn(DEMO.therapist.email);
    await therapist.goto(`/patients/${patient.id}/notes`);
    await therapist.getByLabel("Kind of note").selectOption({ label: "Safety concern" });
    await expect(
      therapist.getByText(
        "A safety concern emails the Ember clinicians, every care-team member and the coordinators now.",
      ),
    ).toBeVisible();
    const concern =
      "Patient disclosed passive suicidal ideation at today's session; safety plan reviewed, no plan or intent.";
    await therapist.getByLabel("Note", { exact: true }).fill(concern);
    await therapist.getByRole("button", { name: "Post note" }).click();
    await expectFlash(
      therapist,
      /^Safety concern posted; \d+ Ember clinicians, coordinators and team members were notified at once\.$/,
    );
    await expect(noteWith(therapist, concern).getByRole("alert")).toHaveText(
      "Not yet acknowledged by an Ember clinician.",
    );

    // Every other team member and the coordinators are emailed, without the patient's name.
    for (const [email, before] of [
      [DEMO.psychiatrist.email, psychiatristBefore],
      [DEMO.coordinator.email, coordinatorBefore],
    ] as const) {
      const mail = await waitForMail(page, email, SAFETY_SUBJECT, before);
      expect(mail.link).toMatch(new RegExp(`/patients/${patient.id}/notes$`));
      expect(mail.text).not.toContain(patient.lastName);
    }

    // It shows on everyone's home page, and reading the note does not clear it.
    const psychiatrist = await signIn(DEMO.psychiatrist.email);
    const clinician = await signIn(DEMO.clinician.email);
    await psychiatrist.goto(`/patients/${patient.id}/notes`);
    await expect(noteWith(psychiatrist, concern)).toBeVisible();
    for (const home of [therapist, psychiatrist, page]) {
      await home.goto("/");
      await expect(safetyBanner(home, patient)).toContainText(`posted by ${DEMO.therapist.name}`);
      await expect(safetyBanner(home, patient)).toContainText("Waiting for an Ember clinician to acknowledge it.");
    }
    await expectNoAxeViolations(therapist);
    await clinician.goto("/");
    await expect(safetyBanner(clinician, patient)).toContainText("Acknowledge it with your response.");
    await expectNoAxeViolations(clinician);

    // The clinician acknowledges it from the thread; the banners go.
    await safetyBanner(clinician, patient).getByRole("link", { name: patient.listed }).click();
    const note = noteWith(clinician, concern);
    await note
      .getByLabel("Response and action taken")
      .fill("Called the patient; safe, plan in place. Next infusion proceeds with a pre-visit check-in.");
    await note.getByRole("button", { name: "Acknowledge" }).click();
    await expectFlash(clinician, "Safety concern acknowledged; it no longer shows on the team's dashboards.");
    await expect(note).toContainText(`Acknowledged by ${DEMO.clinician.name}`);
    await expectNoAxeViolations(clinician);
    for (const home of [clinician, therapist, psychiatrist, page]) {
      await home.goto("/");
      await expect(safetyBanner(home, patient)).toHaveCount(0);
    }
  });

  test("a note with a script and markup is shown as the text it is", async ({ signIn }) => {
    test.slow();
    const page = await signIn(DEMO.coordinator.email);
    const patient = await createPatient(page, { label: "Markup" });
    const body = `Is <b>this</b> bold? <script>alert("script ran")</script>\n<img src="x" onerror="alert('image handler ran')"> & "quotes" stay.`;

    const clinician = await signIn(DEMO.clinician.email);
    const dialogs: string[] = [];
    for (const viewer of [clinician, page])
      viewer.on("dialog", (dialog) => void dialog.dismiss().then(() => dialogs.push(dialog.message())));
    await postNote(clinician, patient.id, "Question", body);
    await expectFlash(clinician, "Note posted.");

    for (const viewer of [clinician, page]) {
      await viewer.goto(`/patients/${patient.id}/notes`);
      const shown = viewer.getByTestId("note-body");
      await expect(shown).toHaveCount(1);
      expect(await shown.evaluate((el) => el.textContent)).toBe(body);
      await expect(shown.locator("b, script, img")).toHaveCount(0);
    }
    await expectNoAxeViolations(page);
    expect(dialogs).toEqual([]);
  });
});
