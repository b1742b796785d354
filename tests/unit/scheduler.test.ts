import { afterEach, beforeEach, expect, it, vi } from "vitest";
import type { Database } from "../../db/engine";
import { SCHEDULED_TASKS, startScheduler, type ScheduledTask } from "~/jobs/scheduler.server";

const MINUTE = 60_000;

beforeEach(() => {
  vi.useFakeTimers({ now: new Date("2026-10-20T15:00:00Z") });
});
afterEach(() => {
  vi.useRealTimers();
});

it("runs each task every tick unless it asks to run less often, and reports errors without stopping the rest", async () => {
  const runs: Record<string, Date[]> = { digests: [], reminders: [], failing: [] };
  const errors: string[] = [];
  const task = (name: string, everyMs?: number, fail = false): ScheduledTask => ({
    name,
    everyMs,
    run: async (_db, { now }) => {
      runs[name]!.push(now);
      if (fail) throw new Error("database unreachable");
      return 0;
    },
  });
  const scheduler = startScheduler({} as Database, {
    appUrl: "https://portal.ember.test",
    intervalMs: MINUTE,
    onQueued: () => {},
    onError: (name) => errors.push(name),
    tasks: [task("failing", undefined, true), task("digests"), task("reminders", 60 * MINUTE)],
  });
  await vi.advanceTimersByTimeAsync(0);
  await vi.advanceTimersByTimeAsync(90 * MINUTE);
  await scheduler.stop();

  expect(runs.digests).toHaveLength(91);
  expect(runs.failing).toHaveLength(91);
  expect(errors).toHaveLength(91);
  // At start, then once the hour has passed.
  expect(runs.reminders!.map((d) => d.toISOString())).toEqual(["2026-10-20T15:00:00.000Z", "2026-10-20T16:00:00.000Z"]);
});

it("runs the day-granular reminders and the pruning of expired credentials hourly; safety escalation, engagement lapse notices, the digests and offer expiry every tick", () => {
  const every = Object.fromEntries(SCHEDULED_TASKS.map((t) => [t.name, t.everyMs ?? null]));
  expect(every).toEqual({
    "safety escalation": null,
    "engagement reminders": 3_600_000,
    "engagement lapse notices": null,
    "care-note digests": null,
    "measure reminders": 3_600_000,
    "referral offer expiry": null,
    "expired credential pruning": 3_600_000,
  });
});
