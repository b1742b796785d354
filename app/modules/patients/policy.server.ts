import { sql, type Expression, type ExpressionBuilder, type RawBuilder } from "kysely";
import type { DB } from "../../../db/schema";
import { isOutsideProvider, type Actor } from "~/auth/actor";
import type { RELEASE_SCOPES } from "./labels";

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
export function releaseCurrent(patient: IdOperand, provider: IdOperand, today: string, scope?: ReleaseScope): RawBuilder<boolean> {
  const covers = scope ? sql` and ${scope} = any(policy_roi.scope)` : sql``;
  return sql<boolean>`exists (select 1 from releases_of_information policy_roi
    where policy_roi.patient_id = ${patient} and policy_roi.provider_id = ${provider}
      and policy_roi.revoked_at is null and policy_roi.signed_on <= ${today} and policy_roi.expires_on >= ${today}${covers})`;
}

/**
 * The access rule, as a where-clause on `patients`: Ember staff see every patient; an outside
 * provider sees a patient only while on the care team AND with a current release of information.
 */
export function patientVisibleTo(actor: Pick<Actor, "id" | "role">, today: string) {
  return (eb: ExpressionBuilder<DB, "patients">) => {
    if (!isOutsideProvider(actor.role)) return eb.lit(true);
    const patient = sql.ref<string>("patients.id");
    return eb.and([onCareTeam(patient, actor.id), releaseCurrent(patient, actor.id, today)]);
  };
}
