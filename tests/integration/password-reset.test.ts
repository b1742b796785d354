import { expect, it } from "vitest";
import { verifyPassword } from "~/auth/password.server";
import { hashToken } from "~/lib/tokens.server";
import { isResetTokenUsable, requestPasswordReset, resetPassword, RESET_VALID_MINUTES } from "~/modules/users/password-reset.server";
import { MINUTE } from "../support/clock";
import { buildLoadContext } from "../support/context";
import { describeEachEngine } from "../support/db";
import { auditContextFor, createUser, type TestUser, uniqueEmail } from "../support/factories";
import { TEST_SECRETS_KEY, tokensSentTo } from "../support/mail";

const APP_URL = "https://portal.ember.test";
const NEW_PASSWORD = "a brand new password 2026";

describeEachEngine("password reset", (getDb, engine) => {
  const request = (email: string, now: Date) => requestPasswordReset(getDb(), auditContextFor(null), { email, appUrl: APP_URL, secretsKey: TEST_SECRETS_KEY, now });
  const reset = (token: string, now: Date, password = NEW_PASSWORD) => resetPassword(getDb(), auditContextFor(null), { token, password, now });

  async function requestedLink(user: TestUser, now = new Date()) {
    await request(user.email, now);
    const tokens = await tokensSentTo(getDb(), user.email, "/reset-password/");
    return tokens.at(-1)!;
  }

  const passwordHashOf = async (userId: string) =>
    (await getDb().selectFrom("users").select("password_hash").where("id", "=", userId).executeTakeFirstOrThrow()).password_hash!;

  it("mails a link whose token is stored only as a hash, and which sets a new password", async () => {
    const user = await createUser(getDb(), { role: "therapist" });
    const now = new Date();
    const token = await requestedLink(user, now);
    const rows = await getDb().selectFrom("password_resets").selectAll().execute();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ user_id: user.id, token_hash: hashToken(token), used_at: null });
    expect(JSON.stringify(rows)).not.toContain(token);

    expect(await reset(token, now)).toBe(true);
    const hash = await passwordHashOf(user.id);
    expect(await verifyPassword(hash, NEW_PASSWORD)).toBe(true);
    expect(await verifyPassword(hash, user.password)).toBe(false);
  });

  it("works once", async () => {
    const user = await createUser(getDb(), { role: "therapist" });
    const now = new Date();
    const token = await requestedLink(user, now);
    expect(await reset(token, now)).toBe(true);
    expect(await isResetTokenUsable(getDb(), token, now)).toBe(false);
    expect(await reset(token, now, "an attacker's password 99")).toBe(false);
    expect(await verifyPassword(await passwordHashOf(user.id), NEW_PASSWORD)).toBe(true);
  });

  it("expires after 30 minutes", async () => {
    const user = await createUser(getDb(), { role: "coordinator" });
    const now = new Date();
    const token = await requestedLink(user, now);
    expect(RESET_VALID_MINUTES).toBe(30);
    expect(await isResetTokenUsable(getDb(), token, new Date(now.getTime() + 30 * MINUTE - 1))).toBe(true);
    expect(await isResetTokenUsable(getDb(), token, new Date(now.getTime() + 30 * MINUTE))).toBe(false);
    expect(await reset(token, new Date(now.getTime() + 30 * MINUTE + 1))).toBe(false);
    expect(await verifyPassword(await passwordHashOf(user.id), user.password)).toBe(true);
  });

  it("still works just inside the 30 minutes", async () => {
    const user = await createUser(getDb(), { role: "coordinator" });
    const now = new Date();
    const token = await requestedLink(user, now);
    expect(await reset(token, new Date(now.getTime() + 29 * MINUTE))).toBe(true);
  });

  it("queues nothing for an unknown or deactivated address, and the caller cannot tell", async () => {
    const known = await createUser(getDb(), { role: "therapist" });
    const deactivated = await createUser(getDb(), { role: "therapist", status: "deactivated" });
    const now = new Date();

    const answers = [await request(known.email, now), await request(uniqueEmail("nobody"), now), await request(deactivated.email, now)];
    // Same answer (nothing) for all three: the route shows the same page whatever happened.
    expect(answers).toEqual([undefined, undefined, undefined]);

    const outbox = await getDb().selectFrom("email_outbox").select("to_address").execute();
    expect(outbox).toEqual([{ to_address: known.email }]);
    const resets = await getDb().selectFrom("password_resets").select("user_id").execute();
    expect(resets).toEqual([{ user_id: known.id }]);
  });

  it("limits requests for one address to 5 an hour", async () => {
    const user = await createUser(getDb(), { role: "therapist" });
    const now = new Date();
    for (let i = 0; i < 7; i++) await request(user.email, new Date(now.getTime() + i * MINUTE));
    expect(await getDb().selectFrom("email_outbox").select("id").execute()).toHaveLength(5);
    await request(user.email, new Date(now.getTime() + 61 * MINUTE));
    expect(await getDb().selectFrom("email_outbox").select("id").execute()).toHaveLength(6);
  });

  it("ends every session of the user, and spends the user's other open links", async () => {
    const db = getDb();
    const user = await createUser(db, { role: "psychiatrist" });
    const other = await createUser(db, { role: "psychiatrist" });
    const context = buildLoadContext(db, { engine });
    const sessions = await Promise.all([
      context.lucia.createSession(user.id, { ip: "203.0.113.1", userAgent: "laptop" }),
      context.lucia.createSession(user.id, { ip: "203.0.113.2", userAgent: "phone" }),
      context.lucia.createSession(other.id, { ip: "203.0.113.3", userAgent: "other" }),
    ]);
    for (const s of sessions) expect((await context.lucia.validateSession(s.id)).session).not.toBeNull();

    const now = new Date();
    const first = await requestedLink(user, now);
    const second = await requestedLink(user, new Date(now.getTime() + MINUTE));
    expect(first).not.toBe(second);
    expect(await reset(second, new Date(now.getTime() + 2 * MINUTE))).toBe(true);

    expect((await context.lucia.validateSession(sessions[0].id)).session).toBeNull();
    expect((await context.lucia.validateSession(sessions[1].id)).session).toBeNull();
    expect((await context.lucia.validateSession(sessions[2].id)).session).not.toBeNull();
    const left = await db.selectFrom("sessions").select("user_id").execute();
    expect(left).toEqual([{ user_id: other.id }]);

    expect(await reset(first, new Date(now.getTime() + 3 * MINUTE), "yet another password 3")).toBe(false);
  });

  it("does not reset the password of an account deactivated after the link was sent", async () => {
    const user = await createUser(getDb(), { role: "therapist" });
    const now = new Date();
    const token = await requestedLink(user, now);
    await getDb().updateTable("users").set({ status: "deactivated" }).where("id", "=", user.id).execute();
    expect(await reset(token, now)).toBe(false);
    expect(await verifyPassword(await passwordHashOf(user.id), user.password)).toBe(true);
  });
});
