import type { AppLoadContext } from "@remix-run/node";
import { queueMeasureReminders } from "~/modules/measures/reminders.server";
import { queueNoteDigests } from "~/modules/notes/digests.server";
import { expireOffers } from "~/modules/referrals/offers.server";
import { escalateSafetyAlerts } from "~/modules/safety/alerts.server";
import { queueEngagementReminders } from "~/modules/engagement/reminders.server";
import { pruneExpiredCredentials } from "~/modules/users/pruning.server";
import { queueEngagementLapseNotices } from "~/modules/engagement/lapses.server";

/** The same database handle a request gets in its context: the scheduler drives modules as a route does. */
type Db = AppLoadContext["db"];

export interface ScheduledTask {
  name: string;
  run(db: Db, ctx: { now: Date; appUrl: string }): Promise<number>;
  /** At most this often; every tick when unset. */
  everyMs?: number;
}

const HOUR_MS = 3_600_000;

/**
 * Time-driven work: each task is idempotent (it claims what it handles), so ticks may overlap
 * processes safely. Reminders fall due by the day, so an hourly pass is soon enough and spares the
 * database a scan of every recent course each minute. Safety escalation runs every tick: it is
 * counted in minutes, and its query reads only open, unescalated alerts. Engagement lapses are
 * looked for every tick too: the same pass tells lapses from time (expiry of a confirmation,
 * licence or release) and from events (revocation, membership end, deactivation), so each is told
 * once through one claim, while the work list shows the lapse live from the moment it happens.
 */
export const SCHEDULED_TASKS: ScheduledTask[] = [
  { name: "safety escalation", run: escalateSafetyAlerts },
  { name: "engagement reminders", run: queueEngagementReminders, everyMs: HOUR_MS },
  { name: "engagement lapse notices", run: queueEngagementLapseNotices },
  { name: "care-note digests", run: queueNoteDigests },
  { name: "measure reminders", run: queueMeasureReminders, everyMs: HOUR_MS },
  { name: "referral offer expiry", run: expireOffers },
  // Queues nothing: it only removes links, sessions and failed attempts that no longer count.
  {
    name: "expired credential pruning",
    run: async (db, { now }) => (await pruneExpiredCredentials(db, now), 0),
    everyMs: HOUR_MS,
  },
];

export interface Scheduler {
  stop(): Promise<void>;
}

export function startScheduler(
  db: Db,
  options: {
    appUrl: string;
    intervalMs: number;
    onQueued: () => void;
    onError: (task: string, error: unknown) => void;
    tasks?: ScheduledTask[];
    now?: () => Date;
  },
): Scheduler {
  const now = options.now ?? (() => new Date());
  const lastRun = new Map<string, number>();
  let running: Promise<void> | null = null;
  const tick = () => {
    if (running) return;
    running = (async () => {
      for (const task of options.tasks ?? SCHEDULED_TASKS) {
        const at = now();
        const last = lastRun.get(task.name);
        if (task.everyMs && last !== undefined && at.getTime() - last < task.everyMs) continue;
        lastRun.set(task.name, at.getTime());
        try {
          const queued = await task.run(db, { now: at, appUrl: options.appUrl });
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
