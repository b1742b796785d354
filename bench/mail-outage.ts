/**
 * The mail provider outage drill: the real delivery worker (`deliverDueEmails` with
 * `resendTransport`) against a local stand-in for the Resend API that fails for a while (500s,
 * some after "delivering" — the answer lost on the way back — then 429s with Retry-After) and then
 * recovers. The clock is moved forward so retries and backoff play out in seconds.
 *
 *   npm run bench:mail-outage [-- --messages 200 --engine pglite|postgres --port 3230]
 *
 * Passes when every message is delivered exactly once per idempotency key (one key per message,
 * none lost) and a message that fails for ~23 hours is marked 'review' and listed on /admin/mail.
 */
import { createServer, type IncomingMessage } from "node:http";
import { parseArgs } from "node:util";
import { loadConfig } from "../app/env.server";
import { queueEmail } from "../app/email/outbox.server";
import { resendTransport } from "../app/email/transport.server";
import { deliverDueEmails, GIVE_UP_AFTER_MS } from "../app/email/worker.server";
import { migrateToLatest } from "../db/migrator";
import { seedDemoData } from "../db/seed-demo";
import { createBenchDatabase, type Engine } from "./lib/database";
import { buildForProduction, checkPort, startServer } from "./lib/processes";
import { writeResults } from "./lib/report";
import { demoEmail, signIn } from "./lib/sign-in";

const { values } = parseArgs({
  options: {
    messages: { type: "string", default: "200" },
    engine: { type: "string" },
    port: { type: "string", default: "3230" },
    "no-build": { type: "boolean", default: false },
    "no-admin-page": { type: "boolean", default: false },
  },
});
const MINUTE = 60_000;
const OUTAGE = { errorsUntil: 10 * MINUTE, rateLimitedUntil: 30 * MINUTE, retryAfterSeconds: 120 };
const DOOMED = "always-fails@mail-drill.ember.test";

// ---------------------------------------------------------------- the stand-in Resend API
const clock = { start: Date.now(), now: Date.now() };
interface Delivery {
  id: string;
  to: string;
  payload: string;
}
/** What actually went out, by idempotency key; and how many times each person got a message. */
const delivered = new Map<string, Delivery>();
const deliveriesTo = new Map<string, number>();
const keysByRecipient = new Map<string, Set<string>>();
const stats = {
  requests: 0,
  answered500: 0,
  lostAnswers: 0,
  answered429: 0,
  duplicatesSuppressed: 0,
  missingKey: 0,
  payloadMismatch: 0,
};

const body = (req: IncomingMessage) =>
  new Promise<string>((resolve) => {
    let text = "";
    req.on("data", (chunk: Buffer) => (text += chunk.toString()));
    req.on("end", () => resolve(text));
  });

const standIn = createServer(async (req, res) => {
  const payload = await body(req);
  const json = (status: number, value: unknown, headers: Record<string, string> = {}) => {
    res.writeHead(status, { "content-type": "application/json", ...headers });
    res.end(JSON.stringify(value));
  };
  if (req.method !== "POST" || req.url !== "/emails")
    return json(404, { statusCode: 404, name: "not_found", message: "Not found" });
  stats.requests++;
  const key = req.headers["idempotency-key"];
  if (typeof key !== "string" || !key) {
    stats.missingKey++;
    return json(422, {
      statusCode: 422,
      name: "validation_error",
      message: "The drill expects an Idempotency-Key on every send.",
    });
  }
  const { to } = JSON.parse(payload) as { to: string | string[] };
  const recipient = Array.isArray(to) ? to[0]! : to;
  keysByRecipient.set(recipient, (keysByRecipient.get(recipient) ?? new Set()).add(key));
  // As Resend does within 24 hours: the same key gets the first answer again, and nothing is sent twice.
  const earlier = delivered.get(key);
  if (earlier) {
    if (earlier.payload !== payload) {
      stats.payloadMismatch++;
      return json(409, {
        statusCode: 409,
        name: "invalid_idempotent_request",
        message: "Same idempotency key, different payload.",
      });
    }
    stats.duplicatesSuppressed++;
    return json(200, { id: earlier.id });
  }
  const elapsed = clock.now - clock.start;
  const deliver = () => {
    const id = `drill_${delivered.size + 1}`;
    delivered.set(key, { id, to: recipient, payload });
    deliveriesTo.set(recipient, (deliveriesTo.get(recipient) ?? 0) + 1);
    return id;
  };
  if (recipient === DOOMED || elapsed < OUTAGE.errorsUntil) {
    stats.answered500++;
    // Every third failure happens after the message went out: only the answer is lost.
    if (recipient !== DOOMED && stats.answered500 % 3 === 0) {
      stats.lostAnswers++;
      deliver();
    }
    return json(500, { statusCode: 500, name: "application_error", message: "Drill: provider unavailable" });
  }
  if (elapsed < OUTAGE.rateLimitedUntil) {
    stats.answered429++;
    return json(
      429,
      { statusCode: 429, name: "rate_limit_exceeded", message: "Drill: too many requests" },
      { "retry-after": String(OUTAGE.retryAfterSeconds) },
    );
  }
  json(200, { id: deliver() });
});

