import { expect, it } from "vitest";
import { signIn, signOut } from "~/auth/sign-in.server";
import { MINUTE, TestClock } from "../support/clock";
import { buildLoadContext } from "../support/context";
import { describeEachEngine } from "../support/db";
import { createUser, uniqueEmail } from "../support/factories";

describeEachEngine("sign-in", (getDb, engine) => {
  const contextFor = (options: { clock?: TestClock; ip?: string } = {}) =>
    buildLoadContext(getDb(), { engine, ...options });
  const attempt = (
    context: ReturnType<typeof contextFor>,
    email: string,
    password: string,
    previousSessionId: string | null = null,
  ) => signIn(context, { email, password, previousSessionId, userAgent: "vitest" });

  const auditRows = () =>
    getDb()
      .selectFrom("audit_events")
      .select(["action", "outcome", "actor_id", "entity_id", "ip", "request_id", "detail"])
      .orderBy("id")
      .execute();

  it("opens a session for the right password, whatever the email's case", async () => {
    const user = await createUser(getDb(), { role: "therapist" });
    const context = contextFor();
    const result = await attempt(context, `  ${user.email.toUpperCase()} `, user.password);
    expect(result).toEqual({ ok: true, sessionId: expect.any(String), userId: user.id });
    if (!result.ok || !("sessionId" in result)) throw new Error("sign-in failed");
    const { user: signedIn } = await context.lucia.validateSession(result.sessionId);
    expect(signedIn?.id).toBe(user.id);
  });

  it("gives one answer for an unknown email, a wrong password and a deactivated account", async () => {
    const active = await createUser(getDb(), { role: "therapist" });
    const gone = await createUser(getDb(), { role: "therapist", status: "deactivated" });
    const context = contextFor();
    const answers = [
      await attempt(context, uniqueEmail("nobody"), active.password),
      await attempt(context, active.email, "not the password"),
      await attempt(context, gone.email, gone.password),
    ];
    expect(answers).toEqual([
      { ok: false, reason: "invalid" },
      { ok: false, reason: "invalid" },
      { ok: false, reason: "invalid" },
    ]);
    expect(await getDb().selectFrom("sessions").select("id_hash").execute()).toEqual([]);
  });

  it("throttles an account after 5 failures, with the same answer for a known and an unknown email", async () => {
    const user = await createUser(getDb(), { role: "coordinator" });
    const unknown = uniqueEmail("nobody");
    const clock = new TestClock();
    const context = contextFor({ clock });
    expect(context.config.throttle.perAccount).toBe(5);

    for (let i = 0; i < 5; i++) {
      expect(await attempt(context, user.email, `wrong ${i}`)).toEqual({ ok: false, reason: "invalid" });
      expect(await attempt(context, unknown, `wrong ${i}`)).toEqual({ ok: false, reason: "invalid" });
      clock.advance(MINUTE);
    }
    const knownAnswer = await attempt(context, user.email, user.password);
    const unknownAnswer = await attempt(context, unknown, user.password);
    expect(knownAnswer).toEqual({ ok: false, reason: "throttled" });
    expect(unknownAnswer).toEqual(knownAnswer);
    expect(await getDb().selectFrom("sessions").select("id_hash").execute()).toEqual([]);

    // Another account from the same address is not held back by these 10 failures.
    const bystander = await createUser(getDb(), { role: "coordinator" });
    expect((await attempt(context, bystander.email, bystander.password)).ok).toBe(true);
  });

  it("lets the account in again once the window has passed", async () => {
    const user = await createUser(getDb(), { role: "clinician" });
    const clock = new TestClock();
    const context = contextFor({ clock });
    for (let i = 0; i < 5; i++) await attempt(context, user.email, "wrong");
    clock.advance(context.config.throttle.windowMs - 1);
    expect(await attempt(context, user.email, user.password)).toEqual({ ok: false, reason: "throttled" });
    clock.advance(1);
    expect((await attempt(context, user.email, user.password)).ok).toBe(true);
  });

  it("starts the account's count over after a successful sign-in", async () => {
    const user = await createUser(getDb(), { role: "clinician" });
    const context = contextFor();
    for (let i = 0; i < 4; i++) await attempt(context, user.email, "wrong");
    expect((await attempt(context, user.email, user.password)).ok).toBe(true);
    // Without the reset these would make 8 failures inside the window.
    for (let i = 0; i < 4; i++) await attempt(context, user.email, "wrong");
    expect((await attempt(context, user.email, user.password)).ok).toBe(true);
    for (let i = 0; i < 5; i++) await attempt(context, user.email, "wrong");
    expect(await attempt(context, user.email, user.password)).toEqual({ ok: false, reason: "throttled" });
  });

  it("throttles an address that tries many accounts", async () => {
    const user = await createUser(getDb(), { role: "therapist" });
    const attacker = contextFor({ ip: "198.51.100.66" });
    const limit = attacker.config.throttle.perAddress;
    for (let i = 0; i < limit; i++) await attempt(attacker, uniqueEmail(`spray${i}`), "password123");
    expect(await attempt(attacker, user.email, user.password)).toEqual({ ok: false, reason: "throttled" });
    // The account itself is fine from anywhere else.
    expect((await attempt(contextFor({ ip: "203.0.113.5" }), user.email, user.password)).ok).toBe(true);
  });

  it("records success, failure and denied in the audit log, without the password", async () => {
    const user = await createUser(getDb(), { role: "psychiatrist" });
    const context = contextFor({ ip: "203.0.113.77" });
    await attempt(context, user.email, user.password);
    await attempt(context, user.email, "wrong password one");
    const unknown = uniqueEmail("nobody");
    await attempt(context, unknown, "wrong password two");
    for (let i = 0; i < 4; i++) await attempt(context, user.email, "wrong again");
    await attempt(context, user.email, user.password);

    const rows = await auditRows();
    expect(rows.map((r) => `${r.action}:${r.outcome}`)).toEqual([
      "auth.sign_in:success",
      "auth.sign_in:failure",
      "auth.sign_in:failure",
      ...Array(4).fill("auth.sign_in:failure"),
      "auth.sign_in:denied",
    ]);
    expect(rows[0]).toMatchObject({
      actor_id: user.id,
      entity_id: user.id,
      ip: "203.0.113.77",
      request_id: context.requestId,
    });
    expect(rows[1]).toMatchObject({ actor_id: user.id, detail: { reason: "wrong_password" } });
    expect(rows[2]).toMatchObject({ actor_id: null, entity_id: null, detail: { reason: "unknown_account" } });
    expect(rows[7]).toMatchObject({ actor_id: null, detail: { reason: "throttled" } });
    const everything = JSON.stringify(rows);
    for (const secret of [user.password, "wrong password one", "wrong password two", unknown])
      expect(everything).not.toContain(secret);
  });

  it("rotates the session id at sign-in and ends it at sign-out", async () => {
    const user = await createUser(getDb(), { role: "therapist" });
    const context = contextFor();
    const first = await attempt(context, user.email, user.password);
    if (!first.ok || !("sessionId" in first)) throw new Error("sign-in failed");
    const second = await attempt(context, user.email, user.password, first.sessionId);
    if (!second.ok || !("sessionId" in second)) throw new Error("sign-in failed");
    expect(second.sessionId).not.toBe(first.sessionId);
    expect((await context.lucia.validateSession(first.sessionId)).session).toBeNull();

    await signOut(context, { id: user.id, role: user.role, sessionId: second.sessionId });
    expect((await context.lucia.validateSession(second.sessionId)).session).toBeNull();
    const actions = (await auditRows()).map((r) => r.action);
    expect(actions).toEqual(["auth.sign_in", "auth.sign_in", "auth.sign_out"]);
  });

  it("holds the account limit against a concurrent burst: 25 guesses with the right password 20th are refused, only 5 are checked", async () => {
    const user = await createUser(getDb(), { role: "clinician" });
    const clock = new TestClock();
    const passwords = Array.from({ length: 25 }, (_, i) => (i === 19 ? user.password : `wrong guess ${i}`));
    // All 25 are under way before any answer comes back, as a scripted burst would be.
    const answers = await Promise.all(
      passwords.map((password) => attempt(contextFor({ clock }), user.email, password)),
    );

    expect(
      answers.filter((a) => a.ok),
      "no guess of the burst signs in",
    ).toEqual([]);
    expect(answers.filter((a) => !a.ok && a.reason === "invalid")).toHaveLength(5);
    expect(answers.filter((a) => !a.ok && a.reason === "throttled")).toHaveLength(20);
    expect(await getDb().selectFrom("sessions").select("id_hash").where("user_id", "=", user.id).execute()).toEqual([]);
    const checked = await getDb()
      .selectFrom("audit_events")
      .select("id")
      .where("action", "=", "auth.sign_in")
      .where("outcome", "=", "failure")
      .execute();
    expect(checked, "only five passwords were ever compared").toHaveLength(5);
  });
});
