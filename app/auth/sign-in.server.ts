import type { AppLoadContext } from "@remix-run/node";
import { recordAudit } from "~/modules/audit/audit.server";
import { verifyDecoy, verifyPassword } from "./password.server";
import { clearBucket, isThrottled, recordFailure } from "./throttle.server";

export type SignInResult =
  | { ok: true; sessionId: string; userId: string }
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

  if (await isThrottled(db, rules, config.throttle.windowMs, now)) {
    await recordAudit(db, audit, { action: "auth.sign_in", outcome: "denied", detail: { reason: "throttled" } });
    return { ok: false, reason: "throttled" };
  }

  const user = await db
    .selectFrom("users")
    .select(["id", "role", "password_hash", "status"])
    .where((eb) => eb(eb.fn("lower", ["email"]), "=", email))
    .executeTakeFirst();
  const valid = user?.password_hash ? await verifyPassword(user.password_hash, input.password) : (await verifyDecoy(input.password), false);

  if (!user || !valid || user.status !== "active") {
    await db.transaction().execute(async (trx) => {
      await recordFailure(trx, rules.map((r) => r.bucket), now);
      await recordAudit(trx, { ...audit, actorId: user?.id ?? null, actorRole: user?.role ?? null }, {
        action: "auth.sign_in",
        outcome: "failure",
        entityType: "user",
        entityId: user?.id ?? null,
        detail: { reason: !user ? "unknown_account" : !valid ? "wrong_password" : "deactivated" },
      });
    });
    return { ok: false, reason: "invalid" };
  }

  if (input.previousSessionId) await context.lucia.invalidateSession(input.previousSessionId);
  const session = await context.lucia.createSession(user.id, { ip: context.ip, userAgent: input.userAgent?.slice(0, 300) ?? null });
  await clearBucket(db, accountBucket(email));
  await recordAudit(db, { ...audit, actorId: user.id, actorRole: user.role }, { action: "auth.sign_in", entityType: "user", entityId: user.id });
  return { ok: true, sessionId: session.id, userId: user.id };
}

export async function signOut(context: AppLoadContext, actor: { id: string; role: string; sessionId: string }) {
  await context.lucia.invalidateSession(actor.sessionId);
  await recordAudit(context.db, { actorId: actor.id, actorRole: actor.role, ip: context.ip, requestId: context.requestId }, {
    action: "auth.sign_out",
    entityType: "user",
    entityId: actor.id,
  });
}
