import { Resend } from "resend";
import type { Database } from "../../db/engine";

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

/** Without a mail provider, messages land in a table that `/dev/mail` and the tests read. */
export function mailboxTransport(db: Database): MailTransport {
  return {
    name: "mailbox",
    async send(email) {
      await db
        .insertInto("dev_mailbox")
        .values({ outbox_id: email.idempotencyKey, to_address: email.to, subject: email.subject, html: email.html, text: email.text })
        .onConflict((oc) => oc.column("outbox_id").doNothing())
        .execute();
      return { ok: true, providerMessageId: null };
    },
  };
}

const PERMANENT = new Set(["validation_error", "invalid_from_address", "invalid_parameter", "missing_required_field", "invalid_attachment"]);

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
