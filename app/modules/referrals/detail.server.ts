import { jsonArrayFrom, jsonBuildObject } from "kysely/helpers/postgres";
import { sql } from "kysely";
import type { Executor } from "../../../db/engine";
import { releaseCurrent } from "~/modules/patients/policy.server";

/**
 * A referral with what its page shows beside it, in one statement: the patient's name and record
 * number, every transition (who moved it from what to what, and when), every offer, and the
 * provider who accepted it with whether their release of information is current on `today` (the
 * next step until it is). Times of the history and offers arrive as ISO strings.
 */
export async function referralDetail(db: Executor, referralId: string, today: string) {
  const row = await db
    .selectFrom("referrals as r")
    .innerJoin("patients as p", "p.id", "r.patient_id")
    .leftJoin("users as accepted", "accepted.id", "r.accepted_provider_id")
    .selectAll("r")
    .select((eb) => [
      "accepted.name as accepted_provider_name",
      releaseCurrent(sql.ref<string>("r.patient_id"), sql.ref<string>("accepted.id"), today).as(
        "accepted_release_current",
      ),
      jsonBuildObject({
        id: eb.ref("p.id"),
        first_name: eb.ref("p.first_name"),
        last_name: eb.ref("p.last_name"),
        record_number: eb.ref("p.record_number"),
      }).as("patient"),
      jsonArrayFrom(
        eb
          .selectFrom("referral_events as e")
          .leftJoin("users as u", "u.id", "e.actor_id")
          .select(["e.id", "e.from_status", "e.to_status", "e.note", "e.at", "u.name as actor_name"])
          .whereRef("e.referral_id", "=", "r.id")
          .orderBy("e.at")
          .orderBy("e.id"),
      ).as("events"),
      jsonArrayFrom(
        eb
          .selectFrom("referral_offers as o")
          .innerJoin("users as u", "u.id", "o.provider_id")
          .select([
            "o.id",
            "o.provider_id",
            "o.status",
            "o.offered_at",
            "o.expires_at",
            "o.responded_at",
            "o.decline_reason",
            "u.name as provider_name",
          ])
          .whereRef("o.referral_id", "=", "r.id")
          .orderBy("o.offered_at"),
      ).as("offers"),
    ])
    .where("r.id", "=", referralId)
    .executeTakeFirst();
  if (!row) return null;
  const { patient, events, offers, accepted_provider_name, accepted_release_current, ...referral } = row;
  const acceptedBy = accepted_provider_name
    ? { name: accepted_provider_name, releaseCurrent: Boolean(accepted_release_current) }
    : null;
  return { referral, patient, events, offers, acceptedBy };
}
