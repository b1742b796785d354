import type { Database } from "../../db/engine";
import { queueMeasureReminders } from "~/modules/measures/measures.server";
import { queueNoteDigests } from "~/modules/notes/notes.server";
import { expireOffers } from "~/modules/referrals/referrals.server";
import { queueEngagementReminders } from "~/modules/patients/engagement.server";

export interface ScheduledTask {
  name: string;
  run(db: Database, ctx: { now: Date; appUrl: string }): Promise<number>;
}

/** Time-driven work: each task is idempotent (it claims what it handles), so ticks may overlap processes safely. */
export const SCHEDULED_TASKS: ScheduledTask[] = [
  { name: "engagement reminders", run: queueEngagementReminders },
  { name: "care-note digests", run: queueNoteDigests },
  { name: "measure reminders", run: queueMeasureReminders },
  { name: "referral offer expiry", run: expireOffers },
];

export interface Scheduler {
  stop(): Promise<void>;
}

export function startScheduler(
  db: Database,
  options: { appUrl: string; intervalMs: number; onQueued: () => void; onError: (task: string, error: unknown) => void },
): Scheduler {
  let running: Promise<void> | null = null;
  const tick = () => {
    if (running) return;
    running = (async () => {
      for (const task of SCHEDULED_TASKS) {
        try {
          const queued = await task.run(db, { now: new Date(), appUrl: options.appUrl });
          if (queued > 0) options.onQueued();
        } catch (error) {
          options.onError(task.name, error);
        }
      }
    })().finally(() => {
      running = null;
    });
  };
  const timer = setInterval(tick, options.intervalMs);
  timer.unref();
  setImmediate(tick);
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
