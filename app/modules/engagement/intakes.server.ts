import { sql } from "kysely";
import type { Actor } from "~/auth/actor";
import { recordAudit, type AuditContext } from "~/audit/audit.server";
import type { Database, Executor } from "../../../db/engine";
import { EngagementError } from "./engagement.server";

/**
 * A provider who accepted a referral says when the intake is scheduled. Provisional: it is shown
 * as such and never opens the engagement gate (the gate reads engagement confirmations only);
 * the provider confirms engagement, the first session held, on the full form.
 */
export async function scheduleIntake(
  db: Database,
  actor: Actor,
  audit: AuditContext,
  input: { patientId: string; scheduledOn: string; now: Date },
): Promise<string> {
  return db.transaction().execute(async (trx) => {
    const referral = await trx
      .selectFrom("referrals")
      .select("id")
      .where("patient_id", "=", input.patientId)
      .where("accepted_provider_id", "=", actor.id)
      .where("status", "=", "accepted")
      .executeTakeFirst();
    if (!referral)
      throw new EngagementError(
        "An intake date is given for a new referral you accepted: confirm engagement once you see the patient.",
        "scheduledOn",
      );
    const row = await trx
      .insertInto("intake_schedules")
      .values({
        patient_id: input.patientId,
        provider_id: actor.id,
        scheduled_on: input.scheduledOn,
        recorded_at: input.now,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    await recordAudit(trx, audit, {
      action: "engagement.intake",
      entityType: "intake_schedule",
      entityId: row.id,
      patientId: input.patientId,
      detail: { referralId: referral.id },
    });
    return row.id;
  });
}

/**
 * Intakes still provisional, as a query over `intake_schedules as i`: each provider's newest, with
 * no engagement confirmation of theirs since it was given. Soonest intake first.
 */
export function provisionalIntakesQuery(db: Executor) {
  return db
    .selectFrom("intake_schedules as i")
    .innerJoin("users as u", "u.id", "i.provider_id")
    .innerJoin("patients as p", "p.id", "i.patient_id")
    .select([
      "i.id",
      "i.scheduled_on",
      "i.recorded_at",
      "u.name as provider_name",
      "p.id as patient_id",
      "p.first_name",
      "p.last_name",
      "p.record_number",
    ])
    .where(
      sql<boolean>`not exists (select 1 from intake_schedules newer where newer.patient_id = i.patient_id
        and newer.provider_id = i.provider_id and newer.recorded_at > i.recorded_at)`,
    )
    .where(
      sql<boolean>`not exists (select 1 from engagement_confirmations e where e.patient_id = i.patient_id
        and e.provider_id = i.provider_id and e.confirmed_at >= i.recorded_at)`,
    )
    .orderBy("i.scheduled_on")
    .orderBy("i.id");
}

/** This patient's provisional intakes, for the engagement page. */
export async function provisionalIntakes(db: Executor, patient: { id: string }) {
  return provisionalIntakesQuery(db).where("i.patient_id", "=", patient.id).select(["i.provider_id"]).execute();
}
