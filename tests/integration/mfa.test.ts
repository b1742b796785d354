import { spawnSync } from "node:child_process";
import { sql } from "kysely";
import { Secret, TOTP } from "otpauth";
import { expect, it } from "vitest";
import { confirmIdentity, disableTotp, ReauthError } from "~/auth/account.server";
import { enableTotp, newTotpSecret, RECOVERY_CODE_COUNT } from "~/auth/mfa.server";
import { completeSecondFactor, signIn } from "~/auth/sign-in.server";
import { hashToken } from "~/lib/tokens.server";
import { action as accountAction } from "~/routes/account._index/route";
import { action as mfaAction } from "~/routes/account.mfa";
import { MINUTE, SECOND, TestClock } from "../support/clock";
import { buildLoadContext } from "../support/context";
import { describeEachEngine } from "../support/db";
import { auditContextFor, createUser, type TestUser } from "../support/factories";

/**
 * The second factor end to end below the pages: enrolment keeps only a sealed key and hashed
 * recovery codes, sign-in asks for a code, a code works once, recovery codes work once, wrong
 * codes are throttled in the database, and the re-prompt before sensitive changes asks for both.
 */

const codeAt = (secret: string, at: Date) =>
  new TOTP({ secret: Secret.fromBase32(secret), digits: 6, period: 30 }).generate({ timestamp: at.getTime() });

