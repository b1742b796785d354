import type { AppLoadContext } from "@remix-run/node";
import { recordAudit } from "~/audit/audit.server";
import { verifyDecoy, verifyPassword } from "./password.server";
import { createChallenge, dropChallenge, findChallenge, MFA_REQUIRED_ROLES, verifySecondFactor } from "./mfa.server";
import { releaseAttempt, reserveAttempt } from "./throttle.server";
import type { Role } from "~/lib/roles";

export type SignInResult =
  | { ok: true; sessionId: string; userId: string }
  | { ok: true; challenge: string }
  | { ok: false; reason: "invalid" | "throttled" };

const accountBucket = (email: string) => `sign-in:account:${email.trim().toLowerCase()}`;
const addressBucket = (ip: string) => `sign-in:address:${ip}`;

/**
 * Checks a password and opens a new session (any earlier session id of this browser is ended:
 * the id is rotated at sign-in). Unknown emails, wrong passwords and deactivated accounts all
 * give the same answer, in about the same time.
 */
export async function signIn(
  context: AppLoadContext,
  input: { email: string; password: string; previousSessionId: string | null; userAgent: string | null },
): Promise<SignInResult> {
  const { db, config } = context;
  const now = context.now();
  const email = input.email.trim().toLowerCase();
  const audit = { actorId: null, actorRole: null, ip: context.ip, requestId: context.requestId };
  const rules = [
    { bucket: accountBucket(email), max: config.throttle.perAccount },
    { bucket: addressBucket(context.ip), max: config.throttle.perAddress },
  ];

  // The attempt is counted before the password is checked, so a burst cannot outrun the limit.
  const reservation = await reserveAttempt(db, rules, config.throttle.windowMs, now);
  if (!reservation) {
    await recordAudit(db, audit, { action: "auth.sign_in", outcome: "denied", detail: { reason: "throttled" } });
    return { ok: false, reason: "throttled" };
  }

  const user = await db
    .selectFrom("users")
    .select(["id", "role", "password_hash", "status", "totp_enabled_at"])
    .where((eb) => eb(eb.fn("lower", ["email"]), "=", email))
    .executeTakeFirst();
  const valid = user?.password_hash
    ? await verifyPassword(user.password_hash, input.password)
    : (await verifyDecoy(input.password), false);

  if (!user || !valid || user.status !== "active") {
    await recordAudit(
      db,
      { ...audit, actorId: user?.id ?? null, actorRole: user?.role ?? null },
      {
        action: "auth.sign_in",
        outcome: "failure",
        entityType: "user",
        entityId: user?.id ?? null,
        detail: { reason: !user ? "unknown_account" : !valid ? "wrong_password" : "deactivated" },
      },
    );
    return { ok: false, reason: "invalid" };
  }

  await releaseAttempt(db, reservation, [accountBucket(email)]);
  if (user.totp_enabled_at) {
    const challenge = await createChallenge(db, user.id, now);
    await recordAudit(
      db,
      { ...audit, actorId: user.id, actorRole: user.role },
      { action: "auth.mfa_challenge", entityType: "user", entityId: user.id },
    );
    return { ok: true, challenge };
  }
  return openSession(context, {
    userId: user.id,
    role: user.role,
    previousSessionId: input.previousSessionId,
    userAgent: input.userAgent,
    method: "password",
  });
}

/** The new session, with its id rotated (any earlier session of this browser ends); staff without a second factor must enrol first. */
async function openSession(
  context: AppLoadContext,
  input: { userId: string; role: Role; previousSessionId: string | null; userAgent: string | null; method: string },
): Promise<SignInResult> {
  if (input.previousSessionId) await context.lucia.invalidateSession(input.previousSessionId);
  const session = await context.lucia.createSession(input.userId, {
    ip: context.ip,
    userAgent: input.userAgent?.slice(0, 300) ?? null,
    needsMfaEnrolment:
      context.config.staffMfaRequired && input.method === "password" && MFA_REQUIRED_ROLES.includes(input.role),
  });
  await recordAudit(
    context.db,
    { actorId: input.userId, actorRole: input.role, ip: context.ip, requestId: context.requestId },
    {
      action: "auth.sign_in",
      entityType: "user",
      entityId: input.userId,
      detail: { method: input.method },
    },
  );
  return { ok: true, sessionId: session.id, userId: input.userId };
}

export type SecondFactorOutcome = SignInResult | { ok: false; reason: "expired" | "reused" };

/**
 * The second step for users with TOTP: a code from their app or a recovery code. Attempts are
 * throttled per account and per address like passwords, counted before the code is checked.
 */
export async function completeSecondFactor(
  context: AppLoadContext,
  input: { challenge: string; code: string; previousSessionId: string | null; userAgent: string | null },
): Promise<SecondFactorOutcome> {
  const { db, config } = context;
  const now = context.now();
  const user = await findChallenge(db, input.challenge, now);
  if (!user) return { ok: false, reason: "expired" };
  const audit = { actorId: user.id, actorRole: user.role, ip: context.ip, requestId: context.requestId };
  const rules = [
    { bucket: `mfa:account:${user.id}`, max: config.throttle.perAccount },
    { bucket: `mfa:address:${context.ip}`, max: config.throttle.perAddress },
  ];
  const reservation = await reserveAttempt(db, rules, config.throttle.windowMs, now);
  if (!reservation) {
    await recordAudit(db, audit, {
      action: "auth.mfa",
      outcome: "denied",
      entityType: "user",
      entityId: user.id,
      detail: { reason: "throttled" },
    });
    return { ok: false, reason: "throttled" };
  }
  const verdict = await verifySecondFactor(db, config.secretsKey, user, input.code, now);
  if (verdict.result !== "ok") {
    // A code already used is a right code seen twice (a double click, two devices), not a guess.
    if (verdict.result === "reused") await releaseAttempt(db, reservation);
    await recordAudit(db, audit, {
      action: "auth.mfa",
      outcome: "failure",
      entityType: "user",
      entityId: user.id,
      detail: { reason: verdict.result },
    });
    return { ok: false, reason: verdict.result === "reused" ? "reused" : "invalid" };
  }
  await dropChallenge(db, input.challenge);
  await releaseAttempt(db, reservation, [`mfa:account:${user.id}`]);
  return openSession(context, {
    userId: user.id,
    role: user.role,
    previousSessionId: input.previousSessionId,
    userAgent: input.userAgent,
    method: verdict.method === "recovery" ? "password+recovery_code" : "password+totp",
  });
}

export async function signOut(context: AppLoadContext, actor: { id: string; role: string; sessionId: string }) {
  await context.lucia.invalidateSession(actor.sessionId);
  await recordAudit(
    context.db,
    { actorId: actor.id, actorRole: actor.role, ip: context.ip, requestId: context.requestId },
    {
      action: "auth.sign_out",
      entityType: "user",
      entityId: actor.id,
    },
  );
}
