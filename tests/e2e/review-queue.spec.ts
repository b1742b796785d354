import type { Page } from "@playwright/test";
import { DEMO, expect, expectNoAxeViolations } from "../support/fixtures";
import {
  addExistingProvider,
  createPatient,
  expectFlash,
  mailCount,
  recordRelease,
  test,
  waitForMail,
  type NewPatient,
} from "../support/journeys";

const RETURNED = "Your care note was returned with comments";
const SIGNED = "Your care note was signed off";

/** The therapist posts a note on the patient's thread and asks the psychiatrist to review it. */
async function postForReview(page: Page, patientId: string, body: string) {
  await page.goto(`/patients/${patientId}/notes`);
  const form = page.getByRole("region", { name: "Write a note" });
  await form.getByLabel("Kind of note").selectOption({ label: "Therapy session summary" });
  await form.getByLabel("Note", { exact: true }).fill(body);
  await form.getByLabel("Ask the patient's psychiatrist to review and sign off").check();
  await form.getByRole("button", { name: "Post note" }).click();
  await expectFlash(page, "Note posted.");
}

/** On the review queue: opens the queued note whose first lines hold `text`, unless it is the one shown already. */
async function openQueued(page: Page, text: string) {
  await page.goto("/reviews");
  const row = page.getByRole("row").filter({ hasText: text });
  await expect(row).toHaveCount(1);
  const review = row.getByRole("link", { name: "Review this note" });
  if (await review.count()) await review.click();
  await expect(current(page).getByTestId("review-body")).toContainText(text);
}

const current = (page: Page) => page.getByRole("region", { name: "Next in queue" });

