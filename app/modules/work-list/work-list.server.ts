import { sql } from "kysely";
import { jsonArrayFrom } from "kysely/helpers/postgres";
import type { Actor } from "~/auth/actor";
import { clinicToday, plusDays, addDays, elapsedDays } from "~/lib/time";
import type { Executor } from "../../../db/engine";
import { openBoosterReviewsQuery } from "~/modules/infusions/boosters.server";
import { windowsWithoutSessionQuery } from "~/modules/infusions/sessions.server";
import { lapsedWithVisitsQuery } from "~/modules/engagement/lapses.server";
import { provisionalIntakesQuery } from "~/modules/engagement/intakes.server";
import { confirmationCounts, laterConfirmation, releaseCurrent } from "~/modules/patients/policy.server";
import { recentSafetyAlertsQuery, withMinutesToAcknowledge } from "~/modules/safety/alerts.server";
import { staleReviewsQuery } from "~/modules/notes/review.server";

/** Rows per list and page: the ten most urgent of each open loop first, the rest a page away, so every list fits on a screen or two. */
export const WORK_LIST_PAGE_SIZE = 10;

export const WORK_LISTS = [
  "awaitingRelease",
  "provisionalIntakes",
  "unengaged",
  "expiringConfirmations",
  "expiringReleases",
  "windows",
  "boosters",
  "staleInvitations",
  "lapsedWithVisits",
  "gateOverrides",
  "staleReviews",
] as const;
export type WorkListName = (typeof WORK_LISTS)[number];
export type WorkListPages = Record<WorkListName, number>;

/**
 * The coordinator's open loops, each row pointing at the page that resolves it: accepted referrals
 * whose provider has no current release of information yet (oldest acceptance first), intakes given
 * as scheduled but not yet confirmed held (provisional, soonest first), patients with no
 * engaged provider, confirmations expiring within 14 days, releases expiring within 30 days,
 * invitations unanswered for 3 days, therapy windows with no session planned and booster reviews
 * due, care notes waiting for a psychiatrist's review longer than the clinic's `review_stale_days`,
 * and the safety alerts of the last `safetyAlertDays` (one page, open first). One statement;
 * times arrive as ISO strings. Each list is paged on its own (`pages`), and `more` says which lists
 * go on past the page shown.
 */
