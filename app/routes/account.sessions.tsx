import type { ActionFunctionArgs, AppLoadContext, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { endSession, listSessions, signOutEverywhereElse } from "~/auth/account.server";
import { auditContextOf, requireActor } from "~/auth/session.server";
import { DataTable } from "~/components/data-table";
import { Form } from "~/components/form";
import { When } from "~/components/time";
import { Badge, PageHeader } from "~/components/ui";
import { redirectWithFlash } from "~/lib/flash.server";
import { dispatchIntent } from "~/lib/intents.server";
import type { Actor } from "~/auth/actor";
import type { AuditContext } from "~/audit/audit.server";

export const meta: MetaFunction = () => [{ title: "Your sessions · Ember Health Provider Portal" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const actor = await requireActor(request, context);
  return { sessions: await listSessions(context.db, actor.id, actor.sessionId) };
}

interface SessionChange {
  context: AppLoadContext;
  formData: FormData;
  actor: Actor;
  audit: AuditContext;
}

const SESSION_INTENTS = {
  async everywhere({ context, actor, audit }: SessionChange) {
    await signOutEverywhereElse(context.db, audit, { userId: actor.id, currentSessionId: actor.sessionId });
    return redirectWithFlash(context, "/account/sessions", {
      kind: "success",
      message: "Every other session was signed out.",
    });
  },
  // Each session's own button posts no intent: it names the session to end.
  async ""({ context, formData, actor, audit }: SessionChange) {
    const idHash = String(formData.get("session") ?? "");
    const ended =
      /^[0-9a-f]{64}$/.test(idHash) &&
      (await endSession(context.db, audit, { userId: actor.id, idHash, currentSessionId: actor.sessionId }));
    return redirectWithFlash(
      context,
      "/account/sessions",
      ended
        ? { kind: "success", message: "That session was signed out." }
        : { kind: "error", message: "That session had already ended." },
    );
  },
};

export async function action({ request, context }: ActionFunctionArgs) {
  const actor = await requireActor(request, context);
  const formData = await request.formData();
  return dispatchIntent(formData, SESSION_INTENTS, { context, formData, actor, audit: auditContextOf(context, actor) });
}

/** A readable name for a browser from its user agent: enough to recognise one's own devices. */
function browserName(ua: string | null) {
  if (!ua) return "Unknown browser";
  const browser = /Edg\//.test(ua)
    ? "Edge"
    : /Chrome\//.test(ua)
      ? "Chrome"
      : /Firefox\//.test(ua)
        ? "Firefox"
        : /Safari\//.test(ua)
          ? "Safari"
          : "Browser";
  const os = /Windows/.test(ua)
    ? "Windows"
    : /Mac OS X/.test(ua)
      ? "macOS"
      : /Android/.test(ua)
        ? "Android"
        : /iPhone|iPad/.test(ua)
          ? "iOS"
          : /Linux/.test(ua)
            ? "Linux"
            : "";
  return os ? `${browser} on ${os}` : browser;
}

export default function Sessions() {
  const { sessions } = useLoaderData<typeof loader>();
  return (
    <>
      <PageHeader
        title="Your sessions"
        description="Where you are signed in now. End any you do not recognise, then change your password."
      />
      <DataTable
        caption="Where you are signed in"
        rows={sessions}
        rowKey={(s) => s.id_hash}
        empty={<p className="muted">No session is open: sign in again to see this page.</p>}
        columns={[
          {
            header: "Browser",
            cell: (s) => (
              <>
                {browserName(s.user_agent)} {s.current ? <Badge tone="good">this session</Badge> : null}
              </>
            ),
          },
          { header: "Address", cell: (s) => s.ip ?? "—" },
          { header: "Signed in", cell: (s) => <When at={s.created_at} /> },
          { header: "Ends if idle at", cell: (s) => <When at={s.expires_at} /> },
          {
            header: "Action",
            cell: (s) =>
              s.current ? null : (
                <Form method="post" className="inline-form">
                  <input type="hidden" name="session" value={s.id_hash} />
                  <button type="submit" className="button-link">
                    Sign out this session
                  </button>
                </Form>
              ),
          },
        ]}
      />
      {sessions.length > 1 ? (
        <Form method="post">
          <button type="submit" name="intent" value="everywhere" className="button button-secondary">
            Sign out everywhere else
          </button>
        </Form>
      ) : null}
    </>
  );
}
