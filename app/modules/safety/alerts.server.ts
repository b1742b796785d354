import { sql, type ExpressionBuilder } from "kysely";
import type { DB } from "../../../db/schema";
import type { Actor } from "~/auth/actor";
import { queueEmail } from "~/email/outbox.server";
import { clinicToday, plusDays } from "~/lib/time";
import type { Database, Executor } from "../../../db/engine";
import { recordAudit, type AuditContext } from "~/audit/audit.server";
import { careTeamWithAccess } from "~/modules/patients/care-team.server";
import type { CheckedPatient } from "~/modules/patients/patients.server";
import { patientVisibleTo } from "~/modules/patients/policy.server";

/**
 * Safety alerts: one per safety signal, a PHQ-9 with item 9 above 0 or a safety-concern note.
 * Raising one notifies, at once and once each, every active Ember clinician (all of them are on
 * duty until a duty rota exists), every active coordinator and the patient's outside team with a
 * current release. Left unacknowledged for the clinic's escalation minutes, it is escalated once:
 * sent again to the clinicians and the admins, and marked escalated wherever it shows.
 */

const SYSTEM: AuditContext = { actorId: null, actorRole: "system", ip: null, requestId: null };
const ESCALATION_BATCH = 100;

export type SafetySignal = { measureId: string } | { noteId: string };

/** Where the team acts on an alert: the measures page for a PHQ-9, the thread for a note. */
const alertPath = (patientId: string, alert: { note_id: string | null }) =>
  `/patients/${patientId}/${alert.note_id ? "notes" : "measures"}`;

export async function safetyEscalationMinutes(db: Executor): Promise<number> {
  const row = await db.selectFrom("clinic_settings").select("safety_escalation_minutes").executeTakeFirstOrThrow();
  return row.safety_escalation_minutes;
}

/**
 * Records the alert and queues its notices in the caller's transaction; the one who raised it is
 * not told of their own signal when `except` names them. A PHQ-9 signal on a patient whose PHQ-9
 * alert is still open joins that alert instead: the measure is added to it, audited, and nobody is
 * emailed again. Returns the alert, whether the signal joined it, its signals and how many were notified.
 */
export async function raiseSafetyAlert(
  trx: Executor,
  audit: AuditContext,
  input: { patientId: string; signal: SafetySignal; now: Date; appUrl: string; except?: string },
): Promise<{ id: string; joined: boolean; signals: number; notices: number }> {
  const noteId = "noteId" in input.signal ? input.signal.noteId : null;
  const measureId = "measureId" in input.signal ? input.signal.measureId : null;
  const alert = measureId
    ? await openMeasureAlert(trx, input.patientId, measureId, input.now)
    : {
        ...(await trx
          .insertInto("safety_alerts")
          .values({ patient_id: input.patientId, note_id: noteId, raised_at: input.now })
          .returning("id")
          .executeTakeFirstOrThrow()),
        joined: false,
        signals: 1,
      };
  if (alert.joined) {
    await recordAudit(trx, audit, {
      action: "safety_alert.signal",
      entityType: "safety_alert",
      entityId: alert.id,
      patientId: input.patientId,
      detail: { signals: alert.signals },
    });
    return { ...alert, notices: 0 };
  }
  const [team, staff] = await Promise.all([
    careTeamWithAccess(trx, input.patientId, clinicToday(input.now)),
    trx
      .selectFrom("users")
      .select(["id", "email"])
      .where("role", "in", ["clinician", "coordinator"])
      .where("status", "=", "active")
      .execute(),
  ]);
  const recipients = new Map([...staff, ...team].filter((u) => u.id !== input.except).map((u) => [u.id, u.email]));
  const url = `${input.appUrl}${alertPath(input.patientId, { note_id: noteId })}`;
  for (const email of recipients.values()) {
    if (noteId) await queueEmail(trx, { template: "safety-concern", to: email, props: { threadUrl: url } });
    else await queueEmail(trx, { template: "safety-alert", to: email, props: { patientUrl: url } });
  }
  await recordAudit(trx, audit, {
    action: "safety_alert.raise",
    entityType: "safety_alert",
    entityId: alert.id,
    patientId: input.patientId,
    detail: { notices: recipients.size },
  });
  return { ...alert, notices: recipients.size };
}

