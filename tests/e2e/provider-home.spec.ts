import { randomInt } from "node:crypto";
import { DEMO, expect, expectNoAxeViolations, login } from "../support/fixtures";
import {
  addExistingProvider,
  confirmEngagement,
  createPatient,
  DIRECTORY_THERAPISTS,
  expectFlash,
  nyDate,
  previewCourse,
  recordRelease,
  test,
} from "../support/journeys";

test.describe("a therapist's home", () => {
  test("shows the referral offers waiting for their answer and their patients' therapy windows with no session planned", async ({
    signIn,
    browser,
    createUser,
  }) => {
    test.slow();
    // A therapist of their own: the demo therapist's home lists the 20 soonest windows of many patients.
    const user = await createUser("therapist");
    const coordinator = await signIn(DEMO.coordinator.email);
    const patient = await createPatient(coordinator, { label: "Home", clinic: "Chelsea" });
    await addExistingProvider(coordinator, user.name, "Primary therapist");
    await recordRelease(coordinator, user.name);
    const therapist = await (await browser.newContext()).newPage();
    await login(therapist, user.email, user.password);
    await confirmEngagement(therapist, patient.id, user.name);

    // An Ember clinician books one visit; its therapy window has no session planned yet.
    const clinician = await signIn(DEMO.clinician.email);
    await clinician.goto(`/patients/${patient.id}/infusions`);
    const form = await previewCourse(clinician, {
      firstDay: nyDate(30 + randomInt(60)),
      time: `${12 + randomInt(4)}:${randomInt(4) * 15 || "00"}`,
      count: 1,
      everyDays: 1,
    });
    await form.getByRole("button", { name: /^Book/ }).click();
    await expectFlash(clinician, /^1 visit scheduled; the care team was notified\./);

    await therapist.goto("/");
    const windows = therapist.getByRole("region", { name: /^Therapy windows with no session planned/ });
    const row = windows.getByRole("listitem").filter({ has: therapist.getByRole("link", { name: patient.listed }) });
    await expect(row).toHaveCount(1);
    await expect(row).toContainText("opens soon");
    await expect(row).toContainText(/E[SD]T/);
    await expect(row.getByRole("link", { name: patient.listed })).toHaveAttribute(
      "href",
      `/patients/${patient.id}/infusions`,
    );
    await expectNoAxeViolations(therapist);

    // The coordinator offers the patient's referral to a directory therapist, whose home shows it with its expiry.
    await coordinator.goto(`/patients/${patient.id}/referrals`);
    await coordinator.getByLabel("Borough for in-person care").selectOption("Brooklyn");
    await coordinator.getByLabel("Urgency").selectOption({ label: "Soon (within 2 weeks)" });
    await coordinator.getByRole("button", { name: "Open referral and see candidates" }).click();
    await expectFlash(coordinator, "Referral opened. Review the ranked candidates and make an offer.");
    const offer = coordinator.getByRole("button", { name: /^Offer to / }).first();
    const name = (await offer.textContent())!.replace(/^Offer to /, "").trim();
    await offer.click();
    await expectFlash(coordinator, /^Offer sent\./);

    const offered = await signIn(DIRECTORY_THERAPISTS[name]!);
    await offered.goto("/");
    const offers = offered.getByRole("region", { name: /^Referral offers waiting for your answer/ });
    await expect(offers.getByTestId("offer-waiting").first()).toContainText(/answer by .*E[SD]T/);
    await expect(offers).not.toContainText(patient.lastName);
    await expect(offered.getByRole("link", { name: /^Referral offers \d+ waiting for your answer$/ })).toBeVisible();
    await expectNoAxeViolations(offered);
    await therapist.context().close();
  });
});
