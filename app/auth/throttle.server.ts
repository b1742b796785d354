import { sql } from "kysely";
import type { Database, Executor } from "../../db/engine";

/**
 * Attempts counted per bucket ("sign-in:account:…", "mfa:address:…") in PostgreSQL, so every
 * server process shares the same limits.
 */
export interface ThrottleRule {
  bucket: string;
  max: number;
}

/** The attempt rows one credential check holds while it verifies. */
export interface Reservation {
  ids: string[];
}

/**
 * Counts an attempt before its credential is verified: under a transaction-scoped advisory lock
 * per bucket, the attempts of the window are counted and, when every bucket is under its limit,
 * this one is recorded. A burst of concurrent requests is thereby admitted one at a time and at
 * most `max` of them ever reach the (slow) verification; the rest are refused as throttled. A
 * recorded attempt is a failure unless `releaseAttempt` takes it back. Null when throttled.
 */
export async function reserveAttempt(
  db: Database,
  rules: ThrottleRule[],
  windowMs: number,
  now: Date,
): Promise<Reservation | null> {
  if (rules.length === 0) return { ids: [] };
  const buckets = [...new Set(rules.map((r) => r.bucket))].sort();
  const since = new Date(now.getTime() - windowMs);
  return db.transaction().execute(async (trx) => {
    // Locks are taken in one order (sorted) so two requests sharing buckets never deadlock.
    for (const bucket of buckets) await sql`select pg_advisory_xact_lock(hashtextextended(${bucket}, 0))`.execute(trx);
    const counts = await trx
      .selectFrom("throttle_hits")
      .select(["bucket", (eb) => eb.fn.countAll<string>().as("n")])
      .where("bucket", "in", buckets)
      .where("at", ">", since)
      .groupBy("bucket")
      .execute();
    if (rules.some((rule) => Number(counts.find((c) => c.bucket === rule.bucket)?.n ?? 0) >= rule.max)) return null;
    const rows = await trx
      .insertInto("throttle_hits")
      .values(buckets.map((bucket) => ({ bucket, at: now })))
      .returning("id")
      .execute();
    return { ids: rows.map((r) => r.id) };
  });
}

/**
 * Takes back an attempt that turned out not to be a guess (the right credential, or a code seen
 * twice), and with it every earlier failure of the `clear` buckets.
 */
export async function releaseAttempt(db: Executor, reservation: Reservation, clear: string[] = []): Promise<void> {
  if (reservation.ids.length === 0 && clear.length === 0) return;
  await db
    .deleteFrom("throttle_hits")
    .where((eb) =>
      eb.or([
        ...(reservation.ids.length > 0 ? [eb("id", "in", reservation.ids)] : []),
        ...(clear.length > 0 ? [eb("bucket", "in", clear)] : []),
      ]),
    )
    .execute();
}
