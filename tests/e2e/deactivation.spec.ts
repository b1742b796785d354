import {
  DEMO,
  GENERIC_SIGN_IN_ERROR,
  expect,
  expectNoAxeViolations,
  login,
  submitSignIn,
  test,
} from "../support/fixtures";

test.describe("administering users", () => {
  test("deactivating asks for a reason, names the patients whose care team ends, ends the open session at once and blocks sign-in until reactivated", async ({
    browser,
    createUser,
  }) => {
    const user = await createUser("therapist");
    const userPage = await (await browser.newContext()).newPage();
    const adminPage = await (await browser.newContext()).newPage();
    const coordinatorPage = await (await browser.newContext()).newPage();

    // The coordinator puts the new therapist on a patient's care team.
    await login(coordinatorPage, DEMO.coordinator.email);
    await coordinatorPage.getByLabel("Search by name or record number").fill("Szabo");
    await coordinatorPage.getByRole("button", { name: "Search" }).click();
    await coordinatorPage.getByRole("link", { name: /Szabo/ }).first().click();
    await coordinatorPage.getByRole("link", { name: "Care team" }).click();
    await coordinatorPage
      .getByLabel("Provider", { exact: true })
      .selectOption({ label: `${user.name} — Therapist, E2E Practice` });
    await coordinatorPage.getByLabel("Role on the team").first().selectOption("other");
    await coordinatorPage.getByRole("button", { name: "Add to care team" }).click();
    await expect(coordinatorPage.getByRole("status")).toBeVisible();

    await login(userPage, user.email, user.password);
    await expect(userPage.getByRole("heading", { level: 1 })).toHaveText("My patients");

    // The administrator finds them by part of their name.
    await login(adminPage, DEMO.admin.email);
    await adminPage.goto("/admin/users");
    await adminPage.getByLabel("Name or email").fill(user.name.slice(4).toUpperCase());
    await adminPage.getByRole("button", { name: "Filter" }).click();
    await expect(adminPage.getByRole("cell", { name: user.email, exact: true })).toBeVisible();
    await expect(adminPage.getByRole("cell", { name: DEMO.therapist.email, exact: true })).toHaveCount(0);
    const row = adminPage
      .getByRole("row")
      .filter({ has: adminPage.getByRole("cell", { name: user.email, exact: true }) });
    await expect(row.getByText("active", { exact: true })).toBeVisible();

    await row.getByRole("link", { name: `Deactivate ${user.name}` }).click();
    await expect(adminPage.getByRole("heading", { level: 1 })).toHaveText(`Deactivate ${user.name}`);
    const patients = adminPage.getByRole("list", { name: "Patients whose care team they are on" });
    await expect(patients.getByRole("listitem")).toHaveCount(1);
    await expect(patients).toContainText("Szabo");
    await expect(patients).toContainText("Other provider");
    await expectNoAxeViolations(adminPage);

    // No reason, no deactivation: the form says what it needs.
    await adminPage.getByRole("button", { name: `Deactivate ${user.name}` }).click();
    await expect(adminPage.getByText("Say why this account is deactivated", { exact: false })).toBeVisible();
    await adminPage.reload();
    await userPage.reload();
    await expect(userPage.getByRole("heading", { level: 1 })).toHaveText("My patients");

    await adminPage.getByLabel("Reason for deactivating").fill("Left the practice.");
    await adminPage.getByRole("button", { name: `Deactivate ${user.name}` }).click();
    await expect(adminPage).toHaveURL("/admin/users");
    await expect(adminPage.getByRole("status")).toHaveText(
      "User deactivated. Their sessions and care-team memberships have ended, and they can no longer sign in.",
    );

    // Their next request, from the page they had open, goes to sign-in.
    await userPage.reload();
    await expect(userPage).toHaveURL("/login?redirectTo=%2F");
    await submitSignIn(userPage, user.email, user.password);
    await expect(userPage.getByRole("alert")).toHaveText(GENERIC_SIGN_IN_ERROR);

    await adminPage.getByLabel("Name or email").fill(user.email);
    await adminPage.getByRole("button", { name: "Filter" }).click();
    await expect(row.getByText("deactivated", { exact: true })).toBeVisible();
    await row.getByRole("button", { name: `Reactivate ${user.name}` }).click();
    await expect(adminPage.getByRole("status")).toHaveText(
      "User reactivated. They can sign in again; add them back to the care teams they should be on.",
    );
    await expect(row.getByText("active", { exact: true })).toBeVisible();

    await submitSignIn(userPage, user.email, user.password);
    await expect(userPage).toHaveURL("/");
    await expect(userPage.getByRole("heading", { level: 1 })).toHaveText("My patients");

    for (const page of [userPage, adminPage, coordinatorPage]) await page.context().close();
  });

  test("an administrator cannot deactivate themselves", async ({ page }) => {
    await login(page, DEMO.admin.email);
    await page.goto("/admin/users?role=admin");
    const ownRow = page
      .getByRole("row")
      .filter({ has: page.getByRole("cell", { name: DEMO.admin.email, exact: true }) });
    await expect(ownRow.getByText("You", { exact: true })).toBeVisible();
    await expect(ownRow.getByRole("button")).toHaveCount(0);
    await expect(ownRow.getByRole("link")).toHaveCount(0);
  });

  test("a patient's access history: from the patient's record, or found by name without the name in any address", async ({
    page,
  }) => {
    await login(page, DEMO.admin.email);
    await page.getByLabel("Search by name or record number").fill("Lindqvist");
    await page.getByRole("button", { name: "Search" }).click();
    await page
      .getByRole("link", { name: /Lindqvist/ })
      .first()
      .click();
    await page.getByRole("link", { name: "Access history" }).click();
    await expect(page.getByText("Access history of")).toContainText("Lindqvist, Avery");
    const table = page.getByRole("table");
    await expect(table.getByRole("row").nth(1)).toContainText("Lindqvist, Avery");
    // Every row is this patient's: the record just opened is the newest.
    await expect(table).not.toContainText("Baptiste");
    await expect(table.getByRole("row").nth(1)).toContainText("Sam Ortiz");
    await expectNoAxeViolations(page);

    await page.getByRole("link", { name: "Show every patient" }).click();
    await page.getByLabel("Patient name or record number").fill("nakamura");
    await page.getByRole("button", { name: "Find the patient" }).click();
    const matches = page.getByRole("list", { name: "Matching patients" });
    await expect(matches).toContainText("Nakamura, Riley");
    await matches.getByRole("link", { name: /Show access history/ }).click();
    await expect(page.getByText("Access history of")).toContainText("Nakamura, Riley");
    expect(page.url()).toMatch(/patientId=[0-9a-f-]{36}/);
    expect(page.url().toLowerCase()).not.toContain("nakamura");

    // Dates are New York days, as the table's times.
    await expect(page.getByLabel("From (New York date)")).toBeVisible();
    await page.getByLabel("Patient name or record number").waitFor({ state: "detached" });
  });
});
