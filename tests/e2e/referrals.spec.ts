import type { Page } from "@playwright/test";
import { DEMO, expect, expectNoAxeViolations } from "../support/fixtures";
import {
  DIRECTORY_THERAPISTS,
  confirmEngagement,
  createPatient,
  expectFlash,
  recordRelease,
  type NewPatient,
  test,
} from "../support/journeys";

/** The ranked candidates, best first, as their names. */
async function candidateNames(page: Page): Promise<string[]> {
  const lists = page.getByRole("region", { name: "Ranked candidates" }).getByRole("list", { name: / ranks here$/ });
  const labels = await lists.evaluateAll((els) => els.map((el) => el.getAttribute("aria-label") ?? ""));
  return labels.map((label) => label.replace(/^Why /, "").replace(/ ranks here$/, ""));
}

const referralStatus = (page: Page) => page.locator(".page-header .lead .badge");

/**
 * This journey's offer a provider has not answered yet, on their offers page. Other journeys offer
 * referrals to the same directory therapists at the same time; only this one asks for VA coverage.
 */
const openOffer = (page: Page) =>
  page
    .getByRole("article")
    .filter({ has: page.getByRole("button", { name: "Accept the referral" }) })
    .filter({ hasText: "VA Community Care" });

async function expectNoPatientIdentity(page: Page, patient: NewPatient) {
  await expect(page.getByRole("main")).not.toContainText(patient.lastName);
  await expect(page.getByRole("main")).not.toContainText(patient.firstName);
}

