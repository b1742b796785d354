import type { DB } from "../../db/schema";
import { hashToken } from "~/lib/tokens.server";
import type { Database, Executor } from "../../db/engine";
import { recordAudit, type AuditContext } from "~/audit/audit.server";
import { MFA_REQUIRED_ROLES, newRecoveryCodes, storeRecoveryCodes, verifySecondFactor } from "./mfa.server";
import { rotateSession } from "./lucia.server";
import { hashPassword, verifyPassword } from "./password.server";
import { releaseAttempt, reserveAttempt } from "./throttle.server";

export class ReauthError extends Error {
  constructor(
    message: string,
    /** The field the message belongs to; null for the whole form (too many attempts). */
    public readonly field: "currentPassword" | "currentCode" | null,
    public readonly throttled = false,
  ) {
    super(message);
  }
}

export interface ReauthLimits {
  perAccount: number;
  perAddress: number;
  windowMs: number;
}

/**
 * The re-prompt before a sensitive change: the current password, and a current code from the
 * authenticator (or an unused recovery code) when the user has one. Someone holding a stolen
 * session could otherwise guess at it, so attempts are throttled per account and per address
 * like sign-in, each counted before it is checked; a right answer takes its count back.
 */
export async function confirmIdentity(
  db: Database,
  key: Buffer,
  audit: AuditContext,
  input: { userId: string; password: string; code?: string; now: Date; limits: ReauthLimits },
) {
  const reservation = await reserveAttempt(
    db,
    [
      { bucket: `reauth:account:${input.userId}`, max: input.limits.perAccount },
      { bucket: `reauth:address:${audit.ip}`, max: input.limits.perAddress },
    ],
    input.limits.windowMs,
    input.now,
  );
  const refuse = async (reason: string, error: ReauthError) => {
    await recordAudit(db, audit, {
      action: "auth.reauth",
      outcome: error.throttled ? "denied" : "failure",
      entityType: "user",
      entityId: input.userId,
      detail: { reason },
    });
    return error;
  };
  if (!reservation) {
    const minutes = Math.ceil(input.limits.windowMs / 60_000);
    throw await refuse(
      "throttled",
      new ReauthError(`Too many wrong answers. Wait ${minutes} minutes, then try again.`, null, true),
    );
  }
  const user = await db
    .selectFrom("users")
    .select(["id", "email", "role", "password_hash", "totp_secret_enc", "totp_last_step", "totp_enabled_at"])
    .where("id", "=", input.userId)
    .executeTakeFirstOrThrow();
  if (!user.password_hash || !(await verifyPassword(user.password_hash, input.password))) {
    throw await refuse("wrong_password", new ReauthError("Your current password is not right.", "currentPassword"));
  }
  if (user.totp_enabled_at) {
    const verdict = await verifySecondFactor(db, key, user, input.code ?? "", input.now);
    if (verdict.result === "reused") {
      await releaseAttempt(db, reservation);
      throw await refuse(
        "reused",
        new ReauthError("That code was already used: wait for the next one.", "currentCode"),
      );
    }
    if (verdict.result !== "ok")
      throw await refuse(
        "wrong_code",
        new ReauthError("Enter the current code from your authenticator app, or a recovery code.", "currentCode"),
      );
  }
  await releaseAttempt(db, reservation);
  return user;
}

/** After a change to how someone signs in, every other session of theirs ends ("sign out everywhere"). */
async function endOtherSessions(db: Executor, userId: string, currentSessionId: string) {
  await db
    .deleteFrom("sessions")
    .where("user_id", "=", userId)
    .where("id_hash", "!=", hashToken(currentSessionId))
    .execute();
}