/** How many times a racing insert may find the patient's open alert acknowledged before it can be read. */
const OPEN_ALERT_ATTEMPTS = 3;

/**
 * The patient's open PHQ-9 alert, with this measure added to it: the one already open (locked, so
 * an acknowledgement waits for the signal to join), or a new one. Two signals at once both try to
 * open it; the unique partial index lets one in, and the other, finding it taken, joins it.
 */
async function openMeasureAlert(trx: Executor, patientId: string, measureId: string, now: Date) {
  for (let attempt = 1; ; attempt++) {
    const open = await trx
      .selectFrom("safety_alerts")
      .select("id")
      .where("patient_id", "=", patientId)
      .where("measure_id", "is not", null)
      .where("acknowledged_at", "is", null)
      .forUpdate()
      .executeTakeFirst();
    const created = open
      ? undefined
      : await trx
          .insertInto("safety_alerts")
          .values({ patient_id: patientId, measure_id: measureId, raised_at: now })
          .onConflict((oc) =>
            oc
              .column("patient_id")
              .where("measure_id", "is not", null)
              .where("acknowledged_at", "is", null)
              .doNothing(),
          )
          .returning("id")
          .executeTakeFirst();
    const id = open?.id ?? created?.id;
    if (id) {
      await trx
        .insertInto("safety_alert_measures")
        .values({ measure_id: measureId, alert_id: id, joined_at: now })
        .execute();
      const { signals } = await trx
        .selectFrom("safety_alert_measures")
        .select(sql<number>`count(*)::int`.as("signals"))
        .where("alert_id", "=", id)
        .executeTakeFirstOrThrow();
      return { id, joined: Boolean(open), signals };
    }
    if (attempt === OPEN_ALERT_ATTEMPTS) throw new Error("Could not open or join the patient's safety alert.");
  }
}

/**
 * For a select over safety alerts (`alias`): a PHQ-9 alert's signals (its measures) and the day the
 * latest of them was taken, a New York calendar date; 0 and null for a safety concern.
 */
export function alertSignals(alias: string) {
  const alertId = sql.ref(`${alias}.id`);
  return [
    sql<number>`(select count(*)::int from safety_alert_measures sm where sm.alert_id = ${alertId})`.as("signals"),
    sql<
      string | null
    >`(select max(m.taken_on) from safety_alert_measures sm join measures m on m.id = sm.measure_id where sm.alert_id = ${alertId})`.as(
      "taken_on",
    ),
  ] as const;
}

/**
 * Escalates every alert left unacknowledged for the clinic's escalation minutes, once each. Each
 * alert is claimed by a conditional update (still unacknowledged, not yet escalated), so when two
 * processes run the scheduler only one of them sends it; its emails and audit row commit with the
 * claim. Returns how many emails were queued.
 */
export async function escalateSafetyAlerts(db: Database, options: { now: Date; appUrl: string }): Promise<number> {
  const minutes = await safetyEscalationMinutes(db);
  const dueBefore = new Date(options.now.getTime() - minutes * 60_000);
  const due = await db
    .selectFrom("safety_alerts")
    .select(["id", "patient_id"])
    .where("acknowledged_at", "is", null)
    .where("escalated_at", "is", null)
    .where("raised_at", "<=", dueBefore)
    .orderBy("raised_at")
    .limit(ESCALATION_BATCH)
    .execute();
  let queued = 0;
  for (const candidate of due) {
    await db.transaction().execute(async (trx) => {
      const alert = await trx
        .updateTable("safety_alerts")
        .set({ escalated_at: options.now })
        .where("id", "=", candidate.id)
        .where("acknowledged_at", "is", null)
        .where("escalated_at", "is", null)
        .returning(["id", "patient_id", "note_id"])
        .executeTakeFirst();
      if (!alert) return;
      const recipients = await trx
        .selectFrom("users")
        .select("email")
        .where("role", "in", ["clinician", "admin"])
        .where("status", "=", "active")
        .execute();
      const alertUrl = `${options.appUrl}${alertPath(alert.patient_id, alert)}`;
      for (const r of recipients)
        await queueEmail(trx, { template: "safety-escalation", to: r.email, props: { alertUrl, minutes } });
      await recordAudit(trx, SYSTEM, {
        action: "safety_alert.escalate",
        entityType: "safety_alert",
        entityId: alert.id,
        patientId: alert.patient_id,
        detail: { minutes, notices: recipients.length },
      });
      queued += recipients.length;
    });
  }
  return queued;
}

