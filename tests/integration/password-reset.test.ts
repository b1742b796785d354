import { expect, it, vi } from "vitest";
import { verifyPassword } from "~/auth/password.server";
import { hashToken } from "~/lib/tokens.server";
import {
  isResetTokenUsable,
  requestPasswordReset,
  resetPassword,
  RESET_VALID_MINUTES,
} from "~/modules/users/password-reset.server";
import { MINUTE } from "../support/clock";
import { buildLoadContext } from "../support/context";
import { describeEachEngine } from "../support/db";
import { auditContextFor, createUser, type TestUser, uniqueEmail } from "../support/factories";
import { TEST_SECRETS_KEY, tokensSentTo } from "../support/mail";

// Counts argon2 hashes, to show which paths never reach one.
const hashes = vi.hoisted(() => ({ count: 0 }));
vi.mock("~/auth/password.server", async (importOriginal) => {
  const real = await importOriginal<typeof import("~/auth/password.server")>();
  return {
    ...real,
    hashPassword: (password: string) => {
      hashes.count++;
      return real.hashPassword(password);
    },
  };
});

const APP_URL = "https://portal.ember.test";
const NEW_PASSWORD = "a brand new password 2026";

describeEachEngine("password reset", (getDb, engine) => {
  const request = (email: string, now: Date, ip?: string) =>
    requestPasswordReset(getDb(), auditContextFor(null, { ip }), {
      email,
      appUrl: APP_URL,
      secretsKey: TEST_SECRETS_KEY,
      now,
    });
  const reset = (token: string, now: Date, password = NEW_PASSWORD, ip?: string) =>
    resetPassword(getDb(), auditContextFor(null, { ip }), { token, password, now });

  async function requestedLink(user: TestUser, now = new Date()) {
    await request(user.email, now);
    const tokens = await tokensSentTo(getDb(), user.email, "/reset-password/");
    return tokens.at(-1)!;
  }

  const passwordHashOf = async (userId: string) =>
    (await getDb().selectFrom("users").select("password_hash").where("id", "=", userId).executeTakeFirstOrThrow())
      .password_hash!;

  it("mails a link whose token is stored only as a hash, and which sets a new password", async () => {
    const user = await createUser(getDb(), { role: "therapist" });
    const now = new Date();
    const token = await requestedLink(user, now);
    const rows = await getDb().selectFrom("password_resets").selectAll().execute();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ user_id: user.id, token_hash: hashToken(token), used_at: null });
    expect(JSON.stringify(rows)).not.toContain(token);

    expect(await reset(token, now)).toBe("done");
    const hash = await passwordHashOf(user.id);
    expect(await verifyPassword(hash, NEW_PASSWORD)).toBe(true);
    expect(await verifyPassword(hash, user.password)).toBe(false);
  });

  it("works once", async () => {
    const user = await createUser(getDb(), { role: "therapist" });
    const now = new Date();
    const token = await requestedLink(user, now);
    expect(await reset(token, now)).toBe("done");
    expect(await isResetTokenUsable(getDb(), token, now)).toBe(false);
    expect(await reset(token, now, "an attacker's password 99")).toBe("gone");
    expect(await verifyPassword(await passwordHashOf(user.id), NEW_PASSWORD)).toBe(true);
  });

  it("expires after 30 minutes", async () => {
    const user = await createUser(getDb(), { role: "coordinator" });
    const now = new Date();
    const token = await requestedLink(user, now);
    expect(RESET_VALID_MINUTES).toBe(30);
    expect(await isResetTokenUsable(getDb(), token, new Date(now.getTime() + 30 * MINUTE - 1))).toBe(true);
    expect(await isResetTokenUsable(getDb(), token, new Date(now.getTime() + 30 * MINUTE))).toBe(false);
    expect(await reset(token, new Date(now.getTime() + 30 * MINUTE + 1))).toBe("gone");
    expect(await verifyPassword(await passwordHashOf(user.id), user.password)).toBe(true);
  });

  it("still works just inside the 30 minutes", async () => {
    const user = await createUser(getDb(), { role: "coordinator" });
    const now = new Date();
    const token = await requestedLink(user, now);
    expect(await reset(token, new Date(now.getTime() + 29 * MINUTE))).toBe("done");
  });

  it("queues nothing for an unknown or deactivated address, and the caller cannot tell", async () => {
    const known = await createUser(getDb(), { role: "therapist" });
    const deactivated = await createUser(getDb(), { role: "therapist", status: "deactivated" });
    const now = new Date();

    const answers = [
      await request(known.email, now),
      await request(uniqueEmail("nobody"), now),
      await request(deactivated.email, now),
    ];
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
    expect(await reset(second, new Date(now.getTime() + 2 * MINUTE))).toBe("done");

    expect((await context.lucia.validateSession(sessions[0].id)).session).toBeNull();
    expect((await context.lucia.validateSession(sessions[1].id)).session).toBeNull();
    expect((await context.lucia.validateSession(sessions[2].id)).session).not.toBeNull();
    const left = await db.selectFrom("sessions").select("user_id").execute();
    expect(left).toEqual([{ user_id: other.id }]);

    expect(await reset(first, new Date(now.getTime() + 3 * MINUTE), "yet another password 3")).toBe("gone");
  });

  it("does not reset the password of an account deactivated after the link was sent", async () => {
    const user = await createUser(getDb(), { role: "therapist" });
    const now = new Date();
    const token = await requestedLink(user, now);
    await getDb().updateTable("users").set({ status: "deactivated" }).where("id", "=", user.id).execute();
    expect(await reset(token, now)).toBe("gone");
    expect(await verifyPassword(await passwordHashOf(user.id), user.password)).toBe(true);
  });

  it("holds the per-account limit against a concurrent burst: 25 requests for one account queue 5 emails", async () => {
    const user = await createUser(getDb(), { role: "therapist" });
    const now = new Date();
    await Promise.all(Array.from({ length: 25 }, () => request(user.email, now)));
    expect(await getDb().selectFrom("email_outbox").select("id").execute()).toHaveLength(5);
    expect(await getDb().selectFrom("password_resets").select("id").execute()).toHaveLength(5);
  });

  it("limits requests from one address to 20 an hour, whatever accounts they name, even in a burst", async () => {
    const users = await Promise.all(Array.from({ length: 25 }, () => createUser(getDb(), { role: "therapist" })));
    const now = new Date();
    await Promise.all(users.map((u) => request(u.email, now, "198.51.100.80")));
    expect(await getDb().selectFrom("email_outbox").select("id").execute()).toHaveLength(20);
    // Another address is not held back.
    await request(users[0]!.email, now, "203.0.113.81");
    expect(await getDb().selectFrom("email_outbox").select("id").execute()).toHaveLength(21);
    const denied = await getDb()
      .selectFrom("audit_events")
      .select("id")
      .where("action", "=", "auth.reset_request")
      .where("outcome", "=", "denied")
      .execute();
    expect(denied).toHaveLength(5);
  });

  it("checks the link before hashing anything: a flood of made-up links hashes nothing and is refused after 20 from one address", async () => {
    const user = await createUser(getDb(), { role: "therapist" });
    const now = new Date();
    const token = await requestedLink(user, now);
    hashes.count = 0;
    const answers = await Promise.all(
      Array.from({ length: 25 }, (_, i) =>
        reset(`made-up-link-${i}-${"x".repeat(30)}`, now, NEW_PASSWORD, "198.51.100.90"),
      ),
    );
    expect(hashes.count, "no argon2 hash for a link that does not work").toBe(0);
    expect(answers.filter((a) => a === "gone")).toHaveLength(20);
    expect(answers.filter((a) => a === "throttled")).toHaveLength(5);
    // From that address even the real link waits; from the owner's own, it works (and hashes once).
    expect(await reset(token, now, NEW_PASSWORD, "198.51.100.90")).toBe("throttled");
    expect(await reset(token, now, NEW_PASSWORD, "203.0.113.91")).toBe("done");
    expect(hashes.count).toBe(1);
  });
});