test.describe("psychiatrist review queue", () => {
  test.describe.configure({ mode: "serial" });
  test("a psychiatrist previews and returns a note with comments, the author answers with an addendum, and the sign-off lands on the next in queue", async ({
    signIn,
  }) => {
    test.slow();
    const coordinator = await signIn(DEMO.coordinator.email);
    const patient: NewPatient = await createPatient(coordinator, { label: "Review" });
    await addExistingProvider(coordinator, DEMO.therapist.name, "Primary therapist");
    await recordRelease(coordinator, DEMO.therapist.name);
    await addExistingProvider(coordinator, DEMO.psychiatrist.name, "Psychiatrist");
    await recordRelease(coordinator, DEMO.psychiatrist.name);

    const therapist = await signIn(DEMO.therapist.email);
    const first = `CPT session 3 held (${patient.lastName}).\nStuck points on self-blame worked through.\nWorksheet set for next week.`;
    const second = `CPT session 4 held (${patient.lastName}); impact statement read aloud.`;
    await postForReview(therapist, patient.id, first);
    await postForReview(therapist, patient.id, second);
    const returnedBefore = await mailCount(therapist, DEMO.therapist.email, RETURNED);
    const signedBefore = await mailCount(therapist, DEMO.therapist.email, SIGNED);

    // The queue previews each note: kind, author, the date in New York time with its zone, the first lines.
    const psychiatrist = await signIn(DEMO.psychiatrist.email);
    await psychiatrist.goto("/reviews");
    const row = psychiatrist.getByRole("row").filter({ hasText: "Stuck points on self-blame" });
    await expect(row).toContainText("Therapy session summary");
    await expect(row).toContainText(DEMO.therapist.name);
    await expect(row).toContainText(/E[SD]T/);
    await expect(row.locator(".note-preview")).toContainText("Worksheet set for next week.");
    await expect(psychiatrist.getByRole("link", { name: /Review queue \d+ waiting for your review/ })).toBeVisible();
    await expectNoAxeViolations(psychiatrist);

    // Returned with comments: they are required; then the psychiatrist lands on the next note.
    await openQueued(psychiatrist, "Stuck points on self-blame");
    await current(psychiatrist).getByRole("button", { name: "Return with comments" }).click();
    await expect(current(psychiatrist).getByText("Write your comments for the author.")).toBeVisible();
    await current(psychiatrist).getByLabel("Comments for the author").fill("Please name the worksheet you set.");
    await current(psychiatrist).getByRole("button", { name: "Return with comments" }).click();
    await expectFlash(
      psychiatrist,
      "Note returned to its author with your comments; they were sent a receipt. Next in queue below.",
    );
    await expect(current(psychiatrist).getByTestId("review-body")).toContainText("impact statement read aloud");
    await expect(psychiatrist.getByRole("row").filter({ hasText: "Stuck points on self-blame" })).toHaveCount(0);

    // The author gets a receipt with a link only, and sees the comments on the notes page.
    const receipt = await waitForMail(therapist, DEMO.therapist.email, RETURNED, returnedBefore);
    expect(receipt.text).toContain(`/patients/${patient.id}/notes#note-`);
    for (const secret of [patient.lastName, "worksheet", "self-blame"]) expect(receipt.text).not.toContain(secret);
    await therapist.goto(`/patients/${patient.id}/notes`);
    const note = therapist.getByRole("article").filter({ hasText: "Stuck points on self-blame" });
    await expect(note).toContainText("Returned");
    await expect(note.getByRole("complementary", { name: "Returned with comments" })).toContainText(
      "Please name the worksheet you set.",
    );
    await expectNoAxeViolations(therapist);
    await note.getByLabel("Addendum", { exact: true }).fill("Worksheet: Challenging Beliefs.");
    await note.getByRole("button", { name: "Add addendum" }).click();
    await expectFlash(therapist, "Addendum added; the note is back in the review queue.");
    await expect(note).toContainText("Awaiting psychiatrist review");

    // Back in the queue with its answer; signed off, the psychiatrist is taken to the next in queue.
    await openQueued(psychiatrist, "Stuck points on self-blame");
    await expect(current(psychiatrist)).toContainText("Worksheet: Challenging Beliefs.");
    await expect(current(psychiatrist)).toContainText("Please name the worksheet you set.");
    await current(psychiatrist).getByLabel("Comment (optional)").fill("Agree with the plan.");
    await current(psychiatrist).getByRole("button", { name: "Sign off" }).click();
    await expectFlash(psychiatrist, "Note signed off; the author was sent a receipt. Next in queue below.");
    await expect(current(psychiatrist).getByTestId("review-body")).toContainText("impact statement read aloud");
    await waitForMail(therapist, DEMO.therapist.email, SIGNED, signedBefore);
    await expectNoAxeViolations(psychiatrist);
  });

  test("returning and signing off work before JavaScript loads", async ({ signIn, browser }) => {
    test.slow();
    const coordinator = await signIn(DEMO.coordinator.email);
    const patient = await createPatient(coordinator, { label: "ReviewNoJs" });
    await addExistingProvider(coordinator, DEMO.therapist.name, "Primary therapist");
    await recordRelease(coordinator, DEMO.therapist.name);
    await addExistingProvider(coordinator, DEMO.psychiatrist.name, "Psychiatrist");
    await recordRelease(coordinator, DEMO.psychiatrist.name);
    const therapist = await signIn(DEMO.therapist.email);
    const body = `PE session 6 held without script (${patient.lastName}).`;
    await postForReview(therapist, patient.id, body);

    const withScript = await signIn(DEMO.psychiatrist.email);
    const page = await (
      await browser.newContext({ javaScriptEnabled: false, storageState: await withScript.context().storageState() })
    ).newPage();
    await openQueued(page, "without script");
    await current(page).getByRole("button", { name: "Return with comments" }).click();
    await expect(current(page).getByText("Write your comments for the author.")).toBeVisible();
    await current(page).getByLabel("Comments for the author").fill("Add the SUDS ratings.");
    await current(page).getByRole("button", { name: "Return with comments" }).click();
    await expect(page.getByRole("status").filter({ hasText: "Note returned to its author" })).toBeVisible();
    await page.goto("/reviews");
    await expect(page.getByRole("row").filter({ hasText: "without script" })).toHaveCount(0);
    await page.context().close();
  });
});
