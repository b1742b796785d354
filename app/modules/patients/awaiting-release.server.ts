import { data } from "@remix-run/node";
import { sql } from "kysely";
import { jsonObjectFrom } from "kysely/helpers/postgres";
import type { Actor } from "~/auth/actor";
import type { Executor } from "../../../db/engine";
import { awaitingRelease } from "./policy.server";

/** What the waiting page shows: who to ask and the referral accepted; never clinical data. */
export interface AwaitingReleaseInfo {
  patientName: string;
  /** The coordinator who made the referral, or who added the provider to the team. */
  askName: string | null;
  referral: { acceptedAt: string; modality: string } | null;
}

/**
 * Whether an outside provider the access rule refused is waiting for the patient's release of
 * information, and what their waiting page shows. Asked only once the patient was not found, so
 * the path of every page that opens costs no statement more.
 */
export async function awaitingReleaseFor(
  db: Executor,
  actor: Pick<Actor, "id">,
  patientId: string,
  today: string,
): Promise<AwaitingReleaseInfo | null> {
  const row = await db
    .selectFrom("patients as p")
    .select((eb) => [
      sql<string>`p.first_name || ' ' || p.last_name`.as("patient_name"),
      jsonObjectFrom(
        eb
          .selectFrom("referrals as r")
          .innerJoin("users as c", "c.id", "r.created_by")
          .select(["r.status_changed_at as accepted_at", "r.modality", "c.name as coordinator_name"])
          .whereRef("r.patient_id", "=", "p.id")
          .where("r.accepted_provider_id", "=", actor.id)
          .where("r.status", "=", "accepted")
          .orderBy("r.status_changed_at", "desc")
          .limit(1),
      ).as("referral"),
      eb
        .selectFrom("care_team_members as m")
        .innerJoin("users as a", "a.id", "m.added_by")
        .select("a.name")
        .whereRef("m.patient_id", "=", "p.id")
        .where("m.user_id", "=", actor.id)
        .where("m.ended_at", "is", null)
        .limit(1)
        .as("added_by_name"),
    ])
    .where("p.id", "=", patientId)
    .where(awaitingRelease(sql.ref<string>("p.id"), actor.id, today))
    .executeTakeFirst();
  if (!row) return null;
  return {
    patientName: row.patient_name,
    askName: row.referral?.coordinator_name ?? row.added_by_name ?? null,
    referral: row.referral
      ? { acceptedAt: new Date(row.referral.accepted_at).toISOString(), modality: row.referral.modality }
      : null,
  };
}

/** The waiting page, thrown as the patient pages' answer (403: the record is not open to them yet). */
export function awaitingReleaseResponse(info: AwaitingReleaseInfo) {
  return data({ awaitingRelease: info }, { status: 403 });
}
