import { Resend } from "resend";

export interface OutgoingEmail {
  idempotencyKey: string;
  from: string;
  to: string;
  subject: string;
  html: string;
  text: string;
}

export type SendResult =
  | { ok: true; providerMessageId: string | null }
  | { ok: false; retryable: boolean; error: string; retryAfterMs?: number };

export interface MailTransport {
  name: string;
  send(email: OutgoingEmail): Promise<SendResult>;
}

export interface MailboxMessage {
  id: number;
  outboxId: string;
  to: string;
  subject: string;
  html: string;
  text: string;
  deliveredAt: Date;
}

export interface LocalMailbox {
  transport: MailTransport;
  /** Newest first; optionally for one address. */
  read(options: { to?: string; limit: number }): MailboxMessage[];
}

/**
 * Without a mail provider, messages land here, in this process's memory, for `/dev/mail` and the
 * journeys to read: the links they carry open accounts, so they are never written to the
 * database, and they are gone when the process stops. Only the newest `capacity` are kept.
 */
export function createLocalMailbox(capacity = 500): LocalMailbox {
  const messages: MailboxMessage[] = [];
  const delivered = new Set<string>();
  let sequence = 0;
  return {
    transport: {
      name: "mailbox",
      async send(email) {
        // The idempotency key, as a provider would honour it: a message sent twice arrives once.
        if (delivered.has(email.idempotencyKey)) return { ok: true, providerMessageId: null };
        delivered.add(email.idempotencyKey);
        messages.push({
          id: ++sequence,
          outboxId: email.idempotencyKey,
          to: email.to,
          subject: email.subject,
          html: email.html,
          text: email.text,
          deliveredAt: new Date(),
        });
        if (messages.length > capacity) delivered.delete(messages.shift()!.outboxId);
        return { ok: true, providerMessageId: null };
      },
    },
    read({ to, limit }) {
      const wanted = to?.toLowerCase();
      return messages
        .filter((m) => !wanted || m.to.toLowerCase() === wanted)
        .reverse()
        .slice(0, limit);
    },
  };
}

const PERMANENT = new Set([
  "validation_error",
  "invalid_from_address",
  "invalid_parameter",
  "missing_required_field",
  "invalid_attachment",
]);

export function resendTransport(apiKey: string, baseUrl?: string): MailTransport {
  const resend = new Resend(apiKey, baseUrl ? { baseUrl } : undefined);
  return {
    name: "resend",
    async send(email) {
      try {
        const { data, error, headers } = await resend.emails.send(
          { from: email.from, to: email.to, subject: email.subject, html: email.html, text: email.text },
          { idempotencyKey: email.idempotencyKey },
        );
        if (!error) return { ok: true, providerMessageId: data?.id ?? null };
        const retryAfter = Number(headers?.["retry-after"]);
        return {
          ok: false,
          retryable: !PERMANENT.has(error.name),
          error: `${error.statusCode ?? "?"} ${error.name}: ${error.message}`.slice(0, 500),
          retryAfterMs: Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter * 1000 : undefined,
        };
      } catch (cause) {
        return { ok: false, retryable: true, error: String(cause).slice(0, 500) };
      }
    },
  };
}
