import { hashPassword } from "~/auth/password.server";
import { releaseAttempt, reserveAttempt } from "~/auth/throttle.server";
import { queueEmail } from "~/email/outbox.server";
import { hashToken, newToken } from "~/lib/tokens.server";
import type { Database, Executor } from "../../../db/engine";
import { recordAudit, type AuditContext } from "~/audit/audit.server";
import { endCalendarFeeds } from "~/modules/infusions/calendar.server";

export const RESET_VALID_MINUTES = 30;
const HOUR_MS = 60 * 60_000;
const RESETS_PER_HOUR = 5;
/** Requests from one address an hour, whatever accounts they name (a clinic's staff may share one). */
const RESET_REQUESTS_PER_ADDRESS = 20;
/** Reset-link submissions one address may make an hour with links that do not work. */
const BAD_LINKS_PER_ADDRESS = 20;

/**
 * Emails a single-use reset link when the address belongs to an active account. The caller shows
 * the same answer either way, so the form reveals nothing about who has an account.
 */
export async function requestPasswordReset(
  db: Database,
  audit: AuditContext,
  input: { email: string; appUrl: string; secretsKey: Buffer; now: Date },
): Promise<void> {
  // Counted before anything is looked up or sent, so a burst of requests queues at most the limit of emails.
  const reservation = await reserveAttempt(
    db,
    [
      { bucket: `reset:account:${input.email}`, max: RESETS_PER_HOUR },
      { bucket: `reset:address:${audit.ip}`, max: RESET_REQUESTS_PER_ADDRESS },
    ],
    HOUR_MS,
    input.now,
  );
  if (!reservation) {
    await recordAudit(db, audit, { action: "auth.reset_request", outcome: "denied", detail: { reason: "throttled" } });
    return;
  }
  await db.transaction().execute(async (trx) => {
    const user = await trx
      .selectFrom("users")
      .select(["id", "role"])
      .where((eb) => eb(eb.fn("lower", ["email"]), "=", input.email))
      .where("status", "=", "active")
      .executeTakeFirst();
    if (!user) {
      await recordAudit(trx, audit, {
        action: "auth.reset_request",
        outcome: "failure",
        detail: { reason: "unknown_account" },
      });
      return;
    }
    const token = newToken();
    await trx
      .insertInto("password_resets")
      .values({
        user_id: user.id,
        token_hash: hashToken(token),
        created_at: input.now,
        expires_at: new Date(input.now.getTime() + RESET_VALID_MINUTES * 60_000),
      })
      .execute();
    await queueEmail(
      trx,
      {
        template: "password-reset",
        to: input.email,
        props: { resetUrl: `${input.appUrl}/reset-password/${token}`, validMinutes: RESET_VALID_MINUTES },
      },
      input.secretsKey,
    );
    await recordAudit(
      trx,
      { ...audit, actorId: user.id, actorRole: user.role },
      { action: "auth.reset_request", entityType: "user", entityId: user.id },
    );
  });
}

export async function isResetTokenUsable(db: Executor, token: string, now: Date): Promise<boolean> {
  const row = await db
    .selectFrom("password_resets")
    .select("id")
    .where("token_hash", "=", hashToken(token))
    .where("used_at", "is", null)
    .where("expires_at", ">", now)
    .executeTakeFirst();
  return Boolean(row);
}

export type ResetOutcome = "done" | "gone" | "throttled";

/**
 * Sets a new password through a reset link. The link is checked before the new password is hashed,
 * so a flood of made-up links costs a lookup each and never an argon2 hash; links that do not work
 * are counted per address. The link is claimed with a conditional update (works once), every other
 * open link of that user is spent too, and all sessions and calendar feed addresses of the user end.
 */
export async function resetPassword(
  db: Database,
  audit: AuditContext,
  input: { token: string; password: string; now: Date },
): Promise<ResetOutcome> {
  const reservation = await reserveAttempt(
    db,
    [{ bucket: `reset-link:address:${audit.ip}`, max: BAD_LINKS_PER_ADDRESS }],
    HOUR_MS,
    input.now,
  );
  if (!reservation) {
    await recordAudit(db, audit, { action: "auth.password_reset", outcome: "denied", detail: { reason: "throttled" } });
    return "throttled";
  }
  if (!(await isResetTokenUsable(db, input.token, input.now))) {
    await recordAudit(db, audit, {
      action: "auth.password_reset",
      outcome: "failure",
      detail: { reason: "link_not_valid" },
    });
    return "gone";
  }
  await releaseAttempt(db, reservation);
  const passwordHash = await hashPassword(input.password);
  const done = await db.transaction().execute(async (trx) => {
    const reset = await trx
      .updateTable("password_resets")
      .set({ used_at: input.now })
      .where("token_hash", "=", hashToken(input.token))
      .where("used_at", "is", null)
      .where("expires_at", ">", input.now)
      .returning("user_id")
      .executeTakeFirst();
    if (!reset) return false;
    const user = await trx
      .updateTable("users")
      .set({ password_hash: passwordHash, updated_at: input.now })
      .where("id", "=", reset.user_id)
      .where("status", "=", "active")
      .returning(["id", "role"])
      .executeTakeFirst();
    if (!user) return false;
    await trx
      .updateTable("password_resets")
      .set({ used_at: input.now })
      .where("user_id", "=", user.id)
      .where("used_at", "is", null)
      .execute();
    await trx.deleteFrom("sessions").where("user_id", "=", user.id).execute();
    await endCalendarFeeds(trx, user.id, input.now);
    await recordAudit(
      trx,
      { ...audit, actorId: user.id, actorRole: user.role },
      { action: "auth.password_reset", entityType: "user", entityId: user.id },
    );
    return true;
  });
  return done ? "done" : "gone";
}
