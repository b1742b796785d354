import { DEMO, DEMO_PASSWORD, expect, login, submitSignIn, test } from "../support/fixtures";
import { IDLE_PORT, IDLE_SECONDS, urlFor } from "../support/servers";

// This server ends a session after IDLE_SECONDS without a request.
test.use({ baseURL: urlFor(IDLE_PORT) });

test.describe("idle sessions", () => {
  test("after the idle timeout the next page asks to sign in again, then returns there", async ({ page }) => {
    await login(page, DEMO.coordinator.email);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Patients");

    // The one deliberate wait in the suite: being idle is the behaviour under test.
    await page.waitForTimeout((IDLE_SECONDS + 1.5) * 1000);
    await page.getByRole("link", { name: "Ember Health Provider Portal" }).click();

    await expect(page).toHaveURL("/login?redirectTo=%2F");
    await expect(page.getByRole("heading", { level: 1, name: "Sign in" })).toBeVisible();
    await expect(page.getByRole("button", { name: "Sign out" })).toHaveCount(0);

    await submitSignIn(page, DEMO.coordinator.email, DEMO_PASSWORD);
    await expect(page).toHaveURL("/");
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Patients");
  });

  test("a user who keeps working is not signed out", async ({ page }) => {
    await login(page, DEMO.therapist.email);
    // Requests from this browser's session every half second, for well past the idle timeout:
    // each one extends the session. (Page loads would do too, but on a busy machine a full
    // reload can itself take longer than the 3-second timeout.)
    const started = Date.now();
    while (Date.now() - started < (IDLE_SECONDS + 2) * 1000) {
      const response = await page.request.get("/", { maxRedirects: 0 });
      expect(response.status(), `still signed in after ${Date.now() - started} ms`).toBe(200);
      await page.waitForTimeout(500);
    }
    await page.reload();
    await expect(page).toHaveURL("/");
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("My patients");
  });
});
