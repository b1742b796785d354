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
});
