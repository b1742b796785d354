import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { getActor } from "~/auth/session.server";
import { PageHeader, EmptyState } from "~/components/ui";
import { formatDateTime } from "~/lib/time";

export const meta: MetaFunction = () => [{ title: "Local mailbox · Ember Health Provider Portal" }];

/** 127.0.0.0/8 and ::1, also as IPv4-mapped IPv6 addresses. */
const isLoopback = (ip: string) => /^(::ffff:)?127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(ip) || ip === "::1";

/**
 * The local mailbox: what the portal would have emailed, for developers, demos and tests, kept in
 * the server's memory. It does not exist when a mail provider is configured or in production. Its
 * reset and invitation links open accounts, so it answers only on this machine (the loopback
 * address) or to a signed-in administrator; anyone else finds nothing here.
 */
export async function loader({ request, context }: LoaderFunctionArgs) {
  if (context.config.production || !context.mailbox) throw new Response("Not found", { status: 404 });
  if (!isLoopback(context.ip) && (await getActor(request, context))?.role !== "admin")
    throw new Response("Not found", { status: 404 });
  const to = new URL(request.url).searchParams.get("to")?.slice(0, 254) || undefined;
  const messages = context.mailbox
    .read({ to, limit: 50 })
    .map((m) => ({ id: m.id, to: m.to, subject: m.subject, text: m.text, deliveredAt: m.deliveredAt }));
  return { to, messages };
}

export default function DevMailbox() {
  const { to, messages } = useLoaderData<typeof loader>();
  return (
    <>
      <PageHeader
        title="Local mailbox"
        description={`Emails the portal sent${to ? ` to ${to}` : ""}, newest first. Only on a local or demo portal.`}
      />
      {messages.length === 0 ? (
        <EmptyState title="No emails yet">
          <p>Invite someone or ask for a password reset, then reload this page.</p>
        </EmptyState>
      ) : (
        messages.map((m) => (
          <article key={m.id} className="card" aria-label={`Email to ${m.to}: ${m.subject}`}>
            <h2>{m.subject}</h2>
            <p className="muted">
              To <span data-testid="mail-to">{m.to}</span> · {formatDateTime(m.deliveredAt)}
            </p>
            <pre className="mail" data-testid="mail-text">
              {m.text}
            </pre>
          </article>
        ))
      )}
    </>
  );
}
