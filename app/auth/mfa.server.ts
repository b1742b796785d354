import { randomBytes } from "node:crypto";

import { Secret, TOTP } from "otpauth";
import QRCode from "qrcode";
import { hashToken, newToken } from "~/lib/tokens.server";
import { openSecret, sealSecret } from "~/lib/secrets.server";
import type { Database, Executor } from "../../db/engine";
import { recordAudit, type AuditContext } from "~/audit/audit.server";
import { rotateSession } from "./lucia.server";
import type { Role } from "~/lib/roles";

/** Ember staff must use a second factor; outside providers are offered it. */
export const MFA_REQUIRED_ROLES: readonly Role[] = ["coordinator", "clinician", "admin"];
export const RECOVERY_CODE_COUNT = 10;
export const CHALLENGE_MINUTES = 5;
const PERIOD = 30;

export function totpFor(secretBase32: string, email: string) {
  return new TOTP({
    issuer: "Ember Health Portal",
    label: email,
    algorithm: "SHA1",
    digits: 6,
    period: PERIOD,
    secret: Secret.fromBase32(secretBase32),
  });
}

export function newTotpSecret(): string {
  return new Secret({ size: 20 }).base32;
}

/** A QR code of the otpauth:// address, as an SVG data URL (allowed by the CSP's img-src data:). */
export async function enrolmentQr(secretBase32: string, email: string): Promise<{ uri: string; qr: string }> {
  const uri = totpFor(secretBase32, email).toString();
  const svg = await QRCode.toString(uri, { type: "svg", margin: 1, errorCorrectionLevel: "M" });
  return { uri, qr: `data:image/svg+xml;base64,${Buffer.from(svg).toString("base64")}` };
}

/** The time step a code is valid for, within one step of drift either way; null when wrong. */
export function matchingStep(secretBase32: string, email: string, code: string, now: Date): number | null {
  if (!/^\d{6}$/.test(code)) return null;
  const delta = totpFor(secretBase32, email).validate({ token: code, timestamp: now.getTime(), window: 1 });
  return delta === null ? null : Math.floor(now.getTime() / 1000 / PERIOD) + delta;
}

/** Ten single-use codes like `k3f9-2hxd-p7qm`; only their hashes are kept. */
export function newRecoveryCodes(): string[] {
  const alphabet = "abcdefghjkmnpqrstuvwxyz23456789";
  return Array.from({ length: RECOVERY_CODE_COUNT }, () => {
    const bytes = randomBytes(12);
    const chars = [...bytes].map((b) => alphabet[b % alphabet.length]).join("");
    return `${chars.slice(0, 4)}-${chars.slice(4, 8)}-${chars.slice(8, 12)}`;
  });
}

const normaliseRecovery = (code: string) =>
  code
    .trim()
    .toLowerCase()
    .replace(/[^a-z0-9]/g, "");

export async function storeRecoveryCodes(db: Executor, userId: string, codes: string[], now: Date) {
  await db.deleteFrom("mfa_recovery_codes").where("user_id", "=", userId).execute();
  await db
    .insertInto("mfa_recovery_codes")
    .values(codes.map((c) => ({ user_id: userId, code_hash: hashToken(normaliseRecovery(c)), created_at: now })))
    .execute();
}

export interface SecondFactorUser {
  id: string;
  email: string;
  totp_secret_enc: string | null;
  totp_last_step: string | null;
}

export type SecondFactorResult = "ok" | "wrong" | "reused";

/**
 * Checks a TOTP code (never the same time step twice) or, failing that, a recovery code (spent
 * on use). Claims are conditional updates, so two requests cannot both use one code.
 */
