import type { Kysely } from "kysely";
import type { DB } from "../../../db/schema";
import type { Actor } from "~/auth/actor";
import { hashToken, newToken } from "~/lib/tokens.server";
import { clinicToday } from "~/lib/time";
import { recordAudit, type AuditContext, type Executor } from "~/modules/audit/audit.server";
import { initialsOf } from "~/modules/patients/patients.server";
import { patientVisibleTo } from "~/modules/patients/policy.server";
import { renderCalendar, type CalendarEvent } from "./ical";

const HISTORY_MS = 60 * 86_400_000;

type VisitRow = {
  id: string;
  starts_at: Date;
  ends_at: Date;
  window_closes_at: Date;
  status: string;
  sequence: number;
  updated_at: Date;
  kind: string;
  first_name: string;
  last_name: string;
  location_name: string;
  location_address: string;
};

/** A visit and its therapy window as two events; patient initials only, never a name. */
function eventsFor(v: VisitRow, appUrl: string): CalendarEvent[] {
  const initials = initialsOf(v);
  const cancelled = v.status === "cancelled";
  const common = { sequence: v.sequence, cancelled, lastModified: v.updated_at };
  return [
    {
      ...common,
      uid: `visit-${v.id}@ember-portal`,
      start: v.starts_at,
      end: v.ends_at,
      summary: `${v.kind === "booster" ? "Booster infusion" : "Ketamine infusion"} — ${initials} (${v.location_name})`,
      location: `Ember Health ${v.location_name}, ${v.location_address}`,
      description: `Infusion visit at Ember Health. Details in the portal: ${appUrl}/schedule`,
    },
    {
      ...common,
      uid: `window-${v.id}@ember-portal`,
      start: v.ends_at,
      end: v.window_closes_at,
      summary: `Therapy window — ${initials}`,
      description: `The window after this patient's infusion for trauma-focused therapy. Plan sessions in the portal: ${appUrl}/schedule`,
    },
  ];
}

function visitQuery(db: Executor) {
  return db
    .selectFrom("infusion_visits as v")
    .innerJoin("patients", "patients.id", "v.patient_id")
    .innerJoin("locations as l", "l.id", "v.location_id")
    .select(["v.id", "v.starts_at", "v.ends_at", "v.window_closes_at", "v.status", "v.sequence", "v.updated_at", "v.kind", "patients.first_name", "patients.last_name", "l.name as location_name", "l.address as location_address"]);
}

export async function patientCalendar(db: Executor, patientId: string, now: Date, appUrl: string): Promise<string> {
  const visits = await visitQuery(db).where("v.patient_id", "=", patientId).orderBy("v.starts_at").limit(500).execute();
  return renderCalendar("Ember infusions", visits.flatMap((v) => eventsFor(v, appUrl)), now);
}

/** Issues a new secret feed address; any earlier one stops working. The token is shown once. */
export async function issueCalendarFeed(db: Kysely<DB>, actor: Actor, audit: AuditContext, now: Date): Promise<string> {
  const token = newToken();
  await db.transaction().execute(async (trx) => {
    await trx.updateTable("calendar_feeds").set({ revoked_at: now }).where("user_id", "=", actor.id).where("revoked_at", "is", null).execute();
    await trx.insertInto("calendar_feeds").values({ user_id: actor.id, token_hash: hashToken(token), created_at: now }).execute();
    await recordAudit(trx, audit, { action: "calendar_feed.issue", entityType: "user", entityId: actor.id });
  });
  return token;
}

export async function revokeCalendarFeeds(db: Kysely<DB>, actor: Actor, audit: AuditContext, now: Date): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await trx.updateTable("calendar_feeds").set({ revoked_at: now }).where("user_id", "=", actor.id).where("revoked_at", "is", null).execute();
    await recordAudit(trx, audit, { action: "calendar_feed.revoke", entityType: "user", entityId: actor.id });
  });
}

/** The user's feed address in use, if any (issuing one revokes the others). */
export function activeFeedQuery(db: Executor, userId: string) {
  return db.selectFrom("calendar_feeds").select(["id", "created_at"]).where("user_id", "=", userId).where("revoked_at", "is", null).orderBy("created_at", "desc").limit(1);
}

/**
 * The personal feed behind a secret address: the visits and windows of every patient the owner
 * may see today, as of each request (a revoked release drops them from the next refresh).
 */
export async function feedCalendar(db: Executor, token: string, now: Date, appUrl: string, request: { ip: string; requestId: string }): Promise<string | null> {
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
    .where(patientVisibleTo(actor, clinicToday(now)))
    .where("v.window_closes_at", ">", new Date(now.getTime() - HISTORY_MS))
    .orderBy("v.starts_at")
    .limit(2000)
    .execute();
  await recordAudit(db, { actorId: owner.id, actorRole: owner.role, ip: request.ip, requestId: request.requestId }, {
    action: "calendar_feed.read",
    entityType: "calendar_feed",
    detail: { visits: visits.length },
  });
  return renderCalendar("Ember infusions and therapy windows", visits.flatMap((v) => eventsFor(v, appUrl)), now);
}
