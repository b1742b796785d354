import { loadConfig } from "~/env.server";
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, expect, it } from "vitest";
import { seedDemoData, DEMO_ACCOUNTS } from "../../db/seed-demo";
import type { Database } from "../../db/engine";
import { composeEmail, queueEmail } from "~/email/outbox.server";
import {
  createLocalMailbox,
  resendTransport,
  type MailTransport,
  type OutgoingEmail,
  type SendResult,
} from "~/email/transport.server";
import { backoffMs, deliverDueEmails, GIVE_UP_AFTER_MS } from "~/email/worker.server";
import { createInvitation } from "~/modules/users/invitations.server";
import { listUndeliveredMail } from "~/modules/users/mail.server";
import { isResetTokenUsable, requestPasswordReset } from "~/modules/users/password-reset.server";
import { DAY, HOUR, SECOND } from "../support/clock";
import { columnsHolding, describeEachEngine } from "../support/db";
import { auditContextFor, createUser, uniqueEmail } from "../support/factories";
import { TEST_SECRETS_KEY, tokensIn } from "../support/mail";

const FROM = "Ember Health Portal <portal@ember.test>";
const APP_URL = "https://portal.ember.test";
const PORTAL_URL = `${APP_URL}/`;
const DIGEST = { count: 2, portalUrl: PORTAL_URL, settingsUrl: `${APP_URL}/account` };

async function queueDigest(db: Database, to = uniqueEmail("provider")) {
  const id = await queueEmail(db, { template: "notes-digest", to, props: DIGEST });
  // The row's next_attempt_at is the database's now(); start the test clock safely after it.
  return { id, to, start: new Date(Date.now() + SECOND) };
}

const outboxRow = (db: Database, id: string) =>
  db.selectFrom("email_outbox").selectAll().where("id", "=", id).executeTakeFirstOrThrow();

/** A transport that answers from a script (the last answer repeats) and remembers every call. */
function scriptedTransport(script: SendResult[]) {
  const calls: OutgoingEmail[] = [];
  const delivered: OutgoingEmail[] = [];
  const transport: MailTransport = {
    name: "scripted",
    async send(email) {
      const result = script[Math.min(calls.length, script.length - 1)]!;
      calls.push(email);
      if (result.ok) delivered.push(email);
      return result;
    },
  };
  return { transport, calls, delivered };
}

const temporaryFailure: SendResult = { ok: false, retryable: true, error: "503 service_unavailable: try later" };