export async function verifySecondFactor(
  db: Executor,
  key: Buffer,
  user: SecondFactorUser,
  code: string,
  now: Date,
): Promise<{ result: SecondFactorResult; method?: "totp" | "recovery" }> {
  if (!user.totp_secret_enc) return { result: "wrong" };
  const step = matchingStep(openSecret(key, user.totp_secret_enc), user.email, code.trim(), now);
  if (step !== null) {
    const claimed = await db
      .updateTable("users")
      .set({ totp_last_step: String(step) })
      .where("id", "=", user.id)
      .where((eb) => eb.or([eb("totp_last_step", "is", null), eb("totp_last_step", "<", String(step))]))
      .returning("id")
      .executeTakeFirst();
    return claimed ? { result: "ok", method: "totp" } : { result: "reused" };
  }
  const normalised = normaliseRecovery(code);
  if (normalised.length !== 12) return { result: "wrong" };
  const spent = await db
    .updateTable("mfa_recovery_codes")
    .set({ used_at: now })
    .where("user_id", "=", user.id)
    .where("code_hash", "=", hashToken(normalised))
    .where("used_at", "is", null)
    .returning("id")
    .executeTakeFirst();
  return spent ? { result: "ok", method: "recovery" } : { result: "wrong" };
}

/** The step between password and session for users with a second factor: a short-lived, single-use challenge. */
export async function createChallenge(db: Executor, userId: string, now: Date): Promise<string> {
  const token = newToken();
  // Only this user's expired challenges go: signing in on a second device must not end the first's step.
  await db.deleteFrom("mfa_challenges").where("user_id", "=", userId).where("expires_at", "<=", now).execute();
  await db
    .insertInto("mfa_challenges")
    .values({
      id_hash: hashToken(token),
      user_id: userId,
      created_at: now,
      expires_at: new Date(now.getTime() + CHALLENGE_MINUTES * 60_000),
    })
    .execute();
  return token;
}

export async function findChallenge(db: Executor, token: string, now: Date) {
  return db
    .selectFrom("mfa_challenges as c")
    .innerJoin("users as u", "u.id", "c.user_id")
    .select(["u.id", "u.email", "u.role", "u.totp_secret_enc", "u.totp_last_step", "c.id_hash"])
    .where("c.id_hash", "=", hashToken(token))
    .where("c.expires_at", ">", now)
    .where("u.status", "=", "active")
    .executeTakeFirst();
}

export async function dropChallenge(db: Executor, token: string) {
  await db.deleteFrom("mfa_challenges").where("id_hash", "=", hashToken(token)).execute();
}

export async function mfaStatus(db: Executor, userId: string) {
  const [user, remaining] = await Promise.all([
    db
      .selectFrom("users")
      .select(["email", "role", "totp_enabled_at", "password_hash"])
      .where("id", "=", userId)
      .executeTakeFirstOrThrow(),
    db
      .selectFrom("mfa_recovery_codes")
      .select((eb) => eb.fn.countAll<string>().as("n"))
      .where("user_id", "=", userId)
      .where("used_at", "is", null)
      .executeTakeFirstOrThrow(),
  ]);
  return { ...user, recoveryCodesLeft: Number(remaining.n) };
}

/**
 * Turns on TOTP (or replaces the authenticator) with a secret the user proved they hold, issues
 * recovery codes, and moves this browser to a new session id without the enrolment requirement,
 * ending every other session. Returns the codes, shown once, and the new session id.
 */
export async function enableTotp(
  db: Database,
  key: Buffer,
  audit: AuditContext,
  input: { userId: string; secret: string; currentSessionHash: string; step: number; now: Date },
): Promise<{ codes: string[]; sessionId: string | null }> {
  const codes = newRecoveryCodes();
  const sessionId = await db.transaction().execute(async (trx) => {
    await trx
      .updateTable("users")
      .set({
        totp_secret_enc: sealSecret(key, input.secret),
        totp_enabled_at: input.now,
        totp_last_step: String(input.step),
        updated_at: input.now,
      })
      .where("id", "=", input.userId)
      .execute();
    await storeRecoveryCodes(trx, input.userId, codes, input.now);
    const rotated = await rotateSession(trx, {
      userId: input.userId,
      currentSessionHash: input.currentSessionHash,
      now: input.now,
      needsMfaEnrolment: false,
    });
    await recordAudit(trx, audit, { action: "auth.mfa_enrol", entityType: "user", entityId: input.userId });
    return rotated;
  });
  return { codes, sessionId };
}
