import type { Executor } from "~/modules/audit/audit.server";

/**
 * Failed attempts counted per bucket ("account:…", "address:…") in PostgreSQL, so every server
 * process shares the same limits.
 */
export interface ThrottleRule {
  bucket: string;
  max: number;
}

export async function isThrottled(db: Executor, rules: ThrottleRule[], windowMs: number, now: Date): Promise<boolean> {
  if (rules.length === 0) return false;
  const since = new Date(now.getTime() - windowMs);
  const counts = await db
    .selectFrom("throttle_hits")
    .select(["bucket", (eb) => eb.fn.countAll<string>().as("n")])
    .where("bucket", "in", rules.map((r) => r.bucket))
    .where("at", ">", since)
    .groupBy("bucket")
    .execute();
  return rules.some((rule) => Number(counts.find((c) => c.bucket === rule.bucket)?.n ?? 0) >= rule.max);
}

export async function recordFailure(db: Executor, buckets: string[], now: Date): Promise<void> {
  await db.insertInto("throttle_hits").values(buckets.map((bucket) => ({ bucket, at: now }))).execute();
}

export async function clearBucket(db: Executor, bucket: string): Promise<void> {
  await db.deleteFrom("throttle_hits").where("bucket", "=", bucket).execute();
}