/** A stand-in for the Resend API on 127.0.0.1: answers from a per-test script, records requests. */
interface Recorded {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: Record<string, unknown>;
}
interface Answer {
  status: number;
  headers?: Record<string, string>;
  body: unknown;
}
let server: Server;
let baseUrl: string;
let answers: Answer[] = [];
let recorded: Recorded[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    let raw = "";
    req.setEncoding("utf8");
    req.on("data", (chunk: string) => (raw += chunk));
    req.on("end", () => {
      const answer = answers[Math.min(recorded.length, answers.length - 1)] ?? { status: 500, body: {} };
      recorded.push({
        method: req.method ?? "",
        url: req.url ?? "",
        headers: req.headers,
        body: raw ? JSON.parse(raw) : {},
      });
      res.writeHead(answer.status, { "content-type": "application/json", ...answer.headers });
      res.end(JSON.stringify(answer.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

describeEachEngine("email outbox", (getDb) => {
  it("queues nothing when the transaction that queued the email rolls back", async () => {
    const db = getDb();
    const to = uniqueEmail("rollback");
    await expect(
      db.transaction().execute(async (trx) => {
        await queueEmail(trx, { template: "notes-digest", to, props: DIGEST });
        expect(await trx.selectFrom("email_outbox").select("id").execute()).toHaveLength(1);
        throw new Error("the change that caused the email failed");
      }),
    ).rejects.toThrow("the change that caused the email failed");
    expect(await db.selectFrom("email_outbox").select("id").execute()).toEqual([]);

    await db.transaction().execute(async (trx) => {
      await queueEmail(trx, { template: "notes-digest", to, props: DIGEST });
    });
    expect(await db.selectFrom("email_outbox").select("to_address").execute()).toEqual([{ to_address: to }]);
  });

  it("renders and stores the subject, an HTML part and a plain-text part", async () => {
    const { id, to } = await queueDigest(getDb());
    const row = await outboxRow(getDb(), id);
    expect(row).toMatchObject({
      template: "notes-digest",
      to_address: to,
      subject: "2 new care notes on your Ember patients",
      status: "pending",
      attempts: 0,
      sealed_props: null,
    });
    expect(row.html).toContain(`href="${PORTAL_URL}"`);
    expect(row.text).toContain(PORTAL_URL);
    expect(row.text).not.toContain("<");
  });

  it("delivers to the local mailbox once, even when delivery runs twice", async () => {
    const db = getDb();
    const { id, to, start } = await queueDigest(db);
    const mailbox = createLocalMailbox();
    const options = { from: FROM, secretsKey: TEST_SECRETS_KEY, now: start };

    const [a, b] = await Promise.all([
      deliverDueEmails(db, mailbox.transport, options),
      deliverDueEmails(db, mailbox.transport, options),
    ]);
    expect(a.sent + b.sent).toBe(1);
    const again = await deliverDueEmails(db, mailbox.transport, { ...options, now: new Date(start.getTime() + DAY) });
    expect(again).toEqual({ sent: 0, retrying: 0, review: 0 });

    // A worker that crashed after sending but before marking the row sends it again: still one copy.
    await db
      .updateTable("email_outbox")
      .set({ status: "pending", next_attempt_at: start })
      .where("id", "=", id)
      .execute();
    expect((await deliverDueEmails(db, mailbox.transport, options)).sent).toBe(1);

    const delivered = mailbox.read({ limit: 10 });
    expect(delivered).toHaveLength(1);
    expect(delivered[0]).toMatchObject({ outboxId: id, to, subject: "2 new care notes on your Ember patients" });
    expect(mailbox.read({ to: to.toUpperCase(), limit: 10 })).toHaveLength(1);
    expect(mailbox.read({ to: uniqueEmail("someone-else"), limit: 10 })).toEqual([]);
    const row = await outboxRow(db, id);
    expect(row.status).toBe("sent");
    expect(row.sent_at?.getTime()).toBe(start.getTime());
  });

  it("retries a failing transport with backoff and delivers exactly once", async () => {
    const db = getDb();
    const { id, start } = await queueDigest(db);
    const { transport, calls, delivered } = scriptedTransport([
      temporaryFailure,
      temporaryFailure,
      { ok: true, providerMessageId: "msg-1" },
    ]);
    const deliver = (at: Date) =>
      deliverDueEmails(db, transport, { from: FROM, secretsKey: TEST_SECRETS_KEY, now: at });
    const later = (ms: number) => new Date(start.getTime() + ms);

    expect(await deliver(start)).toEqual({ sent: 0, retrying: 1, review: 0 });
    let row = await outboxRow(db, id);
    expect(row).toMatchObject({ status: "pending", attempts: 1, last_error: temporaryFailure.error });
    expect(row.next_attempt_at.getTime()).toBe(later(backoffMs(1)).getTime());

    expect(await deliver(later(backoffMs(1) - 1))).toEqual({ sent: 0, retrying: 0, review: 0 });
    expect(calls).toHaveLength(1);

    expect(await deliver(later(backoffMs(1)))).toEqual({ sent: 0, retrying: 1, review: 0 });
    row = await outboxRow(db, id);
    expect(row.attempts).toBe(2);
    expect(row.next_attempt_at.getTime()).toBe(later(backoffMs(1) + backoffMs(2)).getTime());

    const third = later(backoffMs(1) + backoffMs(2));
    expect(await deliver(third)).toEqual({ sent: 1, retrying: 0, review: 0 });
    expect(await deliver(later(DAY))).toEqual({ sent: 0, retrying: 0, review: 0 });

    row = await outboxRow(db, id);
    expect(row).toMatchObject({ status: "sent", attempts: 3, last_error: null, provider_message_id: "msg-1" });
    expect(row.sent_at?.getTime()).toBe(third.getTime());
    expect(calls).toHaveLength(3);
    expect(delivered).toHaveLength(1);
    expect(new Set(calls.map((c) => c.idempotencyKey))).toEqual(new Set([id]));
    expect(calls[0]).toMatchObject({
      from: FROM,
      to: row.to_address,
      subject: row.subject,
      html: row.html,
      text: row.text,
    });
  });

  it("hands a message that keeps failing to a person before Resend's 24-hour key expires", async () => {
    const db = getDb();
    const { id, start } = await queueDigest(db);
    const { transport, calls } = scriptedTransport([temporaryFailure]);
    const created = (await outboxRow(db, id)).created_at.getTime();

    let at = start;
    let lastAttemptAt = start;
    let row = await outboxRow(db, id);
    let lastReport = { sent: 0, retrying: 0, review: 0 };
    for (let i = 0; i < 100 && row.status === "pending"; i++) {
      lastReport = await deliverDueEmails(db, transport, { from: FROM, secretsKey: TEST_SECRETS_KEY, now: at });
      lastAttemptAt = at;
      row = await outboxRow(db, id);
      at = row.next_attempt_at;
    }

    expect(row.status).toBe("review");
    expect(lastReport).toEqual({ sent: 0, retrying: 0, review: 1 });
    expect(row.attempts).toBe(calls.length);
    expect(row.attempts).toBeGreaterThan(20);
    expect(row.attempts).toBeLessThan(40);
    const lastAttempt = calls.length;
    // It kept trying for about 22 hours, and never past the 23-hour limit.
    expect(lastAttemptAt.getTime() - created).toBeGreaterThan(22 * HOUR);
    expect(lastAttemptAt.getTime() - created).toBeLessThan(GIVE_UP_AFTER_MS);
    expect(row.last_error).toBe(temporaryFailure.error);

    expect(
      await deliverDueEmails(db, transport, {
        from: FROM,
        secretsKey: TEST_SECRETS_KEY,
        now: new Date(start.getTime() + 2 * DAY),
      }),
    ).toEqual({ sent: 0, retrying: 0, review: 0 });
    expect(calls).toHaveLength(lastAttempt);
    const undelivered = await listUndeliveredMail(db, { page: 1, pageSize: 10 });
    expect(undelivered.rows).toEqual([expect.objectContaining({ id, status: "review" })]);
  });

  it("does not retry a message the provider refuses outright", async () => {
    const db = getDb();
    const { id, start } = await queueDigest(db);
    const { transport, calls } = scriptedTransport([
      { ok: false, retryable: false, error: "422 validation_error: bad address" },
    ]);
    expect(await deliverDueEmails(db, transport, { from: FROM, secretsKey: TEST_SECRETS_KEY, now: start })).toEqual({
      sent: 0,
      retrying: 0,
      review: 1,
    });
    expect(
      await deliverDueEmails(db, transport, {
        from: FROM,
        secretsKey: TEST_SECRETS_KEY,
        now: new Date(start.getTime() + DAY),
      }),
    ).toEqual({ sent: 0, retrying: 0, review: 0 });
    expect(calls).toHaveLength(1);
    expect((await outboxRow(db, id)).status).toBe("review");
  });

  it("sends through Resend with one idempotency key across a 500, a 429 and a 200", async () => {
    const db = getDb();
    expect(baseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    recorded = [];
    answers = [
      {
        status: 500,
        body: { statusCode: 500, name: "internal_server_error", message: "An unexpected error occurred." },
      },
      {
        status: 429,
        headers: { "retry-after": "120" },
        body: { statusCode: 429, name: "rate_limit_exceeded", message: "Too many requests." },
      },
      { status: 200, body: { id: "re_4f1c2b" } },
    ];
    const { id, to, start } = await queueDigest(db);
    const transport = resendTransport("re_test_key", baseUrl);
    const deliver = (at: Date) =>
      deliverDueEmails(db, transport, { from: FROM, secretsKey: TEST_SECRETS_KEY, now: at });
    const later = (ms: number) => new Date(start.getTime() + ms);

    expect(await deliver(start)).toEqual({ sent: 0, retrying: 1, review: 0 });
    expect((await outboxRow(db, id)).last_error).toMatch(/^500 internal_server_error/);

    const second = later(backoffMs(1));
    expect(await deliver(second)).toEqual({ sent: 0, retrying: 1, review: 0 });
    let row = await outboxRow(db, id);
    expect(row.last_error).toMatch(/^429 rate_limit_exceeded/);
    // Retry-After (120 s) is longer than the backoff (60 s), so it wins.
    expect(backoffMs(2)).toBeLessThan(120 * SECOND);
    expect(row.next_attempt_at.getTime()).toBe(second.getTime() + 120 * SECOND);

    expect(await deliver(new Date(second.getTime() + 120 * SECOND - 1))).toEqual({ sent: 0, retrying: 0, review: 0 });
    expect(recorded).toHaveLength(2);

    expect(await deliver(new Date(second.getTime() + 120 * SECOND))).toEqual({ sent: 1, retrying: 0, review: 0 });
    expect(await deliver(later(DAY))).toEqual({ sent: 0, retrying: 0, review: 0 });

    expect(recorded).toHaveLength(3);
    for (const request of recorded) {
      expect(request.method).toBe("POST");
      expect(request.url).toBe("/emails");
      expect(request.headers["idempotency-key"]).toBe(id);
      expect(request.headers.authorization).toBe("Bearer re_test_key");
    }
    row = await outboxRow(db, id);
    expect(recorded[2]!.body).toMatchObject({ from: FROM, to, subject: row.subject, html: row.html, text: row.text });
    expect(row).toMatchObject({ status: "sent", attempts: 3, provider_message_id: "re_4f1c2b", last_error: null });
  });

  it("gives a message Resend rejects as invalid to a person at once", async () => {
    const db = getDb();
    recorded = [];
    answers = [{ status: 422, body: { statusCode: 422, name: "validation_error", message: "Invalid `to` field." } }];
    const { id, start } = await queueDigest(db);
    const transport = resendTransport("re_test_key", baseUrl);
    expect(await deliverDueEmails(db, transport, { from: FROM, secretsKey: TEST_SECRETS_KEY, now: start })).toEqual({
      sent: 0,
      retrying: 0,
      review: 1,
    });
    expect(recorded).toHaveLength(1);
    expect(await outboxRow(db, id)).toMatchObject({
      status: "review",
      last_error: expect.stringMatching(/^422 validation_error/),
    });
  });

  it("puts no patient data in any message the portal queues", async () => {
    const db = getDb();
    await seedDemoData(db, loadConfig({}).secretsKey);
    const patients = await db
      .selectFrom("patients")
      .select(["first_name", "last_name", "record_number", "date_of_birth", "insurance"])
      .execute();
    expect(patients.length).toBeGreaterThan(0);

    const admin = await db
      .selectFrom("users")
      .select(["id", "role", "name"])
      .where("role", "=", "admin")
      .executeTakeFirstOrThrow();
    const now = new Date();
    await createInvitation(db, auditContextFor(admin), {
      email: uniqueEmail("new-therapist"),
      role: "therapist",
      inviterName: admin.name,
      appUrl: APP_URL,
      secretsKey: TEST_SECRETS_KEY,
      now,
    });
    for (const account of DEMO_ACCOUNTS) {
      await requestPasswordReset(db, auditContextFor(null), {
        email: account.email,
        appUrl: APP_URL,
        secretsKey: TEST_SECRETS_KEY,
        now,
      });
    }
    const staff = await createUser(db, { role: "coordinator" });
    await requestPasswordReset(db, auditContextFor(null), {
      email: staff.email,
      appUrl: APP_URL,
      secretsKey: TEST_SECRETS_KEY,
      now,
    });

    const rows = await db.selectFrom("email_outbox").selectAll().execute();
    expect(rows).toHaveLength(DEMO_ACCOUNTS.length + 2);
    const messages = await Promise.all(rows.map((row) => composeEmail(TEST_SECRETS_KEY, row)));
    const forbidden = patients.flatMap((p) => [
      p.first_name,
      p.last_name,
      p.record_number,
      p.date_of_birth,
      p.insurance,
    ]);
    for (const message of messages) {
      for (const part of [message.subject, message.html, message.text]) {
        for (const value of forbidden)
          expect(part).not.toMatch(new RegExp(`\\b${value.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}\\b`));
      }
    }
  });

  it("never stores a live reset or invitation link: sealed until sent, erased once sent, shown only by the local mailbox", async () => {
    const db = getDb();
    const admin = await createUser(db, { role: "admin" });
    const member = await createUser(db, { role: "therapist" });
    const invited = uniqueEmail("invited");
    const now = new Date(Date.now() - SECOND);
    await requestPasswordReset(db, auditContextFor(null), {
      email: member.email,
      appUrl: APP_URL,
      secretsKey: TEST_SECRETS_KEY,
      now,
    });
    await createInvitation(db, auditContextFor(admin), {
      email: invited,
      role: "therapist",
      inviterName: admin.name,
      appUrl: APP_URL,
      secretsKey: TEST_SECRETS_KEY,
      now,
    });

    const pending = await db.selectFrom("email_outbox").selectAll().execute();
    expect(pending.map((r) => r.template).sort()).toEqual(["invitation", "password-reset"]);
    for (const row of pending) {
      expect(row).toMatchObject({ html: "", text: "" });
      expect(row.sealed_props).toMatch(/^v1\./);
    }

    const mailbox = createLocalMailbox();
    expect(
      await deliverDueEmails(db, mailbox.transport, { from: FROM, secretsKey: TEST_SECRETS_KEY, now: new Date() }),
    ).toEqual({ sent: 2, retrying: 0, review: 0 });
    const [reset] = mailbox.read({ to: member.email, limit: 5 });
    const [invitation] = mailbox.read({ to: invited, limit: 5 });
    const resetTokens = tokensIn(reset!.text, "/reset-password/");
    const invitationTokens = tokensIn(invitation!.html, "/join/");
    expect(resetTokens).toHaveLength(1);
    expect(invitationTokens).toHaveLength(1);
    // The delivered links work...
    expect(await isResetTokenUsable(db, resetTokens[0]!, new Date())).toBe(true);
    // ...and no text column of any table holds either of them, even sealed.
    for (const token of [...resetTokens, ...invitationTokens]) expect(await columnsHolding(db, token)).toEqual([]);
    expect(
      await db.selectFrom("email_outbox").select("sealed_props").where("sealed_props", "is not", null).execute(),
    ).toEqual([]);
  });

  it("erases a secret link's sealed content when the message is given up on, and still lists it for review", async () => {
    const db = getDb();
    const member = await createUser(db, { role: "therapist" });
    await requestPasswordReset(db, auditContextFor(null), {
      email: member.email,
      appUrl: APP_URL,
      secretsKey: TEST_SECRETS_KEY,
      now: new Date(Date.now() - SECOND),
    });
    const { transport, calls } = scriptedTransport([
      { ok: false, retryable: false, error: "422 validation_error: bad address" },
    ]);
    expect(
      await deliverDueEmails(db, transport, { from: FROM, secretsKey: TEST_SECRETS_KEY, now: new Date() }),
    ).toEqual({ sent: 0, retrying: 0, review: 1 });
    const [token] = tokensIn(calls[0]!.text, "/reset-password/");
    expect(token).toBeTruthy();
    expect(await columnsHolding(db, token!)).toEqual([]);
    const [row] = await db.selectFrom("email_outbox").selectAll().execute();
    expect(row).toMatchObject({ status: "review", sealed_props: null, html: "", text: "" });
    const undelivered = await listUndeliveredMail(db, { page: 1, pageSize: 10 });
    expect(undelivered.rows).toEqual([
      expect.objectContaining({ id: row!.id, template: "password-reset", to_address: member.email, status: "review" }),
    ]);
  });

  it("sends a sealed message that the key cannot open to review instead of sending it", async () => {
    const db = getDb();
    const member = await createUser(db, { role: "therapist" });
    await requestPasswordReset(db, auditContextFor(null), {
      email: member.email,
      appUrl: APP_URL,
      secretsKey: TEST_SECRETS_KEY,
      now: new Date(Date.now() - SECOND),
    });
    const { transport, calls } = scriptedTransport([{ ok: true, providerMessageId: "msg" }]);
    expect(
      await deliverDueEmails(db, transport, { from: FROM, secretsKey: Buffer.alloc(32, 9), now: new Date() }),
    ).toEqual({ sent: 0, retrying: 0, review: 1 });
    expect(calls).toEqual([]);
    expect(await db.selectFrom("email_outbox").select(["status", "sealed_props"]).executeTakeFirst()).toEqual({
      status: "review",
      sealed_props: null,
    });
  });
});
