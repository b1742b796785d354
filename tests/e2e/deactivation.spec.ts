import { DEMO, GENERIC_SIGN_IN_ERROR, expect, login, submitSignIn, test } from "../support/fixtures";

test.describe("deactivating a user", () => {
  test("ends their open session at once and blocks sign-in until reactivated", async ({ browser, createUser }) => {
    const user = await createUser("clinician");
    const userPage = await (await browser.newContext()).newPage();
    const adminPage = await (await browser.newContext()).newPage();

    await login(userPage, user.email, user.password);
    await expect(userPage.getByRole("heading", { level: 1 })).toHaveText("Patients");

    await login(adminPage, DEMO.admin.email);
    await adminPage.goto("/admin/users?role=clinician");
    const row = adminPage
      .getByRole("row")
      .filter({ has: adminPage.getByRole("cell", { name: user.email, exact: true }) });
    await expect(row.getByText("active", { exact: true })).toBeVisible();
    await row.getByRole("button", { name: `Deactivate ${user.name}` }).click();
    await expect(adminPage.getByRole("status")).toHaveText(
      "User deactivated. Their sessions have ended and they can no longer sign in.",
    );
    await expect(row.getByText("deactivated", { exact: true })).toBeVisible();

    // Their next request, from the page they had open, goes to sign-in.
    await userPage.reload();
    await expect(userPage).toHaveURL("/login?redirectTo=%2F");
    await submitSignIn(userPage, user.email, user.password);
    await expect(userPage.getByRole("alert")).toHaveText(GENERIC_SIGN_IN_ERROR);

    await row.getByRole("button", { name: `Reactivate ${user.name}` }).click();
    await expect(adminPage.getByRole("status")).toHaveText("User reactivated. They can sign in again.");
    await expect(row.getByText("active", { exact: true })).toBeVisible();

    await submitSignIn(userPage, user.email, user.password);
    await expect(userPage).toHaveURL("/");
    await expect(userPage.getByRole("heading", { level: 1 })).toHaveText("Patients");

    await userPage.context().close();
    await adminPage.context().close();
  });

  test("an administrator cannot deactivate themselves", async ({ page }) => {
    await login(page, DEMO.admin.email);
    await page.goto("/admin/users?role=admin");
    const ownRow = page
      .getByRole("row")
      .filter({ has: page.getByRole("cell", { name: DEMO.admin.email, exact: true }) });
    await expect(ownRow.getByText("You", { exact: true })).toBeVisible();
    await expect(ownRow.getByRole("button")).toHaveCount(0);
  });
});
