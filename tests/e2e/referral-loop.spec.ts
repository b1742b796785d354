import { DEMO, expect, expectNoAxeViolations } from "../support/fixtures";
import {
  DIRECTORY_THERAPISTS,
  createPatient,
  expectFlash,
  mailCount,
  nyDate,
  test,
  waitForMail,
} from "../support/journeys";

// Medicaid and Queens narrow the demo directory to one therapist, whom no other journey offers to.
const THERAPIST = "Elena Sokolova, LCSW";
const ACCEPTED_SUBJECT = "A provider accepted your referral: record the release of information";
const ACCESS_SUBJECT = "A patient's record is open to you in the Ember portal";

test.describe("referral, release of information, access", () => {
  test("a therapist accepts, waits for the release; the coordinator records it from the work list; the therapist is emailed and opens the patient", async ({
    signIn,
  }) => {
    test.slow();
    const therapistEmail = DIRECTORY_THERAPISTS[THERAPIST]!;
    const coordinator = await signIn(DEMO.coordinator.email);
    const patient = await createPatient(coordinator, { label: "Loop", insurance: "Medicaid" });
    await coordinator
      .getByRole("navigation", { name: "Patient sections" })
      .getByRole("link", { name: "Referrals" })
      .click();
    await coordinator.getByLabel("Borough for in-person care").selectOption("Queens");
    await coordinator.getByRole("button", { name: "Open referral and see candidates" }).click();
    await expectFlash(coordinator, "Referral opened. Review the ranked candidates and make an offer.");
    const referralUrl = coordinator.url();
    await coordinator.getByRole("button", { name: `Offer to ${THERAPIST}` }).click();
    await expectFlash(coordinator, "Offer sent. The provider sees a de-identified summary and has 72 hours to answer.");

    // The therapist accepts; the patient's record waits for the release of information.
    const therapist = await signIn(therapistEmail);
    const acceptedBefore = await mailCount(coordinator, DEMO.coordinator.email, ACCEPTED_SUBJECT);
    const accessBefore = await mailCount(therapist, therapistEmail, ACCESS_SUBJECT);
    await therapist.goto("/offers");
    await therapist
      .getByRole("article")
      .filter({ has: therapist.getByRole("button", { name: "Accept the referral" }) })
      .getByRole("button", { name: "Accept the referral" })
      .click();
    await expectFlash(
      therapist,
      "Referral accepted: you are on the patient's care team. Their record opens to you once Ember records the patient's release of information naming you; you will get an email then.",
    );
    const accepted = therapist.getByRole("article").filter({ hasText: patient.listed });
    await expect(accepted.getByRole("link", { name: patient.listed })).toHaveCount(0);
    await expectNoAxeViolations(therapist);
    await accepted.getByRole("link", { name: "Waiting for the release of information" }).click();
    await expect(therapist).toHaveURL(`/patients/${patient.id}`);
    await expect(
      therapist.getByRole("heading", { level: 1, name: "Waiting for the release of information" }),
    ).toBeVisible();
    await expect(therapist.getByRole("main")).toContainText(`ask ${DEMO.coordinator.name}`);
    await expect(therapist.getByRole("main")).toContainText("You will get an email");
    await expect(therapist.getByRole("main")).not.toContainText("PTSD");
    await expect(therapist.getByRole("navigation", { name: "Patient sections" })).toHaveCount(0);
    await expectNoAxeViolations(therapist);

    // The coordinator is told, a link to the referral only, and sees the next step.
    const notice = await waitForMail(coordinator, DEMO.coordinator.email, ACCEPTED_SUBJECT, acceptedBefore);
    expect(notice.link).toBe(referralUrl);
    expect(notice.text).not.toContain(patient.lastName);
    await coordinator.goto(referralUrl);
    await expect(
      coordinator.getByRole("link", {
        name: `Record the release of information naming ${THERAPIST} on the care team`,
      }),
    ).toBeVisible();

    await coordinator.goto("/work-list");
    const awaiting = coordinator.getByRole("region", { name: /^Offer accepted: record the release/ });
    await expect(awaiting).toContainText(`${patient.listed}`);
    await expect(awaiting).toContainText(`${THERAPIST} accepted`);
    await expectNoAxeViolations(coordinator);
    await awaiting.getByRole("link", { name: new RegExp(patient.listed) }).click();
    await expect(coordinator).toHaveURL(`/patients/${patient.id}/care-team`);

    // The release form waits openly on the member's card.
    const member = coordinator.getByRole("article", { name: `${THERAPIST}, Primary therapist` });
    const form = member.getByRole("form", { name: `Record a release for ${THERAPIST}` });
    await expect(form).toBeVisible();
    await form.getByLabel("Date signed").fill(nyDate());
    await form.getByLabel("Expires on").fill(nyDate(365));
    await form.getByRole("button", { name: "Record release" }).click();
    await expectFlash(coordinator, "Release of information recorded.");
    await expect(member.getByText("Release of information: current")).toBeVisible();
    await expectNoAxeViolations(coordinator);
    await coordinator.goto("/work-list");
    await expect(coordinator.getByRole("region", { name: /^Offer accepted: record the release/ })).not.toContainText(
      patient.listed,
    );

    // The therapist is emailed a link to the patient only, and the record opens.
    const access = await waitForMail(therapist, therapistEmail, ACCESS_SUBJECT, accessBefore);
    expect(new URL(access.link).pathname).toBe(`/patients/${patient.id}`);
    expect(access.text).not.toContain(patient.lastName);
    expect(access.text).not.toContain(patient.firstName);
    await therapist.goto(new URL(access.link).pathname);
    await expect(therapist.getByRole("heading", { level: 1 })).toHaveText(patient.listed);
    await expectNoAxeViolations(therapist);
    await therapist.goto("/offers");
    await expect(
      therapist.getByRole("article").filter({ hasText: patient.listed }).getByRole("link", { name: patient.listed }),
    ).toBeVisible();

    // Before the first session the therapist gives the intake date: provisional, and said to be.
    await therapist.goto(`/patients/${patient.id}/engagement`);
    await therapist.getByLabel("Intake scheduled on").fill(nyDate(3));
    await therapist.getByRole("button", { name: "Confirm the intake date" }).click();
    await expectFlash(
      therapist,
      "Intake date recorded, as provisional. Confirm engagement after the first session held.",
    );
    await expect(therapist.getByRole("region", { name: "Intake scheduled (provisional)" })).toContainText(
      "infusions cannot be booked on it",
    );
    await expectNoAxeViolations(therapist);
    await coordinator.goto("/work-list");
    await expect(
      coordinator.getByRole("region", { name: /^Intake scheduled, engagement not confirmed/ }),
    ).toContainText(patient.listed);
  });
});
