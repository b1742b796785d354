import type { Executor } from "../../../db/engine";

/**
 * Failed attempts are kept this long: longer than any throttle window (sign-in windows are at
 * most a day, reset requests count an hour), so pruning never lifts a limit early.
 */
export const THROTTLE_RETENTION_MS = 24 * 60 * 60_000;

export interface PruneReport {
  throttleHits: number;
  passwordResets: number;
  invitationLinks: number;
  sessions: number;
}

/**
 * Removes what no longer opens anything: old failed-attempt rows, spent or expired reset links,
 * the link hashes of invitations that were accepted, revoked or expired (the invitation row stays
 * for the list and re-sending), and sessions past their idle deadline. Each statement only removes
 * rows that are already dead, so two processes pruning at once simply share the work.
 */
export async function pruneExpiredCredentials(db: Executor, now: Date): Promise<PruneReport> {
  const throttle = await db
    .deleteFrom("throttle_hits")
    .where("at", "<", new Date(now.getTime() - THROTTLE_RETENTION_MS))
    .executeTakeFirst();
  const resets = await db
    .deleteFrom("password_resets")
    .where((eb) => eb.or([eb("used_at", "is not", null), eb("expires_at", "<=", now)]))
    .executeTakeFirst();
  const invitations = await db
    .updateTable("invitations")
    .set({ token_hash: null })
    .where("token_hash", "is not", null)
    .where((eb) =>
      eb.or([eb("accepted_at", "is not", null), eb("revoked_at", "is not", null), eb("expires_at", "<=", now)]),
    )
    .executeTakeFirst();
  const sessions = await db.deleteFrom("sessions").where("expires_at", "<=", now).executeTakeFirst();
  return {
    throttleHits: Number(throttle.numDeletedRows),
    passwordResets: Number(resets.numDeletedRows),
    invitationLinks: Number(invitations.numUpdatedRows),
    sessions: Number(sessions.numDeletedRows),
  };
}
