import type { Page } from "@playwright/test";
import { DEMO, expect, expectNoAxeViolations } from "../support/fixtures";
import { addExistingProvider, createPatient, expectFlash, nyDate, test } from "../support/journeys";

/** On the care-team page: a release for `providerName` that covers care coordination alone. */
async function recordCoordinationOnlyRelease(page: Page, providerName: string) {
  const member = page.getByRole("article").filter({ has: page.getByRole("heading", { name: providerName }) });
  await member.getByText(`Manage ${providerName}`).click();
  const form = member.getByRole("form", { name: `Record a release for ${providerName}` });
  await form.getByLabel("Date signed").fill(nyDate());
  await form.getByLabel("Expires on").fill(nyDate(365));
  for (const scope of ["Infusion schedule", "Care notes", "Symptom measures (PHQ-9, PCL-5)"])
    await form.getByLabel(scope).uncheck();
  await expect(form.getByLabel("Care coordination")).toBeChecked();
  await form.getByRole("button", { name: "Record release" }).click();
  await expectFlash(page, "Release of information recorded.");
  await expect(member.getByText("Release of information: current")).toBeVisible();
  await expect(member).toContainText("care coordination");
}

test.describe("release scopes", () => {
  test("a care-coordination-only release opens the overview, which says what it leaves out, and refuses notes, infusions, measures and the calendar", async ({
    signIn,
  }) => {
    test.slow();
    const coordinator = await signIn(DEMO.coordinator.email);
    const patient = await createPatient(coordinator, { label: "Scopes" });
    await addExistingProvider(coordinator, DEMO.therapist.name, "Primary therapist");
    await recordCoordinationOnlyRelease(coordinator, DEMO.therapist.name);
    await coordinator.goto(`/patients/${patient.id}`);
    const code = (await coordinator.getByTestId("calendar-code").textContent())!;
    expect(code).toMatch(/^[2-9A-HJKMNP-Z]{4}$/);

    const therapist = await signIn(DEMO.therapist.email);
    await therapist.goto(`/patients/${patient.id}`);
    await expect(therapist.getByRole("heading", { level: 1 })).toContainText(patient.lastName);
    await expect(therapist.getByTestId("calendar-code")).toHaveText(code);
    const release = therapist.getByRole("region", { name: "What your release of information does not cover" });
    await expect(release.getByRole("listitem")).toHaveText([
      "Infusion schedule: the Infusions page, upcoming infusions and calendars",
      "Care notes: the thread, the review queue and note digests",
      "Symptom measures: PHQ-9 and PCL-5 scores and alerts",
      "Substance-use history",
    ]);
    await expectNoAxeViolations(therapist);

    for (const page of ["notes", "infusions", "measures"]) {
      const response = await therapist.goto(`/patients/${patient.id}/${page}`);
      expect(response!.status(), page).toBe(404);
      await expect(therapist.getByRole("heading", { level: 1, name: "Page not found" })).toBeVisible();
    }
    await expectNoAxeViolations(therapist);
    const calendar = await therapist.request.get(`/patients/${patient.id}/calendar.ics`);
    expect(calendar.status()).toBe(404);

    // The coordinator, as Ember staff, reads the same pages.
    for (const page of ["notes", "infusions", "measures"])
      expect((await coordinator.goto(`/patients/${patient.id}/${page}`))!.status(), page).toBe(200);
    await coordinator.goto(`/patients/${patient.id}`);
    await expect(
      coordinator.getByRole("region", { name: "What your release of information does not cover" }),
    ).toHaveCount(0);
  });

  test("a refused care-team form keeps what was typed, ticked boxes included, and says what is wrong, with and without JavaScript", async ({
    signIn,
    browser,
  }) => {
    test.slow();
    const page = await signIn(DEMO.coordinator.email);
    const patient = await createPatient(page, { label: "TeamForms" });
    await addExistingProvider(page, DEMO.therapist.name, "Primary therapist");
    const scopes = ["Care coordination", "Infusion schedule", "Care notes", "Symptom measures (PHQ-9, PCL-5)"];

    // A release that expired yesterday, sharing care coordination and the infusion schedule only.
    const member = page.getByRole("article").filter({ has: page.getByRole("heading", { name: DEMO.therapist.name }) });
    await member.getByText(`Manage ${DEMO.therapist.name}`).click();
    const release = member.getByRole("form", { name: `Record a release for ${DEMO.therapist.name}` });
    await release.getByLabel("Date signed").fill(nyDate(-30));
    await release.getByLabel("Expires on").fill(nyDate(-1));
    for (const scope of ["Care notes", "Symptom measures (PHQ-9, PCL-5)"]) await release.getByLabel(scope).uncheck();
    await release.getByRole("button", { name: "Record release" }).click();
    await expect(release.getByLabel("Expires on")).toHaveAccessibleDescription("The expiry date must be after today.");
    await expect(release.getByLabel("Expires on")).toHaveAttribute("aria-invalid", "true");
    await expect(release.getByLabel("Date signed")).toHaveValue(nyDate(-30));
    await expect(release.getByLabel("Expires on")).toHaveValue(nyDate(-1));
    for (const [i, scope] of scopes.entries()) await expect(release.getByLabel(scope)).toBeChecked({ checked: i < 2 });
    await expectNoAxeViolations(page);

    // Nothing ticked: the boxes stay unticked and say why.
    for (const scope of scopes.slice(0, 2)) await release.getByLabel(scope).uncheck();
    await release.getByLabel("Expires on").fill(nyDate(365));
    await release.getByRole("button", { name: "Record release" }).click();
    await expect(release.getByText("Choose at least one thing the release allows sharing.")).toBeVisible();
    for (const scope of scopes) await expect(release.getByLabel(scope)).not.toBeChecked();
    await expect(release.getByLabel("Expires on")).toHaveValue(nyDate(365));

    // Saved: the form starts again, empty, every scope ticked.
    await release.getByLabel("Care coordination").check();
    await release.getByRole("button", { name: "Record release" }).click();
    await expectFlash(page, "Release of information recorded.");
    await member.getByText(`Manage ${DEMO.therapist.name}`).click();
    await expect(release.getByLabel("Date signed")).toHaveValue("");
    for (const scope of scopes) await expect(release.getByLabel(scope)).toBeChecked();

    // An empty reason to end the membership, refused and explained.
    await member.getByRole("button", { name: "End membership" }).click();
    await expect(member.getByLabel("Reason the membership ends")).toHaveAccessibleDescription(
      "Enter the reason the membership ends.",
    );

    // Without JavaScript, what the form shows after a refusal is what the server sent back.
    const noScript = await (
      await browser.newContext({ javaScriptEnabled: false, storageState: await page.context().storageState() })
    ).newPage();
    await noScript.goto(`/patients/${patient.id}/care-team`);
    const invite = noScript.getByRole("region", { name: "Invite a new provider" });
    await invite.getByLabel("Provider's email").fill("not-an-address");
    await invite.getByLabel("They are a").selectOption({ label: "Therapist" });
    await invite.getByLabel("Role on the team").selectOption({ label: "Other provider" });
    await invite.getByLabel("Date signed").fill(nyDate(-2));
    await invite.getByLabel("Care notes").uncheck();
    await invite.getByRole("button", { name: "Send invitation" }).click();
    await expect(invite.getByLabel("Provider's email")).toHaveAccessibleDescription("Enter a valid email address.");
    await expect(invite.getByLabel("Provider's email")).toHaveValue("not-an-address");
    await expect(invite.getByLabel("They are a")).toHaveValue("therapist");
    await expect(invite.getByLabel("Role on the team")).toHaveValue("other");
    await expect(invite.getByLabel("Date signed")).toHaveValue(nyDate(-2));
    for (const scope of scopes) await expect(invite.getByLabel(scope)).toBeChecked({ checked: scope !== "Care notes" });

    // The address fixed, the release's missing expiry is refused next, the boxes still as left.
    await invite.getByLabel("Provider's email").fill(`team-forms-${Date.now()}@example.test`);
    await invite.getByRole("button", { name: "Send invitation" }).click();
    await expect(invite.getByLabel("Expires on")).toHaveAccessibleDescription(/^Enter the expiry date as a date/);
    await expect(invite.getByLabel("Date signed")).toHaveValue(nyDate(-2));
    for (const scope of scopes) await expect(invite.getByLabel(scope)).toBeChecked({ checked: scope !== "Care notes" });
    await noScript.context().close();
  });
});
