import { sql } from "kysely";
import type { Database } from "../../db/engine";
import { composeEmail } from "./outbox.server";
import type { MailTransport, SendResult } from "./transport.server";

export interface DeliveryOptions {
  from: string;
  /** Opens the sealed content of secret-link messages. */
  secretsKey: Buffer;
  now?: Date;
  batchSize?: number;
}

/** How long a claimed message is hidden from other workers while it is being sent. */
const LEASE_MS = 60_000;
const BASE_DELAY_MS = 30_000;
const MAX_DELAY_MS = 60 * 60_000;
/** Resend keeps an idempotency key for 24 hours; retrying after that could send twice. */
export const GIVE_UP_AFTER_MS = 23 * 60 * 60_000;

export function backoffMs(attempts: number): number {
  return Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** Math.max(0, attempts - 1));
}

export interface DeliveryReport {
  sent: number;
  retrying: number;
  review: number;
}

/**
 * Sends every message that is due. Claims rows with SKIP LOCKED and a lease, so several workers
 * or processes never pick the same message at once; the idempotency key covers the rest. The
 * statement that marks a message sent or given up on also erases its sealed content: from then
 * on no copy of the database holds the link.
 */
export async function deliverDueEmails(
  db: Database,
  transport: MailTransport,
  options: DeliveryOptions,
): Promise<DeliveryReport> {
  const now = options.now ?? new Date();
  const report: DeliveryReport = { sent: 0, retrying: 0, review: 0 };
  const claimed = await db
    .updateTable("email_outbox")
    .set({ next_attempt_at: new Date(now.getTime() + LEASE_MS), attempts: sql`attempts + 1` })
    .where(
      "id",
      "in",
      db
        .selectFrom("email_outbox")
        .select("id")
        .where("status", "=", "pending")
        .where("next_attempt_at", "<=", now)
        .orderBy("next_attempt_at")
        .limit(options.batchSize ?? 20)
        .forUpdate()
        .skipLocked(),
    )
    .returningAll()
    .execute();

  for (const message of claimed) {
    const content = await composeEmail(options.secretsKey, message).catch((cause: unknown) =>
      cause instanceof Error ? cause : new Error(String(cause)),
    );
    // A sealed message that cannot be opened (SECRETS_KEY changed, content erased) never will be.
    const result: SendResult =
      content instanceof Error
        ? { ok: false, retryable: false, error: `cannot compose: ${content.message}`.slice(0, 500) }
        : await transport.send({ idempotencyKey: message.id, from: options.from, to: message.to_address, ...content });
    if (result.ok) {
      await db
        .updateTable("email_outbox")
        .set({
          status: "sent",
          sent_at: now,
          last_error: null,
          provider_message_id: result.providerMessageId,
          sealed_props: null,
        })
        .where("id", "=", message.id)
        .execute();
      report.sent++;
      continue;
    }
    const next = new Date(now.getTime() + Math.max(backoffMs(message.attempts), result.retryAfterMs ?? 0));
    const giveUp = !result.retryable || next.getTime() - message.created_at.getTime() > GIVE_UP_AFTER_MS;
    await db
      .updateTable("email_outbox")
      .set({
        status: giveUp ? "review" : "pending",
        next_attempt_at: next,
        last_error: result.error,
        ...(giveUp ? { sealed_props: null } : {}),
      })
      .where("id", "=", message.id)
      .execute();
    if (giveUp) report.review++;
    else report.retrying++;
  }
  return report;
}

export interface MailWorker {
  wake(): void;
  stop(): Promise<void>;
}

/** Polls the outbox on an interval, and at once when woken after a commit. */
export function startMailWorker(
  db: Database,
  transport: MailTransport,
  options: { from: string; secretsKey: Buffer; intervalMs: number; onError?: (error: unknown) => void },
): MailWorker {
  let stopped = false;
  let running: Promise<void> | null = null;
  let again = false;
  let timer: NodeJS.Timeout | undefined;

  const tick = () => {
    if (stopped) return;
    if (running) {
      again = true;
      return;
    }
    running = deliverDueEmails(db, transport, { from: options.from, secretsKey: options.secretsKey })
      .then(
        () => undefined,
        (error) => options.onError?.(error),
      )
      .finally(() => {
        running = null;
        if (again && !stopped) {
          again = false;
          tick();
        }
      });
  };
  timer = setInterval(tick, options.intervalMs);
  timer.unref();
  return {
    wake: () => setImmediate(tick),
    async stop() {
      stopped = true;
      clearInterval(timer);
      timer = undefined;
      await running;
    },
  };
}
