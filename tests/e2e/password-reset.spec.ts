import { GENERIC_SIGN_IN_ERROR, expect, readLatestMail, submitSignIn, test, uniqueEmail } from "../support/fixtures";

test.describe("resetting a forgotten password", () => {
  test("the emailed link sets a new password once, and only the new password works", async ({ page, createUser }) => {
    const user = await createUser("therapist");
    const newPassword = "a-brand-new-password-2026";

    await page.goto("/login");
    await page.getByRole("link", { name: "Forgot your password?" }).click();
    await expect(page.getByRole("heading", { level: 1, name: "Reset your password" })).toBeVisible();
    await page.getByLabel("Email").fill(user.email);
    await page.getByRole("button", { name: "Send the reset link" }).click();
    await expect(page.getByRole("status")).toContainText("If an active account uses that address, we sent it a link");

    const mail = await readLatestMail(page, user.email);
    expect(mail.link).toMatch(/\/reset-password\/[\w-]{20,}$/);

    await page.goto(mail.link);
    await expect(page.getByRole("heading", { level: 1, name: "Choose a new password" })).toBeVisible();
    await page.getByLabel("New password", { exact: true }).fill(newPassword);
    await page.getByLabel("Repeat the new password").fill(newPassword);
    await page.getByRole("button", { name: "Save the new password" }).click();

    await expect(page).toHaveURL("/login");
    await expect(page.getByRole("status")).toHaveText(
      "Your password was changed and every session was signed out. Sign in with the new password.",
    );

    await submitSignIn(page, user.email, user.password);
    await expect(page.getByRole("alert")).toHaveText(GENERIC_SIGN_IN_ERROR);
    await submitSignIn(page, user.email, newPassword);
    await expect(page).toHaveURL("/");
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("My patients");

    await page.goto(mail.link);
    await expect(page.getByRole("heading", { level: 1, name: "Reset link not valid" })).toBeVisible();
  });

  test("asking for an unknown address gives the same answer and sends nothing", async ({ page, createUser }) => {
    const nobody = uniqueEmail("nobody");
    const someone = await createUser("clinician");
    const askFor = async (email: string) => {
      await page.goto("/forgot-password");
      await page.getByLabel("Email").fill(email);
      await page.getByRole("button", { name: "Send the reset link" }).click();
      await expect(page.getByRole("status")).toContainText("If an active account uses that address, we sent it a link");
    };

    await askFor(nobody);
    await askFor(someone.email);

    // The mailer sends in order: once the later message is in, an earlier one would be too.
    await readLatestMail(page, someone.email);
    const mailbox = await page.request.get(`/dev/mail?${new URLSearchParams({ to: nobody })}`);
    expect(await mailbox.text()).toContain("No emails yet");
  });
});
