import { sql } from "kysely";
import { jsonArrayFrom } from "kysely/helpers/postgres";
import type { Executor } from "../../../db/engine";
import type { Actor } from "~/auth/actor";
import { recordAudit, type AuditContext } from "~/audit/audit.server";
import { isOutsideProvider } from "~/lib/roles";
import { windowsWithoutSessionQuery } from "~/modules/infusions/sessions.server";
import { reviewCountQuery } from "~/modules/notes/queues.server";
import { onCareTeam, releaseCurrent } from "~/modules/patients/policy.server";

/** Therapy windows a provider's home lists at most. */
export const AGENDA_WINDOWS = 20;

/** Referral offers waiting for this provider's answer, soonest expiry first: what they need to decide, never the patient. */
function offersWaitingQuery(db: Executor, actor: Pick<Actor, "id">, now: Date) {
  return db
    .selectFrom("referral_offers as o")
    .innerJoin("referrals as r", "r.id", "o.referral_id")
    .select(["o.id", "o.offered_at", "o.expires_at", "r.modality", "r.setting", "r.borough", "r.urgency"])
    .where("o.provider_id", "=", actor.id)
    .where("o.status", "=", "open")
    .where("o.expires_at", ">", now);
}

/**
 * What an outside provider has to act on, in one statement: the referral offers waiting for their
 * answer with their expiry, and the therapy windows, open or coming, of their patients (on the team
 * with a release covering the infusion schedule) that have no session planned in them. The windows
 * name patients, so the view is audited.
 */
export async function providerAgenda(
  db: Executor,
  actor: Actor,
  audit: AuditContext,
  { now, today }: { now: Date; today: string },
) {
  const patient = sql.ref<string>("v.patient_id");
  const row = await db
    .selectNoFrom([
      jsonArrayFrom(offersWaitingQuery(db, actor, now).orderBy("o.expires_at").limit(50)).as("offers"),
      jsonArrayFrom(
        windowsWithoutSessionQuery(db, { now, limit: AGENDA_WINDOWS })
          .where(onCareTeam(patient, actor.id))
          .where(releaseCurrent(patient, actor.id, today, "infusion_schedule")),
      ).as("windows"),
    ])
    .executeTakeFirstOrThrow();
  const windows = row.windows.map((w) => ({ ...w, open: new Date(w.ends_at) <= now }));
  await recordAudit(db, audit, {
    action: "infusion.windows_view",
    entityType: "infusion_visit",
    detail: { visitIds: windows.map((w) => w.id), patientIds: [...new Set(windows.map((w) => w.patient_id))] },
  });
  return { offers: row.offers, windows };
}

/**
 * The counts the navigation shows an outside provider, in one statement: referral offers waiting
 * for their answer, and (for a psychiatrist) notes waiting for their review. Nothing for staff.
 */
export async function navigationCounts(db: Executor, actor: Actor, { now, today }: { now: Date; today: string }) {
  if (!isOutsideProvider(actor.role)) return null;
  const counts = await db
    .selectNoFrom((eb) => [
      eb
        .selectFrom(offersWaitingQuery(db, actor, now).clearSelect().select("o.id").as("w"))
        .select((e) => e.fn.countAll<string>().as("n"))
        .as("offers"),
      actor.role === "psychiatrist" ? reviewCountQuery(db, actor, today).as("reviews") : sql<string>`0`.as("reviews"),
    ])
    .executeTakeFirstOrThrow();
  return { offers: Number(counts.offers), reviews: Number(counts.reviews) };
}