// ---------------------------------------------------------------- the drill
async function main() {
  const messages = Number(values.messages);
  const port = checkPort(Number(values.port));
  const engine: Engine = (values.engine as Engine | undefined) ?? (process.env.DATABASE_URL ? "postgres" : "pglite");
  if (!values["no-build"] && !values["no-admin-page"]) await buildForProduction();
  await new Promise<void>((resolve) => standIn.listen(port, "127.0.0.1", resolve));
  const database = await createBenchDatabase(engine, "mail");
  try {
    const handle = database.open();
    const db = handle.db;
    await migrateToLatest(db);
    await seedDemoData(db, loadConfig({ ...process.env, ...database.env }).secretsKey);
    const ids: string[] = [];
    for (let i = 0; i < messages; i++) {
      ids.push(
        await queueEmail(db, {
          template: "notes-digest",
          to: `person${i + 1}@mail-drill.ember.test`,
          props: {
            count: (i % 5) + 1,
            portalUrl: "http://localhost:3000/",
            settingsUrl: "http://localhost:3000/settings",
          },
        }),
      );
    }
    const doomedId = await queueEmail(db, {
      template: "notes-digest",
      to: DOOMED,
      props: { count: 1, portalUrl: "http://localhost:3000/", settingsUrl: "http://localhost:3000/settings" },
    });
    console.log(
      `queued ${messages} messages and one that will never go through; stand-in Resend API on 127.0.0.1:${port}`,
    );

    const transport = resendTransport("re_drill_key", `http://127.0.0.1:${port}`);
    const rounds = { count: 0, sent: 0, retrying: 0, review: 0 };
    let reviewMarkedAt = 0;
    clock.start = clock.now = Date.now();
    const quietConsole = console.error;
    console.error = () => {}; // the SDK logs each provider error; the drill counts them instead
    try {
      for (;;) {
        const report = await deliverDueEmails(db, transport, {
          from: "Ember Health Portal <portal@localhost>",
          secretsKey: loadConfig({}).secretsKey,
          now: new Date(clock.now),
          batchSize: 50,
        });
        rounds.count++;
        rounds.sent += report.sent;
        rounds.retrying += report.retrying;
        rounds.review += report.review;
        if (report.review) reviewMarkedAt = clock.now;
        const next = await db
          .selectFrom("email_outbox")
          .select((eb) => eb.fn.min("next_attempt_at").as("next"))
          .where("status", "=", "pending")
          .executeTakeFirst();
        if (!next?.next) break;
        // Move the clock to the next due attempt: backoff passes in an instant.
        clock.now = Math.max(clock.now + 1000, new Date(next.next as unknown as string).getTime());
        if (clock.now - clock.start > 30 * 60 * MINUTE) throw new Error("still pending after 30 simulated hours");
      }
    } finally {
      console.error = quietConsole;
    }
    const rows = await db
      .selectFrom("email_outbox")
      .select([
        "id",
        "to_address",
        "status",
        "attempts",
        "provider_message_id",
        "created_at",
        "next_attempt_at",
        "last_error",
      ])
      .execute();
    await handle.close();

    const normal = rows.filter((r) => r.id !== doomedId);
    const doomed = rows.find((r) => r.id === doomedId)!;
    const notSent = normal.filter((r) => r.status !== "sent");
    const deliveredTwice = normal.filter((r) => deliveriesTo.get(r.to_address) !== 1);
    const severalKeys = normal.filter((r) => (keysByRecipient.get(r.to_address)?.size ?? 0) !== 1);
    const wrongKey = normal.filter((r) => delivered.get(r.id)?.to !== r.to_address);
    const missingIds = normal.filter((r) => r.provider_message_id !== delivered.get(r.id)?.id);
    // Marked at its last attempt, because the retry after that would fall past the 23-hour limit.
    const reviewAfterHours = (reviewMarkedAt - doomed.created_at.getTime()) / 3_600_000;
    const checks = {
      everyMessageSent: notSent.length === 0,
      oneKeyPerMessage: severalKeys.length === 0 && stats.missingKey === 0 && stats.payloadMismatch === 0,
      deliveredOncePerKey: deliveredTwice.length === 0 && wrongKey.length === 0 && delivered.size === messages,
      providerIdsRecorded: missingIds.length === 0,
      failingMessageMarkedReview:
        doomed.status === "review" &&
        reviewAfterHours <= GIVE_UP_AFTER_MS / 3_600_000 &&
        reviewAfterHours > GIVE_UP_AFTER_MS / 3_600_000 - 2,
    };

    let adminPage: { listed: boolean; status: number } | null = null;
    if (!values["no-admin-page"]) {
      const server = await startServer({ port: port + 1, env: database.env });
      try {
        const cookie = await signIn(server.url, demoEmail("admin"));
        const res = await fetch(`${server.url}/admin/mail`, { headers: { Cookie: cookie } });
        const html = await res.text();
        adminPage = {
          status: res.status,
          listed: res.status === 200 && html.includes(DOOMED) && html.includes("needs review"),
        };
      } finally {
        await server.stop();
      }
    }
    const pass = Object.values(checks).every(Boolean) && (adminPage?.listed ?? true);
    const result = {
      engine,
      messages,
      simulatedHours: Math.round(((clock.now - clock.start) / 3_600_000) * 10) / 10,
      workerRounds: rounds.count,
      standIn: stats,
      delivered: delivered.size,
      doomed: {
        status: doomed.status,
        attempts: doomed.attempts,
        reviewAfterHours: Math.round(reviewAfterHours * 10) / 10,
        lastError: doomed.last_error,
      },
      checks,
      adminPage,
      pass,
    };

    console.log(
      `\nprovider answered ${stats.answered500} × 500 (${stats.lostAnswers} after sending), ${stats.answered429} × 429 (Retry-After ${OUTAGE.retryAfterSeconds} s), then 200; ${stats.requests} requests in ${rounds.count} worker rounds over ${result.simulatedHours} simulated hours`,
    );
    console.log(`  retries under a known key answered without sending again: ${stats.duplicatesSuppressed}`);
    for (const [name, ok] of Object.entries(checks)) console.log(`  ${ok ? "ok  " : "FAIL"} ${name}`);
    if (adminPage)
      console.log(
        `  ${adminPage.listed ? "ok  " : "FAIL"} /admin/mail lists ${DOOMED} as needing review (HTTP ${adminPage.status})`,
      );
    console.log(
      checks.deliveredOncePerKey && checks.everyMessageSent
        ? `delivered once: ${delivered.size} of ${messages} messages, each under its own idempotency key, none lost; the failing one was marked for review after ${result.doomed.reviewAfterHours} h and ${doomed.attempts} attempts (its next retry would have passed the 23-hour idempotency limit)`
        : `NOT delivered once: ${notSent.length} not sent, ${deliveredTwice.length} delivered twice, ${severalKeys.length} with several keys`,
    );
    console.log(`results: ${writeResults("mail-outage", { result })}`);
    if (!pass) process.exitCode = 1;
  } finally {
    standIn.close();
    await database.remove();
  }
}

await main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  standIn.close();
  process.exitCode = 1;
});