/** A new password; this browser moves to a new session id and every other session ends. Returns the new id. */
export async function changePassword(
  db: Database,
  audit: AuditContext,
  input: { userId: string; sessionId: string; newPassword: string; now: Date },
): Promise<string | null> {
  const passwordHash = await hashPassword(input.newPassword);
  return db.transaction().execute(async (trx) => {
    await trx
      .updateTable("users")
      .set({ password_hash: passwordHash, updated_at: input.now })
      .where("id", "=", input.userId)
      .execute();
    const sessionId = await rotateSession(trx, {
      userId: input.userId,
      currentSessionHash: hashToken(input.sessionId),
      now: input.now,
    });
    await recordAudit(trx, audit, { action: "auth.password_change", entityType: "user", entityId: input.userId });
    return sessionId;
  });
}

export async function changeEmail(
  db: Database,
  audit: AuditContext,
  input: { userId: string; sessionId: string; email: string; now: Date },
): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const taken = await trx
      .selectFrom("users")
      .select("id")
      .where((eb) => eb(eb.fn("lower", ["email"]), "=", input.email.toLowerCase()))
      .where("id", "!=", input.userId)
      .executeTakeFirst();
    if (taken) return false;
    await trx
      .updateTable("users")
      .set({ email: input.email, updated_at: input.now })
      .where("id", "=", input.userId)
      .execute();
    await endOtherSessions(trx, input.userId, input.sessionId);
    await recordAudit(trx, audit, { action: "auth.email_change", entityType: "user", entityId: input.userId });
    return true;
  });
}

export async function regenerateRecoveryCodes(
  db: Database,
  audit: AuditContext,
  input: { userId: string; sessionId: string; now: Date },
): Promise<string[]> {
  const codes = newRecoveryCodes();
  await db.transaction().execute(async (trx) => {
    await storeRecoveryCodes(trx, input.userId, codes, input.now);
    await endOtherSessions(trx, input.userId, input.sessionId);
    await recordAudit(trx, audit, { action: "auth.mfa_recovery_codes", entityType: "user", entityId: input.userId });
  });
  return codes;
}

/** Outside providers may turn the second factor off; Ember staff may not. */
export async function disableTotp(
  db: Database,
  audit: AuditContext,
  input: { userId: string; role: DB["users"]["role"]; sessionId: string; now: Date },
): Promise<boolean> {
  if (MFA_REQUIRED_ROLES.includes(input.role)) return false;
  await db.transaction().execute(async (trx) => {
    await trx
      .updateTable("users")
      .set({ totp_secret_enc: null, totp_enabled_at: null, totp_last_step: null, updated_at: input.now })
      .where("id", "=", input.userId)
      .execute();
    await trx.deleteFrom("mfa_recovery_codes").where("user_id", "=", input.userId).execute();
    await endOtherSessions(trx, input.userId, input.sessionId);
    await recordAudit(trx, audit, { action: "auth.mfa_disable", entityType: "user", entityId: input.userId });
  });
  return true;
}

export async function listSessions(db: Executor, userId: string, currentSessionId: string) {
  const current = hashToken(currentSessionId);
  const rows = await db
    .selectFrom("sessions")
    .select(["id_hash", "created_at", "expires_at", "ip", "user_agent", "authenticated_at"])
    .where("user_id", "=", userId)
    .orderBy("created_at", "desc")
    .execute();
  return rows.map((r) => ({ ...r, current: r.id_hash === current }));
}

export async function endSession(
  db: Database,
  audit: AuditContext,
  input: { userId: string; idHash: string; currentSessionId: string },
) {
  if (input.idHash === hashToken(input.currentSessionId)) return false;
  const row = await db
    .deleteFrom("sessions")
    .where("user_id", "=", input.userId)
    .where("id_hash", "=", input.idHash)
    .returning("id_hash")
    .executeTakeFirst();
  if (row) await recordAudit(db, audit, { action: "auth.session_end", entityType: "user", entityId: input.userId });
  return Boolean(row);
}

export async function signOutEverywhereElse(
  db: Database,
  audit: AuditContext,
  input: { userId: string; currentSessionId: string },
) {
  await endOtherSessions(db, input.userId, input.currentSessionId);
  await recordAudit(db, audit, { action: "auth.sign_out_everywhere", entityType: "user", entityId: input.userId });
}
