/// <reference types="vite/client" />
import type { ActionFunctionArgs, AppLoadContext, LoaderFunctionArgs } from "@remix-run/node";
import type { Database } from "../../db/engine";
import { openReferral } from "~/modules/referrals/referrals.server";
import { revokeRelease } from "~/modules/patients/care-team.server";
import { DAY, TestClock } from "./clock";
import { urlPatternOf } from "./route-patterns";
import { buildLoadContext } from "./context";
import type { Engine } from "./db";
import {
  actorFor,
  auditContextFor,
  createProvider,
  createUser,
  giveAccess,
  insertClinicBasics,
  insertCourse,
  insertPatient,
  referralInput,
  type TestPatient,
  type TestUser,
} from "./factories";
import type { Role } from "~/lib/roles";

/**
 * What the security suites share: every route module the app ships, found by the same file
 * convention Remix uses (so a new route cannot be left out), a small world of users and patients
 * in every relation the access rule distinguishes, and a way to call a loader or action the way
 * Remix would, with a real session cookie.
 */

type Handler<A> = (args: A) => unknown;
export interface RouteModule {
  loader?: Handler<LoaderFunctionArgs>;
  action?: Handler<ActionFunctionArgs>;
}

// Flat files and folder routes (`routes/<name>/route.tsx`), eagerly, as Vite bundles them.
const MODULES = import.meta.glob<RouteModule>(["../../app/routes/*.tsx", "../../app/routes/*/route.tsx"], {
  eager: true,
});

export interface RouteInfo {
  /** The route id: the file name without extension, or the folder name of a folder route. */
  id: string;
  /** The URL pattern, React Router style: `/patients/:patientId/notes`, `*` for a splat. */
  pattern: string;
  params: string[];
  module: RouteModule;
}

export const ROUTES: RouteInfo[] = Object.entries(MODULES)
  .map(([file, module]) => {
    const id = file.endsWith("/route.tsx")
      ? file.split("/").at(-2)!
      : file
          .split("/")
          .at(-1)!
          .replace(/\.tsx$/, "");
    const pattern = urlPatternOf(id);
    const params = pattern
      .split("/")
      .filter((p) => p.startsWith(":") || p === "*")
      .map((p) => (p === "*" ? "*" : p.slice(1)));
    return { id, pattern, params, module };
  })
  .sort((a, b) => a.id.localeCompare(b.id));

export const PATIENT_SCOPED = (route: RouteInfo) => route.params.includes("patientId");

export const WHO = ["anonymous", "therapist", "psychiatrist", "coordinator", "clinician", "admin"] as const;
export type Who = (typeof WHO)[number];
/** A patient's relation to the outside providers of the world below. */
export const RELATIONS = ["own", "other", "revoked", "unscoped", "awaiting"] as const;
export type Relation = (typeof RELATIONS)[number];

// 11:00 in New York on Tuesday 2026-10-20.
export const NOW = new Date("2026-10-20T15:00:00Z");
/** Well-formed, but names no invitation, reset or calendar feed. */
export const UNKNOWN_TOKEN = "bm90LWEtcmVhbC10b2tlbi1qdXN0LWEtZm9yZ2VyeQ";

export interface World {
  db: Database;
  engine: Engine;
  clock: TestClock;
  /** One signed-in user per role; the therapist and psychiatrist share the "own" patient. */
  users: Record<Role, TestUser>;
  /** The outside provider of the "other" patient. */
  otherTherapist: TestUser;
  /** An active user for admin actions to aim at. */
  bystander: TestUser;
  /**
   * own: the therapist and psychiatrist are on the team with a current release. other: only
   * otherTherapist is. revoked: the therapist and psychiatrist are on the team but their releases
   * were revoked. unscoped: the therapist and psychiatrist are on the team with a current release
   * that covers care coordination alone (no infusion schedule, care notes or symptom measures).
   * awaiting: the therapist and psychiatrist are on the team with no release recorded yet.
   */
  patients: Record<Relation, TestPatient>;
  /** An open referral for the "own" patient. */
  referralId: string;
  /** A past infusion visit of each patient, for the visit page. */
  visits: Record<Relation, string>;
}

