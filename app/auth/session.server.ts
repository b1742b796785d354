import { redirect } from "@remix-run/node";
import type { AppLoadContext } from "@remix-run/node";
import type { Actor } from "./actor";
import { recordAudit, type AuditContext } from "~/audit/audit.server";
import type { Role } from "~/lib/roles";

async function lookUpActor(request: Request, context: AppLoadContext): Promise<Actor | null> {
  const sessionId = context.lucia.readSessionCookie(request.headers.get("Cookie") ?? "");
  if (!sessionId) return null;
  const found = await context.sessions.validateSession(sessionId, context.config.session.idleMs);
  if (!found) return null;
  return {
    id: found.user_id,
    email: found.email,
    name: found.name,
    role: found.role,
    sessionId,
    needsMfaEnrolment: found.needs_mfa_enrolment,
  };
}

/** The signed-in user of this request, or null. Looked up once however many loaders ask. */
export function getActor(request: Request, context: AppLoadContext): Promise<Actor | null> {
  context.actor ??= lookUpActor(request, context);
  return context.actor;
}

// Browsers drop tabs and newlines from a URL before reading it, so "/\t/evil.example" becomes
// "//evil.example": another site. No same-site path needs a control character.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL_CHARACTER = /[\u0000-\u001f\u007f]/;

// A Location header holds bytes, not text: a path with "é" or an emoji in it makes redirect() throw.
const BEYOND_ASCII = /[\u0080-\uffff]+/g;

export function safeRedirectPath(to: FormDataEntryValue | string | null | undefined, fallback = "/"): string {
  if (
    typeof to !== "string" ||
    !to.startsWith("/") ||
    to.startsWith("//") ||
    to.startsWith("/\\") ||
    CONTROL_CHARACTER.test(to)
  )
    return fallback;
  try {
    return to.replace(BEYOND_ASCII, (text) => encodeURIComponent(text));
  } catch {
    // A lone surrogate cannot be percent-encoded.
    return fallback;
  }
}

/**
 * The signed-in user, or a redirect to sign-in that comes back here afterwards. With `roles`, a
 * user of another role gets 403.
 */
export async function requireActor(
  request: Request,
  context: AppLoadContext,
  roles?: readonly Role[],
  options: { duringEnrolment?: boolean } = {},
): Promise<Actor> {
  const actor = await getActor(request, context);
  if (!actor) {
    const url = new URL(request.url);
    const back = request.method === "GET" ? url.pathname + url.search : url.pathname;
    throw redirect(`/login?${new URLSearchParams({ redirectTo: back })}`);
  }
  if (actor.needsMfaEnrolment && !options.duringEnrolment) throw redirect("/account/mfa");
  if (roles && !roles.includes(actor.role)) {
    // Audited like a refused patient: who, what, where (the path only, never the query string).
    await recordAudit(context.db, auditContextOf(context, actor), {
      action: "access.role",
      outcome: "denied",
      detail: { method: request.method, path: new URL(request.url).pathname.slice(0, 200) },
    });
    throw forbidden();
  }
  return actor;
}

/**
 * The posted form of a page for signed-in users, read only after the session is checked: a
 * request without one is sent to sign in before a byte of its body is read. For actions that need
 * the form to tell which roles may act; the role check itself follows (the actor is looked up once).
 */
export async function signedInFormData(request: Request, context: AppLoadContext): Promise<FormData> {
  await requireActor(request, context);
  return request.formData();
}

export function forbidden(): Response {
  return new Response("You do not have access to this page.", { status: 403, statusText: "Forbidden" });
}

export function auditContextOf(context: AppLoadContext, actor: Actor | null): AuditContext {
  return { actorId: actor?.id ?? null, actorRole: actor?.role ?? null, ip: context.ip, requestId: context.requestId };
}

export function sessionCookieHeader(context: AppLoadContext, sessionId: string | null): string {
  if (!sessionId) return context.lucia.createBlankSessionCookie().serialize();
  const cookie = context.lucia.createSessionCookie(sessionId);
  // lucia's "expires: false" still sends a 400-day Max-Age; without one the cookie ends with the
  // browser, and the server's idle and absolute expiry end the session itself.
  cookie.attributes.maxAge = undefined;
  cookie.attributes.expires = undefined;
  return cookie.serialize();
}
