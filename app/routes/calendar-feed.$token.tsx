import type { LoaderFunctionArgs } from "@remix-run/node";
import { feedCalendar } from "~/modules/infusions/calendar.server";

/**
 * A provider's personal calendar feed at a secret, revocable address (`/calendar-feed/<token>.ics`).
 * Calendar apps cannot sign in, so the token is the credential; only its hash is stored.
 */
export async function loader({ params, context }: LoaderFunctionArgs) {
  const token = (params.token ?? "").replace(/\.ics$/, "");
  const body = /^[A-Za-z0-9_-]{20,100}$/.test(token)
    ? await feedCalendar(context.db, token, context.now(), context.config.appUrl, context)
    : null;
  if (body === null) return new Response("Not found", { status: 404, headers: { "Content-Type": "text/plain" } });
  return new Response(body, {
    headers: { "Content-Type": "text/calendar; charset=utf-8", "Cache-Control": "no-store" },
  });
}
