import {
  enrolAuthenticator,
  enterAuthenticatorCode,
  expect,
  expectNoAxeViolations,
  rememberAuthenticator,
  signOut,
  submitSignIn,
  test,
  totpCode,
} from "../support/fixtures";
import { MFA_PORT, urlFor } from "../support/servers";

// The server these journeys use requires a second factor of Ember staff, as production does.
test.use({ baseURL: urlFor(MFA_PORT) });

test.describe("two-step sign-in for Ember staff", () => {
  test("a coordinator enrols, signs in with a code, then with a recovery code that then stops working, and ends another session", async ({
    page,
    browser,
    createUser,
    baseURL,
  }) => {
    // Six sign-ins, and codes that may have to wait for the next 30-second step.
    test.slow();
    const coordinator = await createUser("coordinator");

    // First sign-in with the password alone: staff must set up an authenticator before anything else.
    await page.goto("/login");
    await submitSignIn(page, coordinator.email, coordinator.password);
    await expect(page).toHaveURL(/\/account\/mfa$/);
    await expect(page.getByRole("heading", { name: "Set up two-step sign-in" })).toBeVisible();
    await expect(page.getByRole("img", { name: /QR code/ })).toBeVisible();
    await expectNoAxeViolations(page);
    await page.goto("/work-list");
    await expect(page, "no portal page before enrolment").toHaveURL(/\/account\/mfa$/);

    const secret = (await page.getByTestId("totp-key").innerText()).replace(/\s+/g, "");
    const recoveryCodes = await enrolAuthenticator(page, coordinator.email, coordinator.password);
    expect(recoveryCodes).toHaveLength(10);
    await expect(page.getByRole("heading", { name: "Patients" })).toBeVisible();
    await signOut(page);

    // Password, then a code from the app.
    await submitSignIn(page, coordinator.email, coordinator.password);
    await expect(page).toHaveURL(/\/login\/verify/);
    await expectNoAxeViolations(page);
    await page.getByLabel("Code").fill("000000");
    await page.getByRole("button", { name: "Verify" }).click();
    await expect(page.getByRole("alert")).toContainText("That code is not right");
    await page.getByLabel("Code").fill(totpCode(secret, Date.now() + 30_000));
    await page.getByRole("button", { name: "Verify" }).click();
    await expect(page.getByRole("heading", { name: "Patients" })).toBeVisible();
    await signOut(page);

    // Password, then a recovery code: it works once.
    const [recovery] = recoveryCodes;
    await submitSignIn(page, coordinator.email, coordinator.password);
    await page.getByLabel("Code").fill(recovery!);
    await page.getByRole("button", { name: "Verify" }).click();
    await expect(page.getByRole("heading", { name: "Patients" })).toBeVisible();
    await signOut(page);
    await submitSignIn(page, coordinator.email, coordinator.password);
    await page.getByLabel("Code").fill(recovery!);
    await page.getByRole("button", { name: "Verify" }).click();
    await expect(page.getByRole("alert")).toContainText("That code is not right");

    // A second device signs in; the first sees it and ends it.
    await page.getByLabel("Code").fill(recoveryCodes[1]!);
    await page.getByRole("button", { name: "Verify" }).click();
    await expect(page.getByRole("heading", { name: "Patients" })).toBeVisible();
    const other = await browser.newContext({ baseURL });
    const otherPage = await other.newPage();
    await otherPage.goto("/login");
    await submitSignIn(otherPage, coordinator.email, coordinator.password);
    await otherPage.getByLabel("Code").fill(recoveryCodes[2]!);
    await otherPage.getByRole("button", { name: "Verify" }).click();
    await expect(otherPage.getByRole("heading", { name: "Patients" })).toBeVisible();

    await page.goto("/account/sessions");
    await expectNoAxeViolations(page);
    const rows = page.getByRole("row");
    await expect(rows).toHaveCount(3);
    await page.getByRole("button", { name: "Sign out this session" }).click();
    await expect(page.getByText("That session was signed out.")).toBeVisible();
    await expect(page.getByRole("row")).toHaveCount(2);

    await otherPage.goto("/work-list");
    await expect(otherPage, "the ended session no longer works").toHaveURL(/\/login\?redirectTo=%2Fwork-list/);

    // A third device signs in; changing the password asks for the password and a current code, then ends it.
    await otherPage.goto("/login");
    await submitSignIn(otherPage, coordinator.email, coordinator.password);
    await otherPage.getByLabel("Code").fill(recoveryCodes[3]!);
    await otherPage.getByRole("button", { name: "Verify" }).click();
    await expect(otherPage.getByRole("heading", { name: "Patients" })).toBeVisible();
    await page.goto("/account");
    const passwordForm = page.locator("form", { has: page.getByRole("button", { name: "Change password" }) });
    await passwordForm.getByLabel("Current password").fill(coordinator.password);
    await passwordForm.getByLabel("New password", { exact: true }).fill("a brand new password 2026");
    await passwordForm.getByLabel("Repeat the new password").fill("a brand new password 2026");
    await passwordForm.getByRole("button", { name: "Change password" }).click();
    await expect(
      page.getByText("Enter the current code from your authenticator app, or a recovery code."),
    ).toBeVisible();
    await passwordForm.getByLabel("Current password").fill(coordinator.password);
    await passwordForm.getByLabel("Current code from your authenticator app").fill(recoveryCodes[4]!);
    await passwordForm.getByLabel("New password", { exact: true }).fill("a brand new password 2026");
    await passwordForm.getByLabel("Repeat the new password").fill("a brand new password 2026");
    await passwordForm.getByRole("button", { name: "Change password" }).click();
    await expect(page.getByText("Password changed. Every other session was signed out.")).toBeVisible();
    await otherPage.goto("/work-list");
    await expect(otherPage, "the other device was signed out").toHaveURL(/\/login\?redirectTo=%2Fwork-list/);
    await other.close();
  });

  test("changing the password asks for the password and a code again and signs out other sessions", async ({
    page,
    browser,
    createUser,
    baseURL,
  }) => {
    test.slow();
    const therapist = await createUser("therapist");
    const other = await browser.newContext({ baseURL });
    const otherPage = await other.newPage();
    for (const p of [page, otherPage]) {
      await p.goto("/login");
      await submitSignIn(p, therapist.email, therapist.password);
      await expect(p.getByRole("heading", { name: "My patients" })).toBeVisible();
    }
    await page.goto("/account");
    await expectNoAxeViolations(page);
    const passwordForm = page.locator("form", { has: page.getByRole("button", { name: "Change password" }) });
    await passwordForm.getByLabel("Current password").fill("not the password");
    await passwordForm.getByLabel("New password", { exact: true }).fill("a brand new password 2026");
    await passwordForm.getByLabel("Repeat the new password").fill("a brand new password 2026");
    await passwordForm.getByRole("button", { name: "Change password" }).click();
    await expect(page.getByText("Your current password is not right.")).toBeVisible();

    await passwordForm.getByLabel("Current password").fill(therapist.password);
    await passwordForm.getByLabel("New password", { exact: true }).fill("a brand new password 2026");
    await passwordForm.getByLabel("Repeat the new password").fill("a brand new password 2026");
    await passwordForm.getByRole("button", { name: "Change password" }).click();
    await expect(page.getByText("Password changed. Every other session was signed out.")).toBeVisible();

    await otherPage.goto("/");
    await expect(otherPage).toHaveURL(/\/login/);
    await signOut(page);
    await submitSignIn(page, therapist.email, "a brand new password 2026");
    await expect(page.getByRole("heading", { name: "My patients" })).toBeVisible();
    await other.close();
  });

  test("someone with a copied session and the password cannot replace the authenticator; the owner can, with a code from the old one, and the copy stops working", async ({
    page,
    browser,
    createUser,
    baseURL,
  }) => {
    test.slow();
    const coordinator = await createUser("coordinator");
    await page.goto("/login");
    await submitSignIn(page, coordinator.email, coordinator.password);
    const ownersKey = (await page.getByTestId("totp-key").innerText()).replace(/\s+/g, "");
    await enrolAuthenticator(page, coordinator.email, coordinator.password);
    await expect(page.getByRole("heading", { name: "Patients" })).toBeVisible();

    // The session cookie copied into another browser, by someone who also knows the password.
    const thief = await browser.newContext({ baseURL });
    await thief.addCookies(await page.context().cookies());
    const thiefPage = await thief.newPage();
    await thiefPage.goto("/account");
    await thiefPage.getByRole("link", { name: "Replace your authenticator" }).click();
    await expect(thiefPage.getByRole("heading", { name: "Replace your authenticator" })).toBeVisible();
    const thiefsKey = (await thiefPage.getByTestId("totp-key").innerText()).replace(/\s+/g, "");
    for (const guess of ["", "123456"]) {
      await thiefPage.getByLabel("Code from the app").fill(totpCode(thiefsKey));
      await thiefPage.getByLabel("Current password").fill(coordinator.password);
      await thiefPage.getByLabel("Code from your current authenticator, or a recovery code").fill(guess);
      await thiefPage.getByRole("button", { name: "Replace the authenticator" }).click();
      await expect(
        thiefPage.getByText("Enter the current code from your authenticator app, or a recovery code."),
      ).toBeVisible();
      await expect(thiefPage.getByTestId("recovery-codes")).toHaveCount(0);
    }
    await expectNoAxeViolations(thiefPage);

    // The owner, with the phone in hand, replaces it: the new app's code, the password, and a code from the old app.
    await page.goto("/account/mfa");
    await expect(page.getByRole("heading", { name: "Replace your authenticator" })).toBeVisible();
    await expectNoAxeViolations(page);
    const newKey = (await page.getByTestId("totp-key").innerText()).replace(/\s+/g, "");
    await page.getByLabel("Code from the app").fill(totpCode(newKey));
    await page.getByLabel("Current password").fill(coordinator.password);
    // The enrolment used this step's code of the old key; the next step's is accepted for clock drift.
    await page
      .getByLabel("Code from your current authenticator, or a recovery code")
      .fill(totpCode(ownersKey, Date.now() + 30_000));
    await page.getByRole("button", { name: "Replace the authenticator" }).click();
    await expect(page.getByTestId("recovery-codes").locator("code")).toHaveCount(10);
    rememberAuthenticator(coordinator.email, newKey);
    await page.getByRole("link", { name: "Continue to the portal" }).click();
    await expect(
      page.getByRole("heading", { name: "Patients" }),
      "the owner stays signed in, on a new session id",
    ).toBeVisible();

    await thiefPage.goto("/work-list");
    await expect(thiefPage, "the copied session opens nothing").toHaveURL(/\/login\?redirectTo=%2Fwork-list/);
    await thief.close();

    // From now on the new app's codes sign in.
    await signOut(page);
    await submitSignIn(page, coordinator.email, coordinator.password);
    await enterAuthenticatorCode(page, coordinator.email);
    await expect(page.getByRole("heading", { name: "Patients" })).toBeVisible();
  });
});