export async function buildWorld(db: Database, engine: Engine): Promise<World> {
  await insertClinicBasics(db);
  const clock = new TestClock(NOW);
  const coordinator = await createUser(db, { role: "coordinator", name: "Maya Okafor" });
  const users: Record<Role, TestUser> = {
    therapist: await createProvider(db, { role: "therapist", name: "Dana Whitfield, LCSW" }),
    psychiatrist: await createProvider(db, { role: "psychiatrist", name: "Dr. Ravi Castellano" }),
    coordinator,
    clinician: await createUser(db, { role: "clinician", name: "Dr. Lena Brooks, MD" }),
    admin: await createUser(db, { role: "admin", name: "Sam Adeyemi" }),
  };
  const otherTherapist = await createProvider(db, { role: "therapist", name: "Jordan Reyes, LMHC" });
  const bystander = await createUser(db, { role: "clinician", name: "Casey Nguyen, NP" });
  const patients: Record<Relation, TestPatient> = {
    own: await insertPatient(db, { firstName: "Avery", lastName: "Lindqvist" }),
    other: await insertPatient(db, { firstName: "Jordan", lastName: "Baptiste", locationId: "tribeca" }),
    revoked: await insertPatient(db, { firstName: "Riley", lastName: "Okonkwo", locationId: "williamsburg" }),
    unscoped: await insertPatient(db, { firstName: "Emery", lastName: "Halvorsen", locationId: "upper-east-side" }),
    awaiting: await insertPatient(db, { firstName: "Rowan", lastName: "Esterhazy", locationId: "brooklyn-heights" }),
  };
  const by = coordinator;
  await giveAccess(db, { patientId: patients.own.id, providerId: users.therapist.id, by, now: NOW });
  await giveAccess(db, {
    patientId: patients.own.id,
    providerId: users.psychiatrist.id,
    by,
    now: NOW,
    teamRole: "psychiatrist",
  });
  await giveAccess(db, { patientId: patients.other.id, providerId: otherTherapist.id, by, now: NOW });
  for (const provider of [users.therapist, users.psychiatrist]) {
    const { releaseId } = await giveAccess(db, {
      patientId: patients.revoked.id,
      providerId: provider.id,
      by,
      now: NOW,
      teamRole: provider.role === "psychiatrist" ? "psychiatrist" : "primary_therapist",
    });
    await revokeRelease(db, auditContextFor(by), {
      patientId: patients.revoked.id,
      releaseId: releaseId!,
      reason: "Patient withdrew consent",
      now: NOW,
    });
  }
  for (const provider of [users.therapist, users.psychiatrist]) {
    await giveAccess(db, {
      patientId: patients.unscoped.id,
      providerId: provider.id,
      by,
      now: NOW,
      teamRole: provider.role === "psychiatrist" ? "psychiatrist" : "primary_therapist",
      release: { signedOn: "2026-01-01", expiresOn: "2030-12-31", scope: ["care_coordination"] },
    });
  }
  for (const provider of [users.therapist, users.psychiatrist]) {
    await giveAccess(db, {
      patientId: patients.awaiting.id,
      providerId: provider.id,
      by,
      now: NOW,
      teamRole: provider.role === "psychiatrist" ? "psychiatrist" : "primary_therapist",
      release: null,
    });
  }
  const referralId = await openReferral(
    db,
    actorFor(coordinator),
    auditContextFor(coordinator),
    referralInput(patients.own.id, NOW),
  );
  // Weeks before NOW, so that no upcoming visit, window or reminder of the other pages changes.
  const visits = {} as Record<Relation, string>;
  for (const relation of RELATIONS) {
    const { courseId } = await insertCourse(db, {
      patientId: patients[relation].id,
      clinicianId: users.clinician.id,
      createdBy: users.clinician.id,
      starts: [new Date(NOW.getTime() - 90 * DAY)],
    });
    const visit = await db
      .selectFrom("infusion_visits")
      .select("id")
      .where("course_id", "=", courseId)
      .executeTakeFirstOrThrow();
    visits[relation] = visit.id;
  }
  return { db, engine, clock, users, otherTherapist, bystander, patients, referralId, visits };
}

/** The value each route parameter takes; `relation` picks the patient. */
export function paramsFor(route: RouteInfo, world: World, relation: Relation = "own"): Record<string, string> {
  const params: Record<string, string> = {};
  for (const name of route.params) {
    switch (name) {
      case "patientId":
        params[name] = world.patients[relation].id;
        break;
      case "userId":
        params[name] = world.users.therapist.id;
        break;
      case "referralId":
        params[name] = world.referralId;
        break;
      case "visitId":
        params[name] = world.visits[relation];
        break;
      case "token":
        params[name] = UNKNOWN_TOKEN;
        break;
      case "*":
        params[name] = "no-such-page";
        break;
      default:
        throw new Error(
          `route ${route.id}: no test value for the parameter "${name}"; add one to paramsFor in route-harness.ts`,
        );
    }
  }
  return params;
}

export function pathFor(route: RouteInfo, params: Record<string, string>): string {
  return route.pattern
    .split("/")
    .map((part) =>
      part === "*" ? params["*"]! : part.startsWith(":") ? encodeURIComponent(params[part.slice(1)]!) : part,
    )
    .join("/");
}