describeEachEngine("two-step sign-in", (getDb, engine) => {
  const contextFor = (clock: TestClock, ip = "203.0.113.10") => buildLoadContext(getDb(), { engine, clock, ip });

  /** A user signed in with a password, then enrolled: returns the key and the recovery codes shown once. */
  async function enrolled(role: TestUser["role"], clock: TestClock) {
    const user = await createUser(getDb(), { role });
    const context = contextFor(clock);
    const first = await signIn(context, {
      email: user.email,
      password: user.password,
      previousSessionId: null,
      userAgent: "laptop",
    });
    if (!first.ok || !("sessionId" in first)) throw new Error("password sign-in failed");
    const secret = newTotpSecret();
    const { codes, sessionId } = await enableTotp(getDb(), context.config.secretsKey, auditContextFor(user), {
      userId: user.id,
      secret,
      currentSessionHash: hashToken(first.sessionId),
      step: Math.floor(clock.now().getTime() / 30_000),
      now: clock.now(),
    });
    return { user, secret, codes, sessionId: sessionId! };
  }

  async function challengeFor(user: TestUser, clock: TestClock, ip?: string) {
    const result = await signIn(contextFor(clock, ip), {
      email: user.email,
      password: user.password,
      previousSessionId: null,
      userAgent: "phone",
    });
    if (!result.ok || !("challenge" in result))
      throw new Error(`expected a second-factor challenge, got ${JSON.stringify(result)}`);
    return result.challenge;
  }

  const verify = (clock: TestClock, challenge: string, code: string, ip?: string) =>
    completeSecondFactor(contextFor(clock, ip), { challenge, code, previousSessionId: null, userAgent: "phone" });

  it("keeps the key sealed and only hashes of ten recovery codes, ends the user's other sessions and rotates this one's id at enrolment", async () => {
    const clock = new TestClock("2026-10-20T15:00:00Z");
    const user = await createUser(getDb(), { role: "coordinator" });
    const context = contextFor(clock);
    const other = await signIn(context, {
      email: user.email,
      password: user.password,
      previousSessionId: null,
      userAgent: "tablet",
    });
    const current = await signIn(context, {
      email: user.email,
      password: user.password,
      previousSessionId: null,
      userAgent: "laptop",
    });
    if (!other.ok || !("sessionId" in other) || !current.ok || !("sessionId" in current))
      throw new Error("sign-in failed");
    const secret = newTotpSecret();
    const { codes, sessionId } = await enableTotp(getDb(), context.config.secretsKey, auditContextFor(user), {
      userId: user.id,
      secret,
      currentSessionHash: hashToken(current.sessionId),
      step: 0,
      now: clock.now(),
    });

    expect(codes).toHaveLength(RECOVERY_CODE_COUNT);
    expect(new Set(codes).size).toBe(RECOVERY_CODE_COUNT);
    const stored = await getDb()
      .selectFrom("users")
      .select(["totp_secret_enc", "totp_enabled_at"])
      .where("id", "=", user.id)
      .executeTakeFirstOrThrow();
    expect(stored.totp_enabled_at).not.toBeNull();
    expect(stored.totp_secret_enc).not.toContain(secret);
    const hashes = await getDb()
      .selectFrom("mfa_recovery_codes")
      .select("code_hash")
      .where("user_id", "=", user.id)
      .execute();
    expect(hashes).toHaveLength(RECOVERY_CODE_COUNT);
    for (const code of codes) expect(hashes.map((h) => h.code_hash)).not.toContain(code);

    // The browser that enrolled goes on under a new id; the id it had before opens nothing.
    expect(sessionId).toEqual(expect.any(String));
    expect(sessionId).not.toBe(current.sessionId);
    const sessions = await getDb().selectFrom("sessions").select("id_hash").where("user_id", "=", user.id).execute();
    expect(sessions.map((s) => s.id_hash)).toEqual([hashToken(sessionId!)]);
    expect(await context.sessions.validateSession(current.sessionId, context.config.session.idleMs)).toBeUndefined();
  });

  it("asks an enrolled user for a code after the password, and accepts each code only once", async () => {
    const clock = new TestClock("2026-10-20T15:00:00Z");
    const { user, secret } = await enrolled("clinician", clock);
    clock.advance(MINUTE);

    const challenge = await challengeFor(user, clock);
    expect(
      await getDb().selectFrom("sessions").select("id_hash").where("user_id", "=", user.id).execute(),
      "no new session before the code",
    ).toHaveLength(1);
    const code = codeAt(secret, clock.now());
    expect(await verify(clock, challenge, "000000")).toEqual({ ok: false, reason: "invalid" });
    const passed = await verify(clock, challenge, code);
    expect(passed).toMatchObject({ ok: true, sessionId: expect.any(String), userId: user.id });

    // The same code on a new sign-in, within its 30 seconds: refused as used, not as wrong.
    const again = await challengeFor(user, clock);
    expect(await verify(clock, again, code)).toEqual({ ok: false, reason: "reused" });
    // The challenge is spent once used.
    expect(await verify(clock, challenge, codeAt(secret, new Date(clock.now().getTime() + 30 * SECOND)))).toEqual({
      ok: false,
      reason: "expired",
    });

    const audit = await getDb()
      .selectFrom("audit_events")
      .select(["action", "outcome", "detail"])
      .where("action", "=", "auth.mfa")
      .orderBy("id")
      .execute();
    expect(audit.map((a) => [a.outcome, (a.detail as { reason?: string } | null)?.reason])).toEqual([
      ["failure", "wrong"],
      ["failure", "reused"],
    ]);
  });

  it("lets a second device sign in while the first is still at its code step", async () => {
    const clock = new TestClock("2026-10-20T15:00:00Z");
    const { user, secret } = await enrolled("admin", clock);
    clock.advance(MINUTE);
    const laptop = await challengeFor(user, clock);
    const phone = await challengeFor(user, clock);
    expect(await verify(clock, phone, codeAt(secret, clock.now()))).toMatchObject({ ok: true });
    clock.advance(30 * SECOND);
    expect(await verify(clock, laptop, codeAt(secret, clock.now()))).toMatchObject({ ok: true });
  });

  it("times the code step out after five minutes", async () => {
    const clock = new TestClock("2026-10-20T15:00:00Z");
    const { user, secret } = await enrolled("coordinator", clock);
    const challenge = await challengeFor(user, clock);
    clock.advance(5 * MINUTE + SECOND);
    expect(await verify(clock, challenge, codeAt(secret, clock.now()))).toEqual({ ok: false, reason: "expired" });
  });

  it("accepts each recovery code once, in any case and spacing", async () => {
    const clock = new TestClock("2026-10-20T15:00:00Z");
    const { user, codes } = await enrolled("coordinator", clock);
    const [first] = codes;
    expect(
      await verify(clock, await challengeFor(user, clock), ` ${first!.toUpperCase().replace(/-/g, " ")} `),
    ).toMatchObject({ ok: true });
    expect(await verify(clock, await challengeFor(user, clock), first!)).toEqual({ ok: false, reason: "invalid" });
    const left = await getDb()
      .selectFrom("mfa_recovery_codes")
      .select("id")
      .where("user_id", "=", user.id)
      .where("used_at", "is", null)
      .execute();
    expect(left).toHaveLength(RECOVERY_CODE_COUNT - 1);
  });

  it("throttles wrong codes per account after five, in the database, and lets the right code through again after the window", async () => {
    const clock = new TestClock("2026-10-20T15:00:00Z");
    const { user, secret } = await enrolled("clinician", clock);
    const challenge = await challengeFor(user, clock);
    for (let i = 0; i < 5; i++)
      expect(await verify(clock, challenge, String(100000 + i))).toEqual({ ok: false, reason: "invalid" });
    expect(await verify(clock, challenge, codeAt(secret, clock.now())), "even the right code waits").toEqual({
      ok: false,
      reason: "throttled",
    });
    const hits = await getDb()
      .selectFrom("throttle_hits")
      .select("bucket")
      .where("bucket", "=", `mfa:account:${user.id}`)
      .execute();
    expect(hits).toHaveLength(5);

    clock.advance(16 * MINUTE);
    const fresh = await challengeFor(user, clock);
    expect(await verify(clock, fresh, codeAt(secret, clock.now()))).toMatchObject({ ok: true });
  });

  it("holds the code limit against a concurrent burst: 25 codes with the right one 20th are refused, only 5 are checked", async () => {
    const clock = new TestClock("2026-10-20T15:00:00Z");
    const { user, secret } = await enrolled("clinician", clock);
    clock.advance(MINUTE);
    const challenge = await challengeFor(user, clock);
    const right = codeAt(secret, clock.now());
    const codes = Array.from({ length: 25 }, (_, i) =>
      i === 19 ? right : String((Number(right) + 1 + i) % 1_000_000).padStart(6, "0"),
    );
    const answers = await Promise.all(codes.map((code) => verify(clock, challenge, code)));

    expect(
      answers.filter((a) => a.ok),
      "no code of the burst signs in",
    ).toEqual([]);
    expect(answers.filter((a) => !a.ok && a.reason === "invalid")).toHaveLength(5);
    expect(answers.filter((a) => !a.ok && a.reason === "throttled")).toHaveLength(20);
    expect(
      await getDb().selectFrom("sessions").select("id_hash").where("user_id", "=", user.id).execute(),
      "only the enrolment session",
    ).toHaveLength(1);
    const checked = await getDb()
      .selectFrom("audit_events")
      .select("id")
      .where("action", "=", "auth.mfa")
      .where("outcome", "=", "failure")
      .execute();
    expect(checked, "only five codes were ever compared").toHaveLength(5);
  });

  it("re-prompts for the password and the current code before a sensitive change", async () => {
    const clock = new TestClock("2026-10-20T15:00:00Z");
    const { user, secret } = await enrolled("coordinator", clock);
    const key = contextFor(clock).config.secretsKey;
    clock.advance(MINUTE);
    const limits = contextFor(clock).config.throttle;
    const attempt = (password: string, code?: string) =>
      confirmIdentity(getDb(), key, auditContextFor(user), {
        userId: user.id,
        password,
        code,
        now: clock.now(),
        limits,
      });

    await expect(attempt("not the password", codeAt(secret, clock.now()))).rejects.toMatchObject({
      field: "currentPassword",
    });
    await expect(attempt(user.password)).rejects.toBeInstanceOf(ReauthError);
    await expect(attempt(user.password, "123")).rejects.toMatchObject({ field: "currentCode" });
    await expect(attempt(user.password, codeAt(secret, clock.now()))).resolves.toMatchObject({ id: user.id });
  });

  it("throttles the re-prompt per account: after five wrong answers even the right ones wait, and a concurrent burst gets five checked", async () => {
    const clock = new TestClock("2026-10-20T15:00:00Z");
    const { user, secret } = await enrolled("therapist", clock);
    const limits = contextFor(clock).config.throttle;
    const key = contextFor(clock).config.secretsKey;
    clock.advance(MINUTE);
    const attempt = (password: string, code: string) =>
      confirmIdentity(getDb(), key, auditContextFor(user, { ip: "198.51.100.23" }), {
        userId: user.id,
        password,
        code,
        now: clock.now(),
        limits,
      });

    // Someone with the session and the password, guessing at the code in one burst.
    const right = codeAt(secret, clock.now());
    const codes = Array.from({ length: 25 }, (_, i) =>
      i === 19 ? right : String((Number(right) + 1 + i) % 1_000_000).padStart(6, "0"),
    );
    const outcomes = await Promise.allSettled(codes.map((code) => attempt(user.password, code)));
    expect(
      outcomes.filter((o) => o.status === "fulfilled"),
      "no guess of the burst passes",
    ).toEqual([]);
    const reasons = outcomes.map((o) => (o.status === "rejected" ? (o.reason as ReauthError) : null));
    expect(reasons.filter((r) => r?.field === "currentCode")).toHaveLength(5);
    expect(reasons.filter((r) => r?.throttled)).toHaveLength(20);

    await expect(attempt(user.password, codeAt(secret, clock.now()))).rejects.toMatchObject({ throttled: true });
    const audit = await getDb()
      .selectFrom("audit_events")
      .select(["outcome", "detail"])
      .where("action", "=", "auth.reauth")
      .execute();
    expect(audit.filter((a) => a.outcome === "failure")).toHaveLength(5);
    expect(audit.filter((a) => a.outcome === "denied")).toHaveLength(21);

    clock.advance(limits.windowMs);
    await expect(attempt(user.password, codeAt(secret, clock.now()))).resolves.toMatchObject({ id: user.id });
  });

  /** A form posted to an account page in a browser holding `sessionId`: the status, the body's data and the session cookie set, if any. */
  async function postForm(
    action: typeof mfaAction | typeof accountAction,
    path: string,
    clock: TestClock,
    sessionId: string,
    body: Record<string, string>,
  ) {
    const context = contextFor(clock);
    const request = new Request(`http://portal.ember.test${path}`, {
      method: "POST",
      headers: { Cookie: `${context.lucia.sessionCookieName}=${sessionId}` },
      body: new URLSearchParams(body),
    });
    let value: unknown;
    try {
      value = await action({ request, context, params: {} } as Parameters<typeof action>[0]);
    } catch (thrown) {
      value = thrown;
    }
    if (value instanceof Response)
      return { status: value.status, data: null, cookie: sessionCookieIn(context, value.headers) };
    const { data, init } = value as {
      data: { error?: Record<string, string[] | null>; codes?: string[] | null };
      init: ResponseInit | null;
    };
    return { status: init?.status ?? 200, data, cookie: sessionCookieIn(context, new Headers(init?.headers)) };
  }
  const sessionCookieIn = (context: ReturnType<typeof contextFor>, headers: Headers) =>
    headers
      .getSetCookie()
      .map((c) => new RegExp(`^${context.lucia.sessionCookieName}=([^;]+)`).exec(c)?.[1])
      .find(Boolean) ?? null;
  const sealedKeyOf = async (userId: string) =>
    (await getDb().selectFrom("users").select("totp_secret_enc").where("id", "=", userId).executeTakeFirstOrThrow())
      .totp_secret_enc;

  it("replaces the authenticator only with the password and a code from the current one (or a recovery code), then rotates the session id", async () => {
    const clock = new TestClock("2026-10-20T15:00:00Z");
    const { user, secret, sessionId } = await enrolled("coordinator", clock);
    const before = await sealedKeyOf(user.id);
    clock.advance(MINUTE);
    // Someone holding the session and the password, with an authenticator of their own.
    const theirs = newTotpSecret();
    const replace = (currentCode?: string, session = sessionId, newKey = theirs) =>
      postForm(mfaAction, "/account/mfa", clock, session, {
        secret: newKey,
        code: codeAt(newKey, clock.now()),
        currentPassword: user.password,
        ...(currentCode === undefined ? {} : { currentCode }),
      });

    const withoutCode = await replace();
    expect(withoutCode.status).toBe(400);
    expect(withoutCode.data?.error?.currentCode).toBeDefined();
    expect(withoutCode.data?.codes ?? null).toBeNull();
    const wrongCode = await replace(String((Number(codeAt(secret, clock.now())) + 1) % 1_000_000).padStart(6, "0"));
    expect(wrongCode.status).toBe(400);
    expect(await sealedKeyOf(user.id), "the owner's authenticator is untouched").toBe(before);
    expect(
      await contextFor(clock).sessions.validateSession(sessionId, 60 * MINUTE),
      "nobody was signed out",
    ).toBeDefined();

    // The owner, with their phone: replaced, and the browser moves to a new session id.
    const replaced = await replace(codeAt(secret, clock.now()), sessionId, newTotpSecret());
    expect(replaced.status).toBe(200);
    expect(replaced.data?.codes).toHaveLength(RECOVERY_CODE_COUNT);
    expect(await sealedKeyOf(user.id)).not.toBe(before);
    expect(replaced.cookie).toBeTruthy();
    expect(replaced.cookie).not.toBe(sessionId);
    const check = contextFor(clock);
    expect(
      await check.sessions.validateSession(sessionId, check.config.session.idleMs),
      "the old id opens nothing",
    ).toBeUndefined();
    expect(await check.sessions.validateSession(replaced.cookie!, check.config.session.idleMs)).toMatchObject({
      user_id: user.id,
    });

    // Phone lost: an unused recovery code stands in for the current code, once.
    clock.advance(MINUTE);
    const recovery = replaced.data!.codes![0]!;
    const again = await replace(recovery, replaced.cookie!, newTotpSecret());
    expect(again.status).toBe(200);
    clock.advance(MINUTE);
    expect((await replace(recovery, again.cookie!)).status, "a spent recovery code").toBe(400);
  });

  it("turns the second factor off only with the password and a current code", async () => {
    const clock = new TestClock("2026-10-20T15:00:00Z");
    const { user, secret, sessionId } = await enrolled("therapist", clock);
    clock.advance(MINUTE);
    const off = (currentCode?: string) =>
      postForm(accountAction, "/account", clock, sessionId, {
        intent: "disable-mfa",
        currentPassword: user.password,
        ...(currentCode === undefined ? {} : { currentCode }),
      });
    expect((await off()).status).toBe(400);
    expect((await off("123456")).status).toBe(400);
    expect(await sealedKeyOf(user.id)).not.toBeNull();
    expect((await off(codeAt(secret, clock.now()))).status).toBe(302);
    expect(await sealedKeyOf(user.id)).toBeNull();
  });

  it("lets an outside provider turn the second factor off, never Ember staff", async () => {
    const clock = new TestClock("2026-10-20T15:00:00Z");
    const staff = await enrolled("coordinator", clock);
    const provider = await enrolled("therapist", clock);
    const off = (who: typeof staff) =>
      disableTotp(getDb(), auditContextFor(who.user), {
        userId: who.user.id,
        role: who.user.role,
        sessionId: who.sessionId,
        now: clock.now(),
      });
    expect(await off(staff)).toBe(false);
    expect(await off(provider)).toBe(true);
    const rows = await getDb()
      .selectFrom("users")
      .select(["id", "totp_enabled_at"])
      .where("id", "in", [staff.user.id, provider.user.id])
      .execute();
    expect(rows.find((r) => r.id === staff.user.id)?.totp_enabled_at).not.toBeNull();
    expect(rows.find((r) => r.id === provider.user.id)?.totp_enabled_at).toBeNull();
    const signInAgain = await signIn(contextFor(clock), {
      email: provider.user.email,
      password: provider.user.password,
      previousSessionId: null,
      userAgent: "x",
    });
    expect(signInAgain).toMatchObject({ ok: true, sessionId: expect.any(String) });
  });

  // Only a database server has two server processes to share with: one embedded database belongs
  // to one process, so this case exists on PostgreSQL alone.
  if (engine === "postgres") {
    it("shares the sign-in limit between two server processes on one database", async () => {
      const user = await createUser(getDb(), { role: "therapist" });
      const { rows } = await sql<{ name: string }>`select current_database() as name`.execute(getDb());
      const url = new URL(process.env.DATABASE_URL!);
      url.pathname = `/${rows[0]!.name}`;
      // Another process, with its own connection pool, fails three times for this account…
      const child = spawnSync("npx", ["tsx", "tests/support/failed-sign-ins.ts", url.toString(), user.email, "3"], {
        encoding: "utf8",
        timeout: 60_000,
      });
      expect(child.status, child.stderr).toBe(0);
      expect(JSON.parse(child.stdout.trim().split("\n").at(-1)!)).toEqual(["invalid", "invalid", "invalid"]);
      // …so this one has two failures left before the account is paused, even for the right password.
      const clock = new TestClock();
      for (let i = 0; i < 2; i++)
        expect(
          await signIn(contextFor(clock, "198.51.100.7"), {
            email: user.email,
            password: "wrong",
            previousSessionId: null,
            userAgent: "x",
          }),
        ).toEqual({ ok: false, reason: "invalid" });
      expect(
        await signIn(contextFor(clock, "198.51.100.7"), {
          email: user.email,
          password: user.password,
          previousSessionId: null,
          userAgent: "x",
        }),
      ).toEqual({ ok: false, reason: "throttled" });
    });
  }
});
