import { expect, it } from "vitest";
import { hashToken } from "~/lib/tokens.server";
import { action as accountAction } from "~/routes/account._index/route";
import { setUserStatus } from "~/modules/users/users.server";
import { HOUR, MINUTE, TestClock } from "../support/clock";
import { buildLoadContext } from "../support/context";
import { describeEachEngine } from "../support/db";
import { auditContextFor, createUser } from "../support/factories";

describeEachEngine("sessions", (getDb, engine) => {
  const contextAt = (clock = new TestClock()) => buildLoadContext(getDb(), { engine, clock });

  it("stores only a SHA-256 of the session id", async () => {
    const user = await createUser(getDb(), { role: "therapist" });
    const { lucia } = contextAt();
    const session = await lucia.createSession(user.id, { ip: "203.0.113.9", userAgent: "Firefox" });
    expect(session.id.length).toBeGreaterThanOrEqual(20);

    const rows = await getDb().selectFrom("sessions").selectAll().execute();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      id_hash: hashToken(session.id),
      user_id: user.id,
      ip: "203.0.113.9",
      user_agent: "Firefox",
    });
    for (const [column, value] of Object.entries(rows[0]!)) {
      const stored = value instanceof Date ? value.toISOString() : String(value);
      expect(stored, `sessions.${column}`).not.toContain(session.id);
    }

    const { session: found, user: owner } = await lucia.validateSession(session.id);
    expect(found?.id).toBe(session.id);
    expect(owner).toMatchObject({ id: user.id, email: user.email, role: "therapist" });
  });

  it("does not open a session from its stored hash", async () => {
    const user = await createUser(getDb(), { role: "therapist" });
    const { lucia } = contextAt();
    await lucia.createSession(user.id, {});
    const { id_hash } = await getDb().selectFrom("sessions").select("id_hash").executeTakeFirstOrThrow();
    expect((await lucia.validateSession(id_hash)).session).toBeNull();
  });

  it("is not returned once older than the absolute lifetime, however active", async () => {
    const user = await createUser(getDb(), { role: "coordinator" });
    const clock = new TestClock();
    const context = contextAt(clock);
    const absoluteMs = context.config.session.absoluteMs;
    expect(absoluteMs).toBe(12 * HOUR);
    const session = await context.lucia.createSession(user.id, {});

    clock.advance(absoluteMs - MINUTE);
    expect((await context.lucia.validateSession(session.id)).session).not.toBeNull();
    // Keep the idle deadline fresh, as an active user's requests would.
    await context.sessions.updateSessionExpiration(session.id, new Date(Date.now() + 30 * MINUTE));

    clock.advance(2 * MINUTE);
    expect(await context.sessions.getSessionAndUser(session.id)).toEqual([null, null]);
    expect((await context.lucia.validateSession(session.id)).session).toBeNull();
  });

  it("is not returned once past its idle deadline", async () => {
    const user = await createUser(getDb(), { role: "coordinator" });
    const { lucia, sessions } = contextAt();
    const session = await lucia.createSession(user.id, {});
    await sessions.updateSessionExpiration(session.id, new Date(Date.now() - 1000));
    expect((await lucia.validateSession(session.id)).session).toBeNull();
  });

  it("clears sessions past either lifetime, and only those", async () => {
    const user = await createUser(getDb(), { role: "clinician" });
    const clock = new TestClock();
    const context = contextAt(clock);
    const old = await context.lucia.createSession(user.id, {});
    clock.advance(11 * HOUR);
    const recent = await context.lucia.createSession(user.id, {});
    const idle = await context.lucia.createSession(user.id, {});
    await context.sessions.updateSessionExpiration(idle.id, new Date(clock.now().getTime() - 1));
    clock.advance(2 * HOUR);
    // lucia dates the idle deadline by the real clock: restate it on the test's clock.
    await context.sessions.updateSessionExpiration(recent.id, new Date(clock.now().getTime() + 30 * MINUTE));
    await context.sessions.deleteExpiredSessions();
    const left = await getDb().selectFrom("sessions").select("id_hash").execute();
    expect(left.map((r) => r.id_hash)).toEqual([hashToken(recent.id)]);
    expect(left.map((r) => r.id_hash)).not.toContain(hashToken(old.id));
  });

  it("is not returned for a deactivated user, even if the row is still there", async () => {
    const user = await createUser(getDb(), { role: "therapist" });
    const { lucia } = contextAt();
    const session = await lucia.createSession(user.id, {});
    await getDb().updateTable("users").set({ status: "deactivated" }).where("id", "=", user.id).execute();
    expect(await getDb().selectFrom("sessions").select("id_hash").execute()).toHaveLength(1);
    expect((await lucia.validateSession(session.id)).session).toBeNull();
  });

  it("ends when an administrator deactivates the user, and stays ended after reactivation", async () => {
    const db = getDb();
    const admin = await createUser(db, { role: "admin" });
    const user = await createUser(db, { role: "psychiatrist" });
    const { lucia } = contextAt();
    const mine = await lucia.createSession(admin.id, {});
    const theirs = [await lucia.createSession(user.id, {}), await lucia.createSession(user.id, {})];

    const now = new Date();
    expect(await setUserStatus(db, auditContextFor(admin), { userId: user.id, status: "deactivated", now })).toBe(
      "changed",
    );
    expect(await setUserStatus(db, auditContextFor(admin), { userId: user.id, status: "deactivated", now })).toBe(
      "unchanged",
    );

    const row = await db
      .selectFrom("users")
      .select(["status", "deactivated_at"])
      .where("id", "=", user.id)
      .executeTakeFirstOrThrow();
    expect(row.status).toBe("deactivated");
    expect(row.deactivated_at?.getTime()).toBe(now.getTime());
    expect(await db.selectFrom("sessions").select("user_id").execute()).toEqual([{ user_id: admin.id }]);

    expect(await setUserStatus(db, auditContextFor(admin), { userId: user.id, status: "active", now })).toBe("changed");
    for (const s of theirs) expect((await lucia.validateSession(s.id)).session).toBeNull();
    expect((await lucia.validateSession(mine.id)).session).not.toBeNull();
    const reactivated = await db
      .selectFrom("users")
      .select(["status", "deactivated_at"])
      .where("id", "=", user.id)
      .executeTakeFirstOrThrow();
    expect(reactivated).toEqual({ status: "active", deactivated_at: null });
  });

  it("does not let an administrator deactivate themselves", async () => {
    const admin = await createUser(getDb(), { role: "admin" });
    const { lucia } = contextAt();
    const session = await lucia.createSession(admin.id, {});
    expect(
      await setUserStatus(getDb(), auditContextFor(admin), {
        userId: admin.id,
        status: "deactivated",
        now: new Date(),
      }),
    ).toBe("self");
    expect((await lucia.validateSession(session.id)).session).not.toBeNull();
    const row = await getDb().selectFrom("users").select("status").where("id", "=", admin.id).executeTakeFirstOrThrow();
    expect(row.status).toBe("active");
  });

  it("signing out one session leaves the user's others open", async () => {
    const user = await createUser(getDb(), { role: "therapist" });
    const { lucia } = contextAt();
    const a = await lucia.createSession(user.id, {});
    const b = await lucia.createSession(user.id, {});
    await lucia.invalidateSession(a.id);
    expect((await lucia.validateSession(a.id)).session).toBeNull();
    expect((await lucia.validateSession(b.id)).session).not.toBeNull();
  });

  it("moves the browser to a new session id after a password change: the old id opens nothing, the user stays signed in", async () => {
    const user = await createUser(getDb(), { role: "therapist" });
    const clock = new TestClock();
    const context = contextAt(clock);
    const current = await context.lucia.createSession(user.id, { ip: "203.0.113.9", userAgent: "laptop" });
    const elsewhere = await context.lucia.createSession(user.id, { ip: "203.0.113.10", userAgent: "phone" });
    const startedAt = (
      await getDb()
        .selectFrom("sessions")
        .select("created_at")
        .where("id_hash", "=", hashToken(current.id))
        .executeTakeFirstOrThrow()
    ).created_at;
    clock.advance(MINUTE);

    const newPassword = "a brand new password 2026";
    const request = new Request("http://portal.ember.test/account", {
      method: "POST",
      headers: { Cookie: `${context.lucia.sessionCookieName}=${current.id}` },
      body: new URLSearchParams({
        intent: "password",
        currentPassword: user.password,
        newPassword,
        confirmPassword: newPassword,
      }),
    });
    const answer = (await accountAction({ request, context, params: {} } as Parameters<
      typeof accountAction
    >[0])) as Response;
    expect(answer.status).toBe(302);
    const cookies = answer.headers.getSetCookie();
    const rotated = cookies
      .map((c) => new RegExp(`^${context.lucia.sessionCookieName}=([^;]+)`).exec(c)?.[1])
      .find(Boolean);
    expect(rotated, "a new session cookie is set").toBeTruthy();
    expect(rotated).not.toBe(current.id);

    const check = contextAt(clock);
    expect(await check.sessions.validateSession(current.id, check.config.session.idleMs), "the old id").toBeUndefined();
    expect(
      await check.sessions.validateSession(elsewhere.id, check.config.session.idleMs),
      "another session",
    ).toBeUndefined();
    const fresh = await check.sessions.validateSession(rotated!, check.config.session.idleMs);
    expect(fresh).toMatchObject({ user_id: user.id });
    // The absolute lifetime still runs from the original sign-in.
    expect(fresh!.created_at).toEqual(startedAt);
    expect(await getDb().selectFrom("sessions").select("id_hash").where("user_id", "=", user.id).execute()).toEqual([
      { id_hash: hashToken(rotated!) },
    ]);
  });
});
