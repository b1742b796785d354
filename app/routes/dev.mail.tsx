import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { PageHeader, EmptyState } from "~/components/ui";
import { formatDateTime } from "~/lib/time";

export const meta: MetaFunction = () => [{ title: "Local mailbox · Ember Health Provider Portal" }];

/**
 * The local mailbox: what the portal would have emailed, for developers, demos and tests, kept in
 * the server's memory. It does not exist when a mail provider is configured or in production.
 */
export async function loader({ request, context }: LoaderFunctionArgs) {
  if (context.config.production || !context.mailbox) throw new Response("Not found", { status: 404 });
  const to = new URL(request.url).searchParams.get("to")?.slice(0, 254) || undefined;
  const messages = context.mailbox.read({ to, limit: 50 }).map((m) => ({ id: m.id, to: m.to, subject: m.subject, text: m.text, deliveredAt: m.deliveredAt }));
  return { to, messages };
}

export default function DevMailbox() {
  const { to, messages } = useLoaderData<typeof loader>();
  return (
    <>
      <PageHeader title="Local mailbox" description={`Emails the portal sent${to ? ` to ${to}` : ""}, newest first. Only on a local or demo portal.`} />
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
