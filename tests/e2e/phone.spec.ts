import type { Page } from "@playwright/test";
import { toLocalInput } from "~/lib/time";
import { DEMO, expect, expectNoAxeViolations, login, test } from "../support/fixtures";

const HOUR = 60 * 60 * 1000;

/** Nothing on the page is wider than the screen: no sideways scrolling. */
async function expectNoSidewaysScroll(page: Page) {
  const overflow = await page.evaluate(
    () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
  );
  expect(overflow, `sideways scroll on ${page.url()}`).toBeLessThanOrEqual(0);
}

test.describe("a therapist's day on a phone", () => {
  test.use({ viewport: { width: 390, height: 844 } });

  test("plans a session from upcoming infusions: a one-line header, cards instead of tables, nothing scrolled sideways", async ({
    page,
  }) => {
    await login(page, DEMO.therapist.email);
    const header = page.getByRole("banner");
    expect((await header.boundingBox())!.height).toBeLessThanOrEqual(64);
    await expectNoSidewaysScroll(page);

    await page.getByText("Menu", { exact: true }).click();
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Upcoming infusions" }).click();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Upcoming infusions");
    await expectNoSidewaysScroll(page);
    await expectNoAxeViolations(page);

    // Each visit is a card: its cells stack, each under its label, instead of a row to scroll sideways.
    const table = page.getByRole("table");
    const row = table
      .locator("tbody tr")
      .filter({ has: page.getByRole("link", { name: "Plan one" }) })
      .first();
    const [opens, closes] = await row
      .locator(".window-range time")
      .evaluateAll((times) => times.map((t) => new Date(t.getAttribute("datetime")!).getTime()));
    // An hour on the clock inside the window, and in the future.
    const at = new Date(Math.ceil(Math.max(opens!, Date.now() + 2 * HOUR) / HOUR) * HOUR);
    expect(at.getTime()).toBeLessThan(closes!);
    const cells = await row
      .locator("td")
      .evaluateAll((tds) =>
        tds.map((td) => ({ display: getComputedStyle(td).display, width: td.getBoundingClientRect().width })),
      );
    for (const cell of cells) expect(cell).toMatchObject({ display: "block" });
    expect(Math.min(...cells.map((c) => c.width))).toBeGreaterThan(300);

    await row.getByRole("link", { name: "Plan one" }).click();
    await expect(page.getByRole("heading", { name: "Plan a therapy session" })).toBeVisible();
    await expectNoSidewaysScroll(page);
    await page.getByLabel("Date and time (New York time)").fill(toLocalInput(at));
    await page.getByLabel("Modality").selectOption({ index: 2 });
    await page.getByLabel("Session number in the protocol").fill("2");
    await page.getByLabel("Sessions in the protocol").fill("12");
    await page.getByLabel("Where").selectOption("telehealth");
    await page.getByRole("button", { name: "Plan session" }).click();
    await expect(page.getByRole("status")).toHaveText("Session planned inside a therapy window.");
    await expectNoSidewaysScroll(page);
    await expectNoAxeViolations(page);
  });
});
