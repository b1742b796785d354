import { describe, expect, it } from "vitest";
import { backoffMs, GIVE_UP_AFTER_MS } from "~/email/worker.server";

const SECOND = 1000;
const MINUTE = 60 * SECOND;

describe("backoffMs", () => {
  it("doubles from 30 seconds", () => {
    expect([1, 2, 3, 4, 5, 6, 7].map(backoffMs)).toEqual([30, 60, 120, 240, 480, 960, 1920].map((s) => s * SECOND));
  });

  it("treats zero or negative attempts as the first", () => {
    expect(backoffMs(0)).toBe(30 * SECOND);
    expect(backoffMs(-3)).toBe(30 * SECOND);
  });

  it("never waits more than an hour, however many attempts", () => {
    expect(backoffMs(8)).toBe(60 * MINUTE);
    expect(backoffMs(30)).toBe(60 * MINUTE);
    expect(backoffMs(10_000)).toBe(60 * MINUTE);
  });

  it("never shrinks as attempts grow", () => {
    for (let n = 1; n < 100; n++) expect(backoffMs(n + 1)).toBeGreaterThanOrEqual(backoffMs(n));
  });

  it("gives up before Resend forgets the idempotency key (24 hours)", () => {
    expect(GIVE_UP_AFTER_MS).toBeLessThan(24 * 60 * MINUTE);
    // The longest wait must fit in the gap, or a last retry could land after the key expired.
    expect(GIVE_UP_AFTER_MS + backoffMs(10_000)).toBeLessThanOrEqual(24 * 60 * MINUTE);
  });
});
