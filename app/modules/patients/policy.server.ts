import type { ExpressionBuilder } from "kysely";
import type { DB } from "../../../db/schema";
import { isOutsideProvider, type Actor } from "~/auth/actor";

/**
 * The access rule, as a where-clause on `patients`: Ember staff see every patient; an outside
 * provider sees a patient only while on the care team AND with a release of information that is
 * signed, unexpired and not revoked on `today` (New York calendar date).
 */
export function patientVisibleTo(actor: Pick<Actor, "id" | "role">, today: string) {
  return (eb: ExpressionBuilder<DB, "patients">) => {
    if (!isOutsideProvider(actor.role)) return eb.lit(true);
    return eb.and([
      eb.exists(
        eb
          .selectFrom("care_team_members as ctm")
          .select("ctm.id")
          .whereRef("ctm.patient_id", "=", "patients.id")
          .where("ctm.user_id", "=", actor.id)
          .where("ctm.ended_at", "is", null),
      ),
      eb.exists(
        eb
          .selectFrom("releases_of_information as roi")
          .select("roi.id")
          .whereRef("roi.patient_id", "=", "patients.id")
          .where("roi.provider_id", "=", actor.id)
          .where("roi.revoked_at", "is", null)
          .where("roi.signed_on", "<=", today)
          .where("roi.expires_on", ">=", today),
      ),
    ]);
  };
}
