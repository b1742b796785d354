import { randomBytes } from "node:crypto";
import { DEMO, expect, expectNoAxeViolations } from "../support/fixtures";
import { expectFlash, waitForMail, test } from "../support/journeys";

const LAPSED_NOTICE = "A patient with booked infusions has no counting engagement confirmation";
const NO_ENGAGEMENT = "No active engagement confirmation";

/**
 * The demo's Casey Oyelaran: the therapist's only confirmation expired two days ago and the two
 * visits since (yesterday and the day before, supervised by the demo clinician) are still unrecorded.
 * Visits cannot be booked in the past, so the demo data supplies them; each run holds one of them.
 */
test.describe("the engagement gate on a visit already booked", () => {
  test("a lapsed engagement is told to the clinician, refuses 'held' on the visit's page, and an override with a reason is shown to the whole team", async ({
    signIn,
  }) => {
    test.slow();
    const clinician = await signIn(DEMO.clinician.email);

    // The clinician was told, with no patient data in the email.
    const notice = await waitForMail(clinician, DEMO.clinician.email, LAPSED_NOTICE, 0);
    expect(notice.text).not.toContain("Oyelaran");
    expect(notice.link).toMatch(/\/patients\/[0-9a-f-]{36}\/infusions$/);

    await clinician.goto(notice.link);
    await expect(clinician.getByRole("heading", { level: 1 })).toHaveText("Oyelaran, Casey");
    const rows = clinician
      .getByRole("table", { name: "Infusion visits" })
      .getByRole("row")
      .filter({ has: clinician.getByRole("cell") });
    // The outcome is recorded on the visit's own page, away from moving or cancelling it.
    await rows
      .getByRole("link", { name: /^Record the outcome/ })
      .first()
      .click();
    await expect(clinician.getByRole("heading", { name: "Pre-infusion check" })).toBeVisible();
    const outcome = clinician.getByRole("region", { name: "Outcome" });
    const overrideReason = outcome.getByLabel(/^Override reason/);
    await expect(overrideReason).toBeVisible();
    await expectNoAxeViolations(clinician);

    // Without a reason, "held" is refused with the gate's reasons.
    await outcome.getByLabel("Held: the infusion was given as planned").check();
    await outcome.getByRole("button", { name: "Record the outcome" }).click();
    const refused = clinician.getByRole("region", { name: "Outcome" }).getByRole("alert");
    await expect(refused).toContainText(NO_ENGAGEMENT);
    await expect(refused).toContainText("records the reason for overriding the gate");
    await expectNoAxeViolations(clinician);

    // With a reason, it is held, and the override is on the visit row.
    const reason = `Renewal signed on paper at the clinic (${randomBytes(3).toString("hex")})`;
    await clinician
      .getByRole("region", { name: "Outcome" })
      .getByLabel(/^Override reason/)
      .fill(reason);
    await clinician
      .getByRole("region", { name: "Outcome" })
      .getByLabel("Held: the infusion was given as planned")
      .check();
    await clinician
      .getByRole("region", { name: "Outcome" })
      .getByRole("button", { name: "Record the outcome" })
      .click();
    await expectFlash(
      clinician,
      /^Visit recorded as held\. The gate override and its reason are on the visit for the whole team\./,
    );
    await expect(clinician.getByRole("region", { name: "Outcome" })).toContainText(reason);
    await clinician.goto(notice.link);
    const held = rows.filter({ hasText: reason });
    await expect(held).toHaveCount(1);
    await expect(held).toContainText("held despite the engagement gate");
    await expect(held).toContainText(DEMO.clinician.name);
    await expectNoAxeViolations(clinician);

    // The outside therapist on the team sees the override on the infusion schedule.
    const therapist = await signIn(DEMO.therapist.email);
    await therapist.goto(notice.link);
    const seen = therapist.getByRole("table", { name: "Infusion visits" }).getByRole("row").filter({ hasText: reason });
    await expect(seen).toContainText("held despite the engagement gate");

    // The coordinator's work list lists the lapse and counts the override.
    const coordinator = await signIn(DEMO.coordinator.email);
    await coordinator.goto("/work-list");
    const lapsed = coordinator.getByRole("region", { name: /Engagement lapsed with visits booked/ });
    await expect(lapsed.getByRole("link", { name: /Oyelaran, Casey/ })).toBeVisible();
    const overrides = coordinator.getByRole("region", { name: /Visits held past the engagement gate/ });
    await expect(overrides.getByRole("listitem").filter({ hasText: reason })).toContainText("Oyelaran, Casey");
    await expectNoAxeViolations(coordinator);
  });
});
