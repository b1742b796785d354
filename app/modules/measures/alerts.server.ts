import type { Actor } from "~/auth/actor";
import type { Database, Executor } from "../../../db/engine";
import { recordAudit, type AuditContext } from "~/audit/audit.server";
import type { CheckedPatient } from "~/modules/patients/patients.server";
import { patientVisibleTo } from "~/modules/patients/policy.server";
import { alertSignals } from "~/modules/safety/alerts.server";

/** Safety alerts not yet acknowledged on patients whose measures this actor may see: they stay on dashboards until then. */
export async function openSafetyAlerts(db: Executor, actor: Actor, today: string) {
  return (
    db
      .selectFrom("safety_alerts as a")
      .innerJoin("patients", "patients.id", "a.patient_id")
      .select([
        "a.id",
        "a.patient_id",
        "a.raised_at",
        "a.escalated_at",
        "patients.first_name",
        "patients.last_name",
        ...alertSignals("a"),
      ])
      .where(patientVisibleTo(actor, today, "symptom_measures"))
      // Safety concerns show as notes; these are the PHQ-9 alerts.
      .where("a.measure_id", "is not", null)
      .where("a.acknowledged_at", "is", null)
      .orderBy("a.raised_at")
      .limit(50)
      .execute()
  );
}

export async function patientSafetyAlerts(db: Executor, patient: CheckedPatient<"symptom_measures">) {
  const patientId = patient.id;
  return db
    .selectFrom("safety_alerts as a")
    .leftJoin("users as u", "u.id", "a.acknowledged_by")
    .select([
      "a.id",
      "a.raised_at",
      "a.acknowledged_at",
      "a.action_taken",
      "a.escalated_at",
      "u.name as acknowledged_by_name",
      ...alertSignals("a"),
    ])
    .where("a.patient_id", "=", patientId)
    .where("a.measure_id", "is not", null)
    .orderBy("a.raised_at", "desc")
    .execute();
}

export async function acknowledgeSafetyAlert(
  db: Database,
  actor: Actor,
  audit: AuditContext,
  input: { patientId: string; alertId: string; action: string; now: Date },
) {
  if (actor.role !== "clinician") return false;
  return db.transaction().execute(async (trx) => {
    const row = await trx
      .updateTable("safety_alerts")
      .set({ acknowledged_by: actor.id, acknowledged_at: input.now, action_taken: input.action })
      .where("id", "=", input.alertId)
      .where("patient_id", "=", input.patientId)
      // A safety concern is acknowledged on its note, where the response is kept for good.
      .where("measure_id", "is not", null)
      .where("acknowledged_at", "is", null)
      .returning("id")
      .executeTakeFirst();
    if (row)
      await recordAudit(trx, audit, {
        action: "safety_alert.acknowledge",
        entityType: "safety_alert",
        entityId: row.id,
        patientId: input.patientId,
      });
    return Boolean(row);
  });
}
