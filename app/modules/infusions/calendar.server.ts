import type { Actor } from "~/auth/actor";
import { hashToken, newToken } from "~/lib/tokens.server";
import { clinicToday, plusDays } from "~/lib/time";
import type { Database, Executor } from "../../../db/engine";
import { recordAudit, type AuditContext } from "~/audit/audit.server";
import type { CheckedPatient } from "~/modules/patients/patients.server";
import { patientVisibleTo } from "~/modules/patients/policy.server";
import { renderCalendar, type CalendarEvent } from "./ical";

const HISTORY_DAYS = 60;
/** A therapy session's length in the calendar: the portal records only its start. */
const SESSION_MINUTES = 60;

type VisitRow = {
  id: string;
  starts_at: Date;
  ends_at: Date;
  window_closes_at: Date;
  status: string;
  sequence: number;
  updated_at: Date;
  calendar_code: string;
  location_name: string;
  location_address: string;
};

/**
 * A visit and its therapy window as two events. Calendars are synced to phones and shared with
 * assistants, so an event names neither the patient (not even by initials) nor the treatment: the
 * patient's calendar code, shown beside their name in the portal, tells the provider who it is.
 */
function eventsFor(v: VisitRow, appUrl: string): CalendarEvent[] {
  const cancelled = v.status === "cancelled";
  const common = { sequence: v.sequence, cancelled, lastModified: v.updated_at };
  return [
    {
      ...common,
      uid: `visit-${v.id}@ember-portal`,
      start: v.starts_at,
      end: v.ends_at,
      summary: `Ember visit · ref ${v.calendar_code} (${v.location_name})`,
      location: `Ember Health ${v.location_name}, ${v.location_address}`,
      description: `Visit at Ember Health. Details in the portal: ${appUrl}/schedule`,
    },
    {
      ...common,
      uid: `window-${v.id}@ember-portal`,
      start: v.ends_at,
      end: v.window_closes_at,
      summary: `Therapy window · ref ${v.calendar_code}`,
      description: `The window after this visit for trauma-focused therapy. Plan sessions in the portal: ${appUrl}/schedule`,
    },
  ];
}

/**
 * The feed owner's own planned therapy session, named like a visit by the calendar code only. A
 * cancelled one stays in the feed, marked, so calendars drop it; its sequence follows each change.
 */
function sessionEvent(
  s: { id: string; starts_at: Date; status: string; mode: string; updated_at: Date; calendar_code: string },
  appUrl: string,
): CalendarEvent {
  return {
    uid: `session-${s.id}@ember-portal`,
    start: s.starts_at,
    end: new Date(s.starts_at.getTime() + SESSION_MINUTES * 60_000),
    summary: `Therapy session · ref ${s.calendar_code}${s.mode === "telehealth" ? " (telehealth)" : ""}`,
    description: `A therapy session you planned. Move or cancel it in the portal: ${appUrl}/schedule`,
    sequence: Math.floor(s.updated_at.getTime() / 1000),
    cancelled: s.status === "cancelled",
    lastModified: s.updated_at,
  };
}

function visitQuery(db: Executor) {
  return db
    .selectFrom("infusion_visits as v")
    .innerJoin("patients", "patients.id", "v.patient_id")
    .innerJoin("locations as l", "l.id", "v.location_id")
    .select([
      "v.id",
      "v.starts_at",
      "v.ends_at",
      "v.window_closes_at",
      "v.status",
      "v.sequence",
      "v.updated_at",
      "patients.calendar_code",
      "l.name as location_name",
      "l.address as location_address",
    ]);
}

export async function patientCalendar(
  db: Executor,
  patient: CheckedPatient<"infusion_schedule">,
  now: Date,
  appUrl: string,
): Promise<string> {
  const visits = await visitQuery(db)
    .where("v.patient_id", "=", patient.id)
    .orderBy("v.starts_at")
    .limit(500)
    .execute();
  return renderCalendar(
    "Ember visits",
    visits.flatMap((v) => eventsFor(v, appUrl)),
    now,
  );
}