/**
 * The actor's safety alerts raised in the last `days`, open ones first, then the newest: as a query,
 * for pages that read it beside other lists in one statement (`withMinutesToAcknowledge` on each row).
 */
export function recentSafetyAlertsQuery(db: Executor, actor: Actor, input: { now: Date; days: number; limit: number }) {
  return (
    db
      .selectFrom("safety_alerts as a")
      .innerJoin("patients", "patients.id", "a.patient_id")
      .leftJoin("users as u", "u.id", "a.acknowledged_by")
      .select([
        "a.id",
        "a.patient_id",
        "a.note_id",
        "a.raised_at",
        "a.acknowledged_at",
        "a.escalated_at",
        "u.name as acknowledged_by_name",
        "patients.first_name",
        "patients.last_name",
        "patients.record_number",
        ...alertSignals("a"),
      ])
      .where(alertVisibleTo(actor, clinicToday(input.now)))
      .where("a.raised_at", ">", plusDays(input.now, -input.days))
      // Open ones first, then the newest.
      .orderBy(sql`a.acknowledged_at is not null`)
      .orderBy("a.raised_at", "desc")
      .orderBy("a.id")
      .limit(input.limit)
  );
}

/** The actor's recent safety alerts (`recentSafetyAlertsQuery`), each with its minutes to acknowledgement. */
export async function recentSafetyAlerts(
  db: Executor,
  actor: Actor,
  input: { now: Date; days: number; limit: number },
) {
  return (await recentSafetyAlertsQuery(db, actor, input).execute()).map(withMinutesToAcknowledge);
}

/** An alert row with the whole minutes it took to acknowledge (null while open). */
export function withMinutesToAcknowledge<R extends { raised_at: Date | string; acknowledged_at: Date | string | null }>(
  row: R,
) {
  return { ...row, minutesToAcknowledge: minutesBetween(row.raised_at, row.acknowledged_at) };
}

/** Whole minutes from raising to acknowledgement, rounded up so a quick answer never reads as 0; null while open. */
export function minutesBetween(raisedAt: Date | string, acknowledgedAt: Date | string | null): number | null {
  if (!acknowledgedAt) return null;
  return Math.max(1, Math.ceil((new Date(acknowledgedAt).getTime() - new Date(raisedAt).getTime()) / 60_000));
}

/**
 * For a query over `safety_alerts as a` joined to `patients`: the actor may see this alert. Ember
 * staff see every one; an outside provider sees a safety concern only under a release covering care
 * notes and a PHQ-9 alert only under one covering symptom measures, as with the page each links to.
 */
function alertVisibleTo(actor: Pick<Actor, "id" | "role">, today: string) {
  return (eb: ExpressionBuilder<DB & { a: DB["safety_alerts"] }, "a" | "patients">) =>
    eb.or([
      eb.and([eb("a.note_id", "is not", null), patientVisibleTo(actor, today, "care_notes")(eb)]),
      eb.and([eb("a.measure_id", "is not", null), patientVisibleTo(actor, today, "symptom_measures")(eb)]),
    ]);
}

/**
 * This patient's alerts not yet acknowledged, oldest first, for the patient's overview: safety
 * concerns only when the viewer's release covers care notes, PHQ-9 alerts only when it covers
 * symptom measures (the overview itself needs neither).
 */
export async function openPatientSafetyAlerts(db: Executor, patient: CheckedPatient) {
  const notes = patient.scopes.includes("care_notes");
  const measures = patient.scopes.includes("symptom_measures");
  if (!notes && !measures) return [];
  let query = db
    .selectFrom("safety_alerts")
    .select(["id", "note_id", "raised_at", "escalated_at", ...alertSignals("safety_alerts")])
    .where("patient_id", "=", patient.id)
    .where("acknowledged_at", "is", null);
  if (!notes) query = query.where("note_id", "is", null);
  if (!measures) query = query.where("measure_id", "is", null);
  return query.orderBy("raised_at").execute();
}
