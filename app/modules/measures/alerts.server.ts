import { sql } from "kysely";
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

/**
 * A clinician acknowledges an open PHQ-9 alert with the action taken, having seen `signals` of
 * them: when more have joined it since, nothing is acknowledged ("new signal"), so no signal is
 * closed unread. The alert is locked first, so a signal joining at that moment is either counted
 * here or, arriving after, opens a new alert. False when there is no such open alert.
 */
export async function acknowledgeSafetyAlert(
  db: Database,
  actor: Actor,
  audit: AuditContext,
  input: { patientId: string; alertId: string; action: string; signals: number; now: Date },
): Promise<boolean | "new signal"> {
  if (actor.role !== "clinician") return false;
  return db.transaction().execute(async (trx) => {
    const open = await trx
      .selectFrom("safety_alerts")
      .select("id")
      .where("id", "=", input.alertId)
      .where("patient_id", "=", input.patientId)
      // A safety concern is acknowledged on its note, where the response is kept for good.
      .where("measure_id", "is not", null)
      .where("acknowledged_at", "is", null)
      .forUpdate()
      .executeTakeFirst();
    if (!open) return false;
    const { signals } = await trx
      .selectFrom("safety_alert_measures")
      .select(sql<number>`count(*)::int`.as("signals"))
      .where("alert_id", "=", open.id)
      .executeTakeFirstOrThrow();
    if (signals !== input.signals) return "new signal";
    await trx
      .updateTable("safety_alerts")
      .set({ acknowledged_by: actor.id, acknowledged_at: input.now, action_taken: input.action })
      .where("id", "=", open.id)
      .execute();
    await recordAudit(trx, audit, {
      action: "safety_alert.acknowledge",
      entityType: "safety_alert",
      entityId: open.id,
      patientId: input.patientId,
      detail: { signals },
    });
    return true;
  });
}
