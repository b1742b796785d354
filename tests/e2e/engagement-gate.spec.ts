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
  test("a lapsed engagement is told to the clinician, blocks 'mark held', and an override with a reason is shown to the whole team", async ({
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
    const open = rows.filter({ has: clinician.getByText("Change", { exact: true }) }).first();
    await open.getByText("Change", { exact: true }).click();
    const outcome = open.getByRole("form", { name: "Record the visit's outcome" });
    await expect(outcome.getByLabel("Reason for overriding the engagement gate")).toBeVisible();
    await expectNoAxeViolations(clinician);

    // Without a reason, "held" is refused with the gate's reasons.
    await outcome.getByRole("button", { name: "Mark held with override" }).click();
    const refused = clinician.getByRole("table", { name: "Infusion visits" }).getByRole("alert");
    await expect(refused).toContainText(NO_ENGAGEMENT);
    await expect(refused).toContainText("records the reason for overriding the gate");
    await expectNoAxeViolations(clinician);

    // With a reason, it is held, and the override is on the visit row.
    const reason = `Renewal signed on paper at the clinic (${randomBytes(3).toString("hex")})`;
    const retry = clinician
      .getByRole("form", { name: "Record the visit's outcome" })
      .filter({ has: clinician.getByRole("alert") });
    await retry.getByLabel("Reason for overriding the engagement gate").fill(reason);
    await retry.getByRole("button", { name: "Mark held with override" }).click();
    await expectFlash(
      clinician,
      /^Visit marked held\. The gate override and its reason are on the visit for the whole care team\./,
    );
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