export async function coordinatorWorkList(
  db: Executor,
  actor: Actor,
  now: Date,
  pages: Partial<WorkListPages> = {},
  safetyAlertDays = 7,
) {
  const today = clinicToday(now);
  // One row past the page tells whether there is a next one.
  const offset = (list: WorkListName) => ((pages[list] ?? 1) - 1) * WORK_LIST_PAGE_SIZE;
  const LIMIT = WORK_LIST_PAGE_SIZE + 1;
  // Walks patients in name order until a page of unengaged ones is found; whether each ever had
  // an engagement is asked of those few only.
  const unengaged = db
    .selectFrom((qc) =>
      qc
        .selectFrom("patients as p")
        .select(["p.id", "p.first_name", "p.last_name", "p.record_number"])
        .where((eb) =>
          eb.not(
            eb.exists(
              eb
                .selectFrom("engagement_confirmations as e")
                .select("e.id")
                .whereRef("e.patient_id", "=", "p.id")
                .where(confirmationCounts(now)),
            ),
          ),
        )
        .orderBy("p.last_name")
        .orderBy("p.first_name")
        .orderBy("p.id")
        .limit(LIMIT)
        .offset(offset("unengaged"))
        .as("u"),
    )
    .selectAll("u")
    .select((eb) =>
      eb
        .exists(eb.selectFrom("engagement_confirmations as e").select("e.id").whereRef("e.patient_id", "=", "u.id"))
        .as("had_engagement"),
    )
    .orderBy("u.last_name")
    .orderBy("u.first_name");
  const expiringConfirmations = db
    .selectFrom("engagement_confirmations as e")
    .innerJoin("patients as p", "p.id", "e.patient_id")
    .innerJoin("users as u", "u.id", "e.provider_id")
    .select([
      "e.id",
      "e.expires_at",
      "p.id as patient_id",
      "p.first_name",
      "p.last_name",
      "p.record_number",
      "u.name as provider_name",
    ])
    .where("e.expires_at", ">", now)
    .where("e.expires_at", "<=", plusDays(now, 14))
    .where((eb) => eb.not(eb.exists(laterConfirmation(db))))
    .orderBy("e.expires_at")
    .orderBy("e.id")
    .limit(LIMIT)
    .offset(offset("expiringConfirmations"));
  const expiringReleases = db
    .selectFrom("releases_of_information as r")
    .innerJoin("patients as p", "p.id", "r.patient_id")
    .innerJoin("users as u", "u.id", "r.provider_id")
    .select([
      "r.id",
      "r.expires_on",
      "p.id as patient_id",
      "p.first_name",
      "p.last_name",
      "p.record_number",
      "u.name as provider_name",
    ])
    .where("r.revoked_at", "is", null)
    .where("r.expires_on", ">=", today)
    .where("r.expires_on", "<=", addDays(today, 30))
    .orderBy("r.expires_on")
    .orderBy("r.id")
    .limit(LIMIT)
    .offset(offset("expiringReleases"));
  const staleInvitations = db
    .selectFrom("invitations as i")
    .select(["i.id", "i.email", "i.role", "i.created_at", "i.expires_at", "i.patient_id"])
    .where("i.accepted_at", "is", null)
    .where("i.revoked_at", "is", null)
    .where("i.created_at", "<=", plusDays(now, -3))
    .orderBy("i.created_at")
    .orderBy("i.id")
    .limit(LIMIT)
    .offset(offset("staleInvitations"));
  const awaitingRelease = db
    .selectFrom("referrals as r")
    .innerJoin("patients as p", "p.id", "r.patient_id")
    .innerJoin("users as u", "u.id", "r.accepted_provider_id")
    .select([
      "r.id",
      "r.status_changed_at as accepted_at",
      "p.id as patient_id",
      "p.first_name",
      "p.last_name",
      "p.record_number",
      "u.name as provider_name",
    ])
    .where("r.status", "=", "accepted")
    .where((eb) => eb.not(releaseCurrent(sql.ref<string>("r.patient_id"), sql.ref<string>("u.id"), today)))
    .orderBy("r.status_changed_at")
    .orderBy("r.id")
    .limit(LIMIT)
    .offset(offset("awaitingRelease"));
  const lists = await db
    .selectNoFrom([
      jsonArrayFrom(awaitingRelease).as("awaitingRelease"),
      jsonArrayFrom(provisionalIntakesQuery(db).limit(LIMIT).offset(offset("provisionalIntakes"))).as(
        "provisionalIntakes",
      ),
      jsonArrayFrom(unengaged).as("unengaged"),
      jsonArrayFrom(expiringConfirmations).as("expiringConfirmations"),
      jsonArrayFrom(expiringReleases).as("expiringReleases"),
      jsonArrayFrom(staleInvitations).as("staleInvitations"),
      jsonArrayFrom(windowsWithoutSessionQuery(db, { now, limit: LIMIT }).orderBy("v.id").offset(offset("windows"))).as(
        "windows",
      ),
      jsonArrayFrom(
        openBoosterReviewsQuery(db, actor, today).orderBy("b.id").limit(LIMIT).offset(offset("boosters")),
      ).as("boosters"),
      jsonArrayFrom(lapsedWithVisitsQuery(db, now).limit(LIMIT).offset(offset("lapsedWithVisits"))).as(
        "lapsedWithVisits",
      ),
      jsonArrayFrom(gateOverridesQuery(db, now).limit(LIMIT).offset(offset("gateOverrides"))).as("gateOverrides"),
      jsonArrayFrom(staleReviewsQuery(db, now).limit(LIMIT).offset(offset("staleReviews"))).as("staleReviews"),
      jsonArrayFrom(recentSafetyAlertsQuery(db, actor, { now, days: safetyAlertDays, limit: WORK_LIST_PAGE_SIZE })).as(
        "safetyAlerts",
      ),
    ])
    .executeTakeFirstOrThrow();
  const more = Object.fromEntries(WORK_LISTS.map((list) => [list, lists[list].length > WORK_LIST_PAGE_SIZE])) as Record<
    WorkListName,
    boolean
  >;
  const page = <T>(rows: T[]) => rows.slice(0, WORK_LIST_PAGE_SIZE);
  return {
    awaitingRelease: page(lists.awaitingRelease),
    provisionalIntakes: page(lists.provisionalIntakes),
    unengaged: page(lists.unengaged).map((r) => ({ ...r, had_engagement: Boolean(r.had_engagement) })),
    expiringConfirmations: page(lists.expiringConfirmations),
    expiringReleases: page(lists.expiringReleases),
    windows: page(lists.windows),
    boosters: page(lists.boosters),
    staleInvitations: page(lists.staleInvitations),
    lapsedWithVisits: page(lists.lapsedWithVisits),
    gateOverrides: page(lists.gateOverrides),
    staleReviews: page(lists.staleReviews).map((r) => ({
      ...r,
      days_waiting: Math.floor(elapsedDays(new Date(r.queued_at), now)),
    })),
    safetyAlerts: lists.safetyAlerts.map(withMinutesToAcknowledge),
    more,
  };
}