export type FormBody = URLSearchParams | Record<string, string | string[]>;

function encodeBody(body: FormBody): URLSearchParams {
  if (body instanceof URLSearchParams) return body;
  const encoded = new URLSearchParams();
  for (const [name, value] of Object.entries(body))
    for (const v of Array.isArray(value) ? value : [value]) encoded.append(name, v);
  return encoded;
}

/** What a handler did: returned or threw a Response or data(), or threw something else. */
export type Observed =
  | { kind: "response"; thrown: boolean; status: number; location: string | null; value: unknown }
  | { kind: "error"; error: unknown };

function responseLike(value: unknown, thrown: boolean): Observed | null {
  if (value instanceof Response)
    return { kind: "response", thrown, status: value.status, location: value.headers.get("Location"), value };
  if (value && typeof value === "object" && (value as { type?: unknown }).type === "DataWithResponseInit") {
    const init = (value as { init: ResponseInit | null }).init;
    return {
      kind: "response",
      thrown,
      status: init?.status ?? 200,
      location: new Headers(init?.headers).get("Location"),
      value,
    };
  }
  return null;
}

export interface Call {
  route: RouteInfo;
  handler: "loader" | "action";
  who: Who;
  params: Record<string, string>;
  body?: FormBody;
  search?: string;
  /** A session made beforehand with `signIn`; by default a signed-in caller gets a new one. */
  sessionId?: string;
}

export interface CallResult {
  observed: Observed;
  context: AppLoadContext;
}

/** A new session for the world's user of this role, as signing in would make (staff without a second factor are fine here). */
export async function signIn(world: World, role: Role): Promise<string> {
  const context = buildLoadContext(world.db, { engine: world.engine, clock: world.clock });
  return (await context.lucia.createSession(world.users[role].id, {})).id;
}

/**
 * Calls a route's loader (GET) or action (POST, form-encoded) as Remix would, in a fresh request
 * context; a signed-in caller gets a new session of their own, sent as the session cookie.
 */
export async function callRoute(world: World, call: Call): Promise<CallResult> {
  const context = buildLoadContext(world.db, { engine: world.engine, clock: world.clock });
  const headers = new Headers({ "User-Agent": "authz-suite" });
  if (call.who !== "anonymous") {
    const sessionId = call.sessionId ?? (await signIn(world, call.who));
    headers.set("Cookie", `${context.lucia.sessionCookieName}=${sessionId}`);
  }
  const url = `http://portal.ember.test${pathFor(call.route, call.params)}${call.search ?? ""}`;
  let request: Request;
  if (call.handler === "action") {
    headers.set("Content-Type", "application/x-www-form-urlencoded;charset=UTF-8");
    request = new Request(url, { method: "POST", headers, body: encodeBody(call.body ?? {}) });
  } else {
    request = new Request(url, { method: "GET", headers });
  }
  const fn = call.route.module[call.handler];
  if (!fn) throw new Error(`${call.route.id} has no ${call.handler}`);
  try {
    const value = await fn({ request, params: call.params, context } as LoaderFunctionArgs & ActionFunctionArgs);
    return {
      context,
      observed: responseLike(value, false) ?? { kind: "response", thrown: false, status: 200, location: null, value },
    };
  } catch (error) {
    return { context, observed: responseLike(error, true) ?? { kind: "error", error } };
  }
}

export type Outcome = "login" | "forbidden" | "waiting" | "not-found" | "gone" | "allowed";

/** The outcome a user sees, or null for a server error (5xx, or a thrown error that is not a response). */
export function outcomeOf(observed: Observed): Outcome | null {
  if (observed.kind === "error" || observed.status >= 500) return null;
  if (observed.status >= 300 && observed.status < 400 && observed.location && /^\/login(\?|$)/.test(observed.location))
    return "login";
  if (observed.status === 403) return isAwaitingRelease(observed.value) ? "waiting" : "forbidden";
  if (observed.status === 404) return "not-found";
  if (observed.status === 410) return "gone";
  return "allowed";
}

/** The patient gate's waiting page: a provider on the team before the release of information is recorded. */
function isAwaitingRelease(value: unknown): boolean {
  const data = (value as { data?: unknown } | null)?.data;
  return typeof data === "object" && data !== null && "awaitingRelease" in data;
}

export function describeObserved(observed: Observed): string {
  if (observed.kind === "error")
    return `threw ${observed.error instanceof Error ? (observed.error.stack ?? observed.error.message) : String(observed.error)}`;
  return `${observed.thrown ? "threw" : "returned"} ${observed.status}${observed.location ? ` → ${observed.location}` : ""}`;
}