/** Issues a new secret feed address; any earlier one stops working. The token is shown once. */
export async function issueCalendarFeed(db: Database, actor: Actor, audit: AuditContext, now: Date): Promise<string> {
  const token = newToken();
  await db.transaction().execute(async (trx) => {
    await trx
      .updateTable("calendar_feeds")
      .set({ revoked_at: now })
      .where("user_id", "=", actor.id)
      .where("revoked_at", "is", null)
      .execute();
    await trx
      .insertInto("calendar_feeds")
      .values({ user_id: actor.id, token_hash: hashToken(token), created_at: now })
      .execute();
    await recordAudit(trx, audit, { action: "calendar_feed.issue", entityType: "user", entityId: actor.id });
  });
  return token;
}

export async function revokeCalendarFeeds(db: Database, actor: Actor, audit: AuditContext, now: Date): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await trx
      .updateTable("calendar_feeds")
      .set({ revoked_at: now })
      .where("user_id", "=", actor.id)
      .where("revoked_at", "is", null)
      .execute();
    await recordAudit(trx, audit, { action: "calendar_feed.revoke", entityType: "user", entityId: actor.id });
  });
}

/**
 * Ends every feed address of a user, inside the caller's transaction: called when their password
 * is reset or their account deactivated, so an address copied while the account was in someone
 * else's hands stops working with it. A reactivated user issues a new one.
 */
export async function endCalendarFeeds(trx: Executor, userId: string, now: Date): Promise<void> {
  await trx
    .updateTable("calendar_feeds")
    .set({ revoked_at: now })
    .where("user_id", "=", userId)
    .where("revoked_at", "is", null)
    .execute();
}

/** The user's feed address in use, if any (issuing one revokes the others). */
export function activeFeedQuery(db: Executor, userId: string) {
  return db
    .selectFrom("calendar_feeds")
    .select(["id", "created_at"])
    .where("user_id", "=", userId)
    .where("revoked_at", "is", null)
    .orderBy("created_at", "desc")
    .limit(1);
}

/**
 * The personal feed behind a secret address: the visits and windows of every patient whose
 * infusion schedule the owner's release shares today, as of each request (a revoked release, or
 * one without that scope, drops them from the next refresh).
 */
export async function feedCalendar(
  db: Executor,
  token: string,
  now: Date,
  appUrl: string,
  request: { ip: string; requestId: string },
): Promise<string | null> {
  const owner = await db
    .selectFrom("calendar_feeds as f")
    .innerJoin("users as u", "u.id", "f.user_id")
    .select(["u.id", "u.role", "u.name", "u.email"])
    .where("f.token_hash", "=", hashToken(token))
    .where("f.revoked_at", "is", null)
    .where("u.status", "=", "active")
    .executeTakeFirst();
  if (!owner) return null;
  const actor: Actor = { id: owner.id, role: owner.role, name: owner.name, email: owner.email, sessionId: "" };
  const visits = await visitQuery(db)
    .where(patientVisibleTo(actor, clinicToday(now), "infusion_schedule"))
    .where("v.window_closes_at", ">", plusDays(now, -HISTORY_DAYS))
    .orderBy("v.starts_at")
    .limit(2000)
    .execute();
  const sessions = await db
    .selectFrom("therapy_sessions as s")
    .innerJoin("patients", "patients.id", "s.patient_id")
    .select(["s.id", "s.starts_at", "s.status", "s.mode", "s.updated_at", "patients.calendar_code"])
    .where(patientVisibleTo(actor, clinicToday(now), "infusion_schedule"))
    .where("s.provider_id", "=", owner.id)
    .where("s.status", "in", ["planned", "cancelled"])
    .where("s.starts_at", ">", plusDays(now, -HISTORY_DAYS))
    .orderBy("s.starts_at")
    .limit(2000)
    .execute();
  await recordAudit(
    db,
    { actorId: owner.id, actorRole: owner.role, ip: request.ip, requestId: request.requestId },
    {
      action: "calendar_feed.read",
      entityType: "calendar_feed",
      detail: { visits: visits.length, sessions: sessions.length },
    },
  );
  return renderCalendar(
    "Ember visits and therapy windows",
    [...visits.flatMap((v) => eventsFor(v, appUrl)), ...sessions.map((s) => sessionEvent(s, appUrl))],
    now,
  );
}
