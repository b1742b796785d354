import { sql, type Expression, type ExpressionBuilder, type RawBuilder } from "kysely";
import type { DB } from "../../../db/schema";
import { type Actor } from "~/auth/actor";
import type { Executor } from "../../../db/engine";
import { clinicToday } from "~/lib/time";
import type { RELEASE_SCOPES } from "./labels";
import { isOutsideProvider } from "~/lib/roles";

export type ReleaseScope = (typeof RELEASE_SCOPES)[number]["value"];

/** A patient or user id: a value, or a column of the outer query (`sql.ref("m.user_id")`). */
type IdOperand = string | Expression<string>;

/**
 * The two halves of the access rule, each written once and usable in any query, built or raw.
 * Aliases inside are unusual on purpose, so a column reference passed in always means the outer
 * query's column.
 */

/** The user is an active member of the patient's care team. */
export function onCareTeam(patient: IdOperand, user: IdOperand): RawBuilder<boolean> {
  return sql<boolean>`exists (select 1 from care_team_members policy_ctm
    where policy_ctm.patient_id = ${patient} and policy_ctm.user_id = ${user} and policy_ctm.ended_at is null)`;
}

/**
 * The provider holds a release of information for the patient that is signed, unexpired and not
 * revoked on `today` (New York calendar date), covering `scope` when one is named.
 */
export function releaseCurrent(
  patient: IdOperand,
  provider: IdOperand,
  today: string,
  scope?: ReleaseScope,
): RawBuilder<boolean> {
  const covers = scope ? sql` and ${scope} = any(policy_roi.scope)` : sql``;
  return sql<boolean>`exists (select 1 from releases_of_information policy_roi where ${currentRelease(patient, provider, today)}${covers})`;
}

/**
 * The provider is waiting for a release of information: on the patient's care team, or named by a
 * referral they accepted (unless their membership ended since), with no current release and none
 * revoked (a patient who withdrew consent is "not found", as to a stranger).
 */
export function awaitingRelease(patient: IdOperand, provider: IdOperand, today: string): RawBuilder<boolean> {
  return sql<boolean>`((${onCareTeam(patient, provider)} or exists (select 1 from referrals policy_ref
      where policy_ref.patient_id = ${patient} and policy_ref.accepted_provider_id = ${provider}
        and policy_ref.status = 'accepted'
        and not exists (select 1 from care_team_members policy_ended where policy_ended.patient_id = ${patient}
          and policy_ended.user_id = ${provider} and policy_ended.ended_at >= policy_ref.status_changed_at)))
    and not ${releaseCurrent(patient, provider, today)}
    and not exists (select 1 from releases_of_information policy_revoked where policy_revoked.patient_id = ${patient}
      and policy_revoked.provider_id = ${provider} and policy_revoked.revoked_at is not null))`;
}

/** The last day covered by the provider's current releases for the patient (`YYYY-MM-DD`), or null when none is current. */
export function currentReleaseUntil(patient: IdOperand, provider: IdOperand, today: string): RawBuilder<string | null> {
  return sql<string | null>`(select max(policy_roi.expires_on)::text from releases_of_information policy_roi
    where ${currentRelease(patient, provider, today)})`;
}

/**
 * The access rule, as a where-clause on `patients`: Ember staff see every patient; an outside
 * provider sees a patient only while on the care team AND with a current release of information,
 * one that covers `scope` when a page's data needs it (notes, infusion schedule, measures).
 */
export function patientVisibleTo(actor: Pick<Actor, "id" | "role">, today: string, scope?: ReleaseScope) {
  return (eb: ExpressionBuilder<DB, "patients">) => {
    if (!isOutsideProvider(actor.role)) return eb.lit(true);
    const patient = sql.ref<string>("patients.id");
    return eb.and([onCareTeam(patient, actor.id), releaseCurrent(patient, actor.id, today, scope)]);
  };
}

/**
 * For a query over `engagement_confirmations as e`: this confirmation counts at `now`. It is
 * unexpired, and its provider can still be relied on: their account is active, their licence
 * unexpired, they are on the patient's care team and their release of information is current.
 * The engagement gate, the patient's engagement status, the roster and the work list all ask this.
 */
export function confirmationCounts(now: Date): RawBuilder<boolean> {
  const today = clinicToday(now);
  const patient = sql.ref<string>("e.patient_id");
  const provider = sql.ref<string>("e.provider_id");
  return sql<boolean>`(e.expires_at > ${now} and ${providerInGoodStanding(provider, today)}
    and ${onCareTeam(patient, provider)} and ${releaseCurrent(patient, provider, today)})`;
}

/** The provider's account is active and their licence on file unexpired on `today`. */
export function providerInGoodStanding(provider: IdOperand, today: string): RawBuilder<boolean> {
  return sql<boolean>`exists (select 1 from users policy_u join provider_credentials policy_pc on policy_pc.user_id = policy_u.id
    where policy_u.id = ${provider} and policy_u.status = 'active' and policy_pc.licence_expires_on >= ${today})`;
}

/** Every scope a release can grant, in the order pages list them. */
export const ALL_SCOPES: readonly ReleaseScope[] = [
  "care_coordination",
  "infusion_schedule",
  "care_notes",
  "symptom_measures",
  "substance_use",
];

/**
 * What the actor's releases for the patient cover today, as a text[]: every scope for Ember staff;
 * for an outside provider, the union of their current releases' scopes (empty without one).
 */
export function scopesHeld(
  actor: Pick<Actor, "id" | "role">,
  patient: IdOperand,
  today: string,
): RawBuilder<ReleaseScope[]> {
  if (!isOutsideProvider(actor.role)) return sql<ReleaseScope[]>`array[${sql.join(ALL_SCOPES)}]::text[]`;
  return sql<
    ReleaseScope[]
  >`array(select distinct policy_scope from releases_of_information policy_roi, unnest(policy_roi.scope) policy_scope
    where ${currentRelease(patient, actor.id, today)} order by policy_scope)`;
}

/** What makes a release (aliased `policy_roi`) current: signed on or before `today`, unexpired, not revoked. */
function currentRelease(patient: IdOperand, provider: IdOperand, today: string) {
  return sql`policy_roi.patient_id = ${patient} and policy_roi.provider_id = ${provider}
    and policy_roi.revoked_at is null and policy_roi.signed_on <= ${today} and policy_roi.expires_on >= ${today}`;
}

/**
 * Subquery, for a query over `engagement_confirmations as e`: the confirming provider is still an
 * active member of the patient's care team.
 */
export function confirmerStillOnTeam() {
  return onCareTeam(sql.ref<string>("e.patient_id"), sql.ref<string>("e.provider_id"));
}

/** Subquery, for a query over `engagement_confirmations as e`: the same provider confirmed again later. */
export function laterConfirmation(db: Executor) {
  return db
    .selectFrom("engagement_confirmations as newer")
    .select("newer.id")
    .where("newer.patient_id", "=", sql.ref<string>("e.patient_id"))
    .where("newer.provider_id", "=", sql.ref<string>("e.provider_id"))
    .where("newer.confirmed_at", ">", sql.ref<Date>("e.confirmed_at"));
}