test.describe("referral to a trauma-focused therapist", () => {
  test("a coordinator offers a referral until a therapist accepts, engages, and the loop is closed", async ({
    signIn,
  }) => {
    test.slow();
    test.slow();
    const page = await signIn(DEMO.coordinator.email);
    // VA Community Care narrows the demo directory to two therapists who take it.
    const patient = await createPatient(page, { label: "Referral", insurance: "VA Community Care" });
    await page.getByRole("navigation", { name: "Patient sections" }).getByRole("link", { name: "Referrals" }).click();
    await expect(page.getByRole("heading", { name: "No referrals yet" })).toBeVisible();
    await page.getByLabel("Borough for in-person care").selectOption("Brooklyn");
    await expect(page.getByLabel("Coverage")).toHaveValue("VA Community Care");
    await page.getByLabel("Urgency").selectOption({ label: "Soon (within 2 weeks)" });
    await page.getByRole("button", { name: "Open referral and see candidates" }).click();
    await expectFlash(page, "Referral opened. Review the ranked candidates and make an offer.");
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(`Referral for ${patient.listed}`);
    await expect(referralStatus(page)).toHaveText("open");
    const referralUrl = page.url();

    // Ranked candidates, best first, each with the reasons for its place.
    const ranked = await candidateNames(page);
    expect(ranked.sort()).toEqual(["Jamal Carter, LMFT", "Priya Raman, LMHC"]);
    const [first, second] = await candidateNames(page);
    const scores = await page
      .getByRole("region", { name: "Ranked candidates" })
      .getByRole("heading", { level: 3 })
      .evaluateAll((els) => els.map((el) => Number(/(\d+) \/ 100/.exec(el.textContent ?? "")?.[1])));
    expect(scores[0]).toBeGreaterThanOrEqual(scores[1]!);
    for (const name of [first!, second!]) {
      const reasons = page.getByRole("list", { name: `Why ${name} ranks here` }).getByRole("listitem");
      expect(await reasons.count()).toBeGreaterThan(0);
      for (const reason of await reasons.allTextContents()) expect(reason).toMatch(/\(\+\d+\)$/);
    }
    await expectNoAxeViolations(page);

    // The first declines, with a reason; before answering they see no name.
    await page.getByRole("button", { name: `Offer to ${first}` }).click();
    await expectFlash(page, "Offer sent. The provider sees a de-identified summary and has 72 hours to answer.");
    await expect(referralStatus(page)).toHaveText("offered");
    await expect(page.getByRole("region", { name: "Offers" })).toContainText(`${first}: open`);

    const firstTherapist = await signIn(DIRECTORY_THERAPISTS[first!]!);
    await firstTherapist.goto("/offers");
    await expect(openOffer(firstTherapist)).toHaveCount(1);
    await expect(openOffer(firstTherapist).getByRole("heading", { level: 2 })).toHaveText("Referral offer open");
    await expect(openOffer(firstTherapist)).toContainText("Any of WET, CPT or PE");
    // What the patient has is not part of the decision: no diagnoses before acceptance.
    await expect(openOffer(firstTherapist)).not.toContainText("PTSD");
    await expect(openOffer(firstTherapist)).not.toContainText("major depression");
    await expect(openOffer(firstTherapist)).toContainText("In person (Brooklyn) or telehealth");
    await expect(openOffer(firstTherapist)).toContainText("VA Community Care · English");
    await expectNoPatientIdentity(firstTherapist, patient);
    await expectNoAxeViolations(firstTherapist);
    const why = "No openings on Tuesdays or Thursdays this month.";
    await openOffer(firstTherapist).getByLabel("Reason for declining").fill(why);
    await openOffer(firstTherapist).getByRole("button", { name: "Decline" }).click();
    await expectFlash(firstTherapist, "Referral declined. Thank you for answering quickly.");
    await expect(openOffer(firstTherapist)).toHaveCount(0);
    await expectNoPatientIdentity(firstTherapist, patient);

    // The coordinator sees the answer and offers to the second.
    await page.reload();
    await expect(referralStatus(page)).toHaveText("open");
    await expect(page.getByRole("region", { name: "Offers" })).toContainText(`${first}: declined offered`);
    await expect(page.getByRole("region", { name: "Offers" })).toContainText(`“${why}”`);
    expect(await candidateNames(page)).toEqual([second]);
    await page.getByRole("button", { name: `Offer to ${second}` }).click();
    await expectFlash(page, "Offer sent. The provider sees a de-identified summary and has 72 hours to answer.");

    // The second accepts: only now do they see who the patient is, and they join the care team.
    const secondTherapist = await signIn(DIRECTORY_THERAPISTS[second!]!);
    await secondTherapist.goto("/offers");
    await expect(openOffer(secondTherapist)).toHaveCount(1);
    await expectNoPatientIdentity(secondTherapist, patient);
    await openOffer(secondTherapist).getByRole("button", { name: "Accept the referral" }).click();
    await expectFlash(
      secondTherapist,
      "Referral accepted: you are on the patient's care team. Their record opens to you once Ember records the patient's release of information naming you; you will get an email then.",
    );
    const accepted = secondTherapist.getByRole("article").filter({ hasText: patient.listed });
    await expect(accepted.getByRole("heading", { level: 2 })).toHaveText(`${patient.listed} accepted`);
    // The record itself still waits for the release of information.
    expect((await secondTherapist.goto(`/patients/${patient.id}`))?.status()).toBe(403);
    await expect(
      secondTherapist.getByRole("heading", { name: "Waiting for the release of information" }),
    ).toBeVisible();

    await page.reload();
    await expect(referralStatus(page)).toHaveText("accepted");
    await expect(page.getByRole("region", { name: "Ranked candidates" })).toHaveCount(0);
    await page.getByRole("link", { name: "Patient record" }).click();
    await page.getByRole("navigation", { name: "Patient sections" }).getByRole("link", { name: "Care team" }).click();
    await expect(page.getByRole("article", { name: `${second}, Primary therapist` })).toContainText(
      "Release of information: missing",
    );
    await recordRelease(page, second!);

    // With the release on file the therapist confirms engagement, and the referral follows.
    await confirmEngagement(secondTherapist, patient.id, second!);
    await page.goto(referralUrl);
    await expect(referralStatus(page)).toHaveText("engaged");
    const history = page.getByRole("region", { name: "History" }).getByRole("listitem");
    await expect(history.last()).toContainText(`accepted → engaged by ${second}`);
    await expectNoAxeViolations(page);

    await page.getByRole("button", { name: "Close the loop" }).click();
    await expectFlash(page, "Referral closed: the loop is complete.");
    await expect(referralStatus(page)).toHaveText("closed");
    await expect(history.last()).toContainText(`engaged → closed by ${DEMO.coordinator.name}`);
    await expect(page.getByRole("button", { name: "Close the loop" })).toHaveCount(0);
    await expect(page.getByText("Cancel this referral")).toHaveCount(0);
  });
});
