import {
  DEMO,
  DEMO_PASSWORD,
  GENERIC_SIGN_IN_ERROR,
  expect,
  expectNoAxeViolations,
  login,
  signOut,
  submitSignIn,
  test,
} from "../support/fixtures";
import { E2E_PATIENT_PREFIX } from "../support/journeys";

test.describe("signing in", () => {
  test("the sign-in page is accessible", async ({ page }) => {
    await page.goto("/login");
    await expect(page.getByRole("heading", { level: 1, name: "Sign in" })).toBeVisible();
    await expectNoAxeViolations(page);
  });

  for (const account of Object.values(DEMO)) {
    test(`the demo ${account.role} lands on their home page with their patients`, async ({ page }) => {
      await login(page, account.email, DEMO_PASSWORD);

      await expect(page).toHaveURL("/");
      await expect(page.getByRole("heading", { level: 1 })).toHaveText(account.home);
      await expect(page.getByText(`Welcome, ${account.name}.`)).toBeVisible();
      // Journeys running alongside add patients of their own (named E2E_PATIENT_PREFIX…): the demo ones are checked exactly.
      const rows = page
        .getByRole("table")
        .getByRole("row")
        .filter({ has: page.getByRole("cell") })
        .filter({ hasNotText: E2E_PATIENT_PREFIX });
      await expect(rows.locator("td:first-child")).toHaveText(account.patients);
      await expectNoAxeViolations(page);
    });
  }

  test("a signed-out visit to a portal page returns there after signing in", async ({ page }) => {
    await page.goto("/invitations");
    await expect(page).toHaveURL("/login?redirectTo=%2Finvitations");
    await expect(page.getByRole("heading", { level: 1, name: "Sign in" })).toBeVisible();

    await submitSignIn(page, DEMO.coordinator.email, DEMO_PASSWORD);

    await expect(page).toHaveURL("/invitations");
    await expect(page.getByRole("heading", { level: 1, name: "Invitations" })).toBeVisible();
  });

  test("signing out ends the session", async ({ page }) => {
    await login(page, DEMO.psychiatrist.email);

    await signOut(page);
    await expect(page.getByRole("button", { name: "Sign out" })).toHaveCount(0);

    await page.goto("/");
    await expect(page).toHaveURL("/login?redirectTo=%2F");
  });

  test("a wrong password gets the generic message and keeps the email", async ({ page }) => {
    await page.goto("/login");
    await submitSignIn(page, DEMO.clinician.email, "not-the-password");

    await expect(page.getByRole("alert")).toHaveText(GENERIC_SIGN_IN_ERROR);
    await expect(page).toHaveURL(/\/login/);
    await expect(page.getByLabel("Email")).toHaveValue(DEMO.clinician.email);
    await expect(page.getByRole("button", { name: "Sign out" })).toHaveCount(0);
  });
});
