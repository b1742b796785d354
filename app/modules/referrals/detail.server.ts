import { jsonArrayFrom, jsonBuildObject } from "kysely/helpers/postgres";
import type { Executor } from "../../../db/engine";

/**
 * A referral with what its page shows beside it, in one statement: the patient's name and record
 * number, every transition (who moved it from what to what, and when) and every offer. Times of
 * the history and offers arrive as ISO strings.
 */
export async function referralDetail(db: Executor, referralId: string) {
  const row = await db
    .selectFrom("referrals as r")
    .innerJoin("patients as p", "p.id", "r.patient_id")
    .selectAll("r")
    .select((eb) => [
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
  const { patient, events, offers, ...referral } = row;
  return { referral, patient, events, offers };
}