/** Days a visit held past the engagement gate stays on the work list for the coordinator to follow up. */
export const GATE_OVERRIDE_DAYS = 30;

/** Visits marked held although the engagement gate refused, in the last 30 days, newest first. */
function gateOverridesQuery(db: Executor, now: Date) {
  return db
    .selectFrom("infusion_visits as v")
    .innerJoin("patients as p", "p.id", "v.patient_id")
    .innerJoin("users as o", "o.id", "v.gate_override_by")
    .select([
      "v.id",
      "v.starts_at",
      "v.gate_override_at",
      "v.gate_override_reason",
      "o.name as overridden_by",
      "p.id as patient_id",
      "p.first_name",
      "p.last_name",
      "p.record_number",
    ])
    .where("v.gate_override_at", ">", plusDays(now, -GATE_OVERRIDE_DAYS))
    .orderBy("v.gate_override_at", "desc")
    .orderBy("v.id");
}

/** Counts for the dashboard card, in one statement. */
export async function workListCounts(db: Executor, now: Date) {
  const today = clinicToday(now);
  const row = await sql<{
    unengaged: string;
    confirmations: string;
    releases: string;
    invitations: string;
    lapsed_with_visits: string;
    gate_overrides: string;
    stale_reviews: string;
  }>`
    select
      (select count(*) from patients p where not exists (
         select 1 from engagement_confirmations e
         where e.patient_id = p.id and ${confirmationCounts(now)})) as unengaged,
      (select count(*) from engagement_confirmations e where e.expires_at > ${now} and e.expires_at <= ${plusDays(now, 14)}
         and not exists (select 1 from engagement_confirmations n where n.patient_id = e.patient_id and n.provider_id = e.provider_id and n.confirmed_at > e.confirmed_at)) as confirmations,
      (select count(*) from releases_of_information r where r.revoked_at is null and r.expires_on >= ${today} and r.expires_on <= ${addDays(today, 30)}) as releases,
      (select count(*) from invitations i where i.accepted_at is null and i.revoked_at is null and i.created_at <= ${plusDays(now, -3)}) as invitations,
      (select count(*) from (${lapsedWithVisitsQuery(db, now).clearOrderBy()}) l) as lapsed_with_visits,
      (select count(*) from infusion_visits v where v.gate_override_at > ${plusDays(now, -GATE_OVERRIDE_DAYS)}) as gate_overrides,
      (select count(*) from (${staleReviewsQuery(db, now).clearOrderBy()}) sr) as stale_reviews
  `.execute(db);
  const r = row.rows[0]!;
  return {
    unengaged: Number(r.unengaged),
    confirmations: Number(r.confirmations),
    releases: Number(r.releases),
    invitations: Number(r.invitations),
    lapsedWithVisits: Number(r.lapsed_with_visits),
    gateOverrides: Number(r.gate_overrides),
    staleReviews: Number(r.stale_reviews),
  };
}
