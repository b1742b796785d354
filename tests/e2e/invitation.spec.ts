import type { Page } from "@playwright/test";
import {
  DEMO,
  INVALID_NPI,
  VALID_NPI,
  expect,
  licenceExpiry,
  login,
  readLatestMail,
  test,
  uniqueEmail,
} from "../support/fixtures";

const INVITATION_GONE = /This invitation link is no longer valid/;

async function invite(page: Page, email: string, role: string) {
  await page.goto("/invitations");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Role").selectOption({ label: role });
  await page.getByRole("button", { name: "Send invitation", exact: true }).click();
  await expect(page.getByRole("status")).toHaveText(`Invitation sent to ${email}.`);
}

const invitationRow = (page: Page, email: string) =>
  page.getByRole("row").filter({ has: page.getByRole("cell", { name: email, exact: true }) });

test.describe("inviting an outside provider", () => {
  test("a coordinator invites a therapist, who sets up their account from the emailed link", async ({
    page,
    browser,
  }) => {
    const email = uniqueEmail("therapist");
    await login(page, DEMO.coordinator.email);
    await invite(page, email, "Therapist (outside provider)");
    await expect(invitationRow(page, email).getByText("open", { exact: true })).toBeVisible();

    const mail = await readLatestMail(page, email);
    expect(mail.subject).toBe("You are invited to the Ember Health provider portal");
    expect(mail.text).toContain(
      `${DEMO.coordinator.name} at Ember Health invited you to join the provider portal as therapist`,
    );
    expect(mail.link).toMatch(/\/join\/[\w-]{20,}$/);

    const therapistContext = await browser.newContext();
    const therapist = await therapistContext.newPage();
    await therapist.goto(mail.link);
    await expect(therapist.getByRole("heading", { level: 1, name: "Set up your account" })).toBeVisible();
    await expect(therapist.getByText(`You were invited as therapist with ${email}.`)).toBeVisible();

    const name = "Jamie Rivera, LMHC";
    const password = "a-long-e2e-password-2026";
    await therapist.getByLabel("Full name").fill(name);
    await therapist.getByLabel("Practice or organisation").fill("Riverside Counselling (e2e)");
    await therapist.getByLabel("Licence type").selectOption("LMHC");
    await therapist.getByLabel("Licence number").fill("LMHC-004512");
    await therapist.getByLabel("Licence state").selectOption("NJ");
    await therapist.getByLabel("Licence expiry date").fill(licenceExpiry());
    await therapist.getByLabel("NPI").fill(INVALID_NPI);
    await therapist.getByLabel("Password", { exact: true }).fill(password);
    await therapist.getByLabel("Repeat the password").fill(password);
    await therapist.getByRole("button", { name: "Create my account", exact: true }).click();

    await expect(
      therapist.getByText("This NPI's check digit is wrong: check the number on your NPPES record."),
    ).toBeVisible();
    await expect(therapist.getByLabel("NPI")).toHaveAttribute("aria-invalid", "true");
    await expect(therapist.getByLabel("Full name")).toHaveValue(name);
    await expect(therapist.getByLabel("Licence type")).toHaveValue("LMHC");
    await expect(therapist.getByLabel("Licence number")).toHaveValue("LMHC-004512");
    await expect(therapist.getByLabel("Licence state")).toHaveValue("NJ");
    await expect(therapist.getByLabel("NPI")).toHaveValue(INVALID_NPI);

    await therapist.getByLabel("NPI").fill(VALID_NPI);
    await therapist.getByLabel("Password", { exact: true }).fill(password);
    await therapist.getByLabel("Repeat the password").fill(password);
    await therapist.getByRole("button", { name: "Create my account", exact: true }).click();

    await expect(therapist).toHaveURL("/");
    await expect(therapist.getByRole("status")).toHaveText(
      "Welcome to the Ember Health provider portal. Your account is ready.",
    );
    await expect(therapist.getByRole("heading", { level: 1 })).toHaveText("My patients");
    await expect(therapist.getByText(`Welcome, ${name}.`)).toBeVisible();
    await expect(therapist.getByRole("heading", { name: "No patients shared with you yet" })).toBeVisible();
    await expect(therapist.getByRole("table")).toHaveCount(0);

    await therapist.goto(mail.link);
    await expect(therapist.getByRole("heading", { level: 1, name: "Invitation not valid" })).toBeVisible();
    await expect(therapist.getByText(INVITATION_GONE)).toBeVisible();

    await page.reload();
    await expect(invitationRow(page, email).getByText("accepted", { exact: true })).toBeVisible();
    await therapistContext.close();
  });

  test("re-sending replaces the link, and revoking ends it", async ({ page, browser }) => {
    const email = uniqueEmail("psychiatrist");
    await login(page, DEMO.coordinator.email);
    await invite(page, email, "Psychiatrist or psychiatric NP (outside provider)");
    const first = await readLatestMail(page, email);

    await page.getByRole("button", { name: `Re-send invitation to ${email}` }).click();
    await expect(page.getByRole("status")).toHaveText(
      "Invitation re-sent with a new link; the old link no longer works.",
    );
    await expect(invitationRow(page, email)).toContainText("(sent 2 times)");
    const second = await readLatestMail(page, email, { after: first });
    expect(second.link).not.toBe(first.link);

    const invitee = await (await browser.newContext()).newPage();
    await invitee.goto(first.link);
    await expect(invitee.getByRole("heading", { level: 1, name: "Invitation not valid" })).toBeVisible();
    await invitee.goto(second.link);
    await expect(invitee.getByRole("heading", { level: 1, name: "Set up your account" })).toBeVisible();

    await page.getByRole("button", { name: `Revoke invitation to ${email}` }).click();
    await expect(page.getByRole("status")).toHaveText("Invitation revoked; its link no longer works.");
    await expect(invitationRow(page, email).getByText("revoked", { exact: true })).toBeVisible();
    await expect(invitationRow(page, email).getByRole("button")).toHaveCount(0);

    await invitee.reload();
    await expect(invitee.getByRole("heading", { level: 1, name: "Invitation not valid" })).toBeVisible();
    await invitee.context().close();
  });

  for (const role of ["Administrator (Ember staff)", "Infusion clinician (Ember staff)"]) {
    test(`a coordinator cannot invite Ember staff: ${role}`, async ({ page }) => {
      const email = uniqueEmail("staff");
      await login(page, DEMO.coordinator.email);
      await page.goto("/invitations");
      await page.getByLabel("Email").fill(email);
      await page.getByLabel("Role").selectOption({ label: role });
      await page.getByRole("button", { name: "Send invitation", exact: true }).click();

      await expect(
        page.getByText("Only an administrator can invite Ember staff (clinicians, coordinators and administrators)."),
      ).toBeVisible();
      await expect(page.getByLabel("Email")).toHaveValue(email);
      await expect(invitationRow(page, email)).toHaveCount(0);
    });
  }
});
