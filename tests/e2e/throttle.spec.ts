import type { Page } from "@playwright/test";
import {
  DEMO,
  GENERIC_SIGN_IN_ERROR,
  THROTTLED_SIGN_IN_ERROR,
  expect,
  login,
  submitSignIn,
  test,
  uniqueEmail,
} from "../support/fixtures";

/** SIGN_IN_MAX_FAILURES_PER_ACCOUNT, as the e2e servers run with the default. */
const MAX_FAILURES = 5;

async function failSignIns(page: Page, email: string, times: number) {
  await page.goto("/login");
  for (let attempt = 1; attempt <= times; attempt++) {
    await submitSignIn(page, email, `wrong-password-${attempt}`);
    await expect(page.getByRole("alert"), `attempt ${attempt}`).toHaveText(GENERIC_SIGN_IN_ERROR);
  }
}

test.describe("sign-in throttling", () => {
  test("after repeated failures an account is paused, even for the right password, and only that account", async ({
    page,
    createUser,
  }) => {
    const user = await createUser("clinician");

    await failSignIns(page, user.email, MAX_FAILURES);
    await submitSignIn(page, user.email, user.password);
    await expect(page.getByRole("alert")).toHaveText(THROTTLED_SIGN_IN_ERROR);
    await expect(page).toHaveURL(/\/login/);
    await expect(page.getByRole("button", { name: "Sign out" })).toHaveCount(0);

    // Another account signing in from the same browser is not held back.
    await login(page, DEMO.therapist.email);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("My patients");
  });

  test("an unknown email is paused with the very same message (no account enumeration)", async ({ page }) => {
    const nobody = uniqueEmail("nobody");

    await failSignIns(page, nobody, MAX_FAILURES);
    await submitSignIn(page, nobody, "any-password");

    await expect(page.getByRole("alert")).toHaveText(THROTTLED_SIGN_IN_ERROR);
  });
});
