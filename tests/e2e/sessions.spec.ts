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
} from "../support/journeys";

/** Two visits three days apart at 16:30 New York time (other journeys book the demo clinician at other hours). */
const FIRST_DAY = 33;

test.describe("therapy sessions a therapist can correct", () => {
  test("plans a session from “Plan one” with the form filled, moves it, cancels and undoes it, and sees the protocol's progress", async ({
    signIn,
    browser,
  }) => {
    test.slow();
    const page = await signIn(DEMO.coordinator.email);
    const patient = await createPatient(page, { label: "Sessions", clinic: "Tribeca", firstName: "Jordan" });
    await addExistingProvider(page, DEMO.therapist.name, "Primary therapist");
    await recordRelease(page, DEMO.therapist.name);
    const therapist = await signIn(DEMO.therapist.email);
    await confirmEngagement(therapist, patient.id, DEMO.therapist.name);
    const clinician = await signIn(DEMO.clinician.email);
    await clinician.goto(`/patients/${patient.id}/infusions`);
    await previewCourse(clinician, { firstDay: nyDate(FIRST_DAY), time: "16:30", count: 2, everyDays: 3 });
    await clinician
      .getByRole("region", { name: "Schedule visits" })
      .getByRole("button", { name: /^Book these/ })
      .click();
    await expectFlash(clinician, /visits scheduled/);

    // "Plan one" from upcoming infusions: the window opens at 18:00, the first whole hour in it.
    await therapist.goto("/schedule");
    const row = therapist
      .getByRole("table", { name: "Upcoming infusion visits and therapy windows" })
      .getByRole("row")
      .filter({ has: therapist.getByRole("link", { name: patient.listed }) })
      .first();
    await expect(row).toContainText("no sessions yet");
    await row.getByRole("link", { name: "Plan one" }).click();
    const plan = therapist.getByRole("region", { name: "Plan a therapy session" });
    await expect(plan.getByLabel("Date and time (New York time)")).toHaveValue(`${nyDate(FIRST_DAY)}T18:00`);
    await expect(plan.getByLabel("Modality")).toHaveValue("WET");
    await expect(plan.getByLabel("Session number in the protocol")).toHaveValue("1");
    await expect(plan.getByLabel("Sessions in the protocol")).toHaveValue("5");
    await expectNoAxeViolations(therapist);
    await plan.getByLabel("Where").selectOption({ label: "Telehealth" });
    await plan.getByRole("button", { name: "Plan session" }).click();
    await expectFlash(therapist, "Session planned inside a therapy window.");
    await expect(therapist.getByText("WET 0 of 5 held · 1 planned")).toBeVisible();

    // Moved to the next morning, still inside the window.
    const sessions = therapist.getByRole("table", { name: "Therapy sessions" });
    await sessions.getByText("Move or cancel").click();
    await sessions.getByLabel("New date and time (New York time)").fill(`${nyDate(FIRST_DAY + 1)}T10:00`);
    await sessions.getByRole("button", { name: "Move session" }).click();
    await expectFlash(therapist, "Session moved; it falls inside a therapy window.");
    await expect(sessions).toContainText("10:00 AM");
    // No outcome before it starts: the buttons are not offered.
    await expect(sessions.getByRole("button", { name: "held" })).toHaveCount(0);

    // Cancelled, then undone.
    await sessions.getByText("Move or cancel").click();
    await sessions.getByRole("button", { name: "Cancel session" }).click();
    await expect(therapist.getByRole("status").filter({ hasText: "Session cancelled." })).toContainText("Undo");
    await expect(sessions).toContainText("cancelled");
    await expectNoAxeViolations(therapist);
    await therapist.getByRole("status").getByRole("button", { name: "Undo" }).click();
    await expectFlash(therapist, "Session restored.");
    await expect(sessions).toContainText("planned");
    await therapist.goto("/schedule");
    await expect(row).toContainText("WET 0 of 5 held · 1 planned");
    await expectNoAxeViolations(therapist);

    // The calendar feed: the address in a read-only field with a copy button, and how to subscribe.
    const feed = therapist.getByRole("region", { name: "Calendar feed" });
    await feed.getByText("How to subscribe in Google, Apple or Outlook calendar").click();
    await expect(feed).toContainText("Subscribe from web");
    await feed.getByRole("button", { name: /Create a feed address|Replace the feed address/ }).click();
    const address = feed.getByLabel("Your new feed address (shown once: copy it now)");
    await expect(address).toHaveValue(/\/calendar-feed\/[^/]+\.ics$/);
    await expect(address).toHaveAttribute("readonly", "");
    await expect(feed.getByRole("button", { name: "Copy the address" })).toBeVisible();
    await expectNoAxeViolations(therapist);

    // Without JavaScript: a duplicate number is refused beside the field; a time outside every window is asked about first.
    const noScript = await (
      await browser.newContext({ javaScriptEnabled: false, storageState: await therapist.context().storageState() })
    ).newPage();
    await noScript.goto(`/patients/${patient.id}/infusions`);
    const form = noScript.getByRole("region", { name: "Plan a therapy session" });
    await form.getByLabel("Date and time (New York time)").fill(`${nyDate(FIRST_DAY - 5)}T10:00`);
    await form.getByLabel("Modality").selectOption("WET");
    await form.getByLabel("Session number in the protocol").fill("1");
    await form.getByLabel("Sessions in the protocol").fill("5");
    await form.getByLabel("Where").selectOption({ label: "In person" });
    await form.getByRole("button", { name: "Plan session" }).click();
    await expect(form.getByText("You already have WET session 1 for this patient.")).toBeVisible();
    await form.getByLabel("Session number in the protocol").fill("2");
    await form.getByRole("button", { name: "Plan session" }).click();
    await expect(form.getByText("This time falls outside every therapy window.")).toBeVisible();
    await form.getByLabel("Plan it anyway, outside every therapy window").check();
    await form.getByRole("button", { name: "Plan session" }).click();
    await expectFlash(noScript, "Session planned. Note: it falls outside every therapy window.");
    await expect(noScript.getByText("WET 0 of 5 held · 2 planned")).toBeVisible();
  });
});
