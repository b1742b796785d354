import { sql } from "kysely";
import { jsonArrayFrom, jsonObjectFrom } from "kysely/helpers/postgres";
import type { Database, Executor } from "../../../db/engine";
import { recordAudit, type AuditContext } from "~/audit/audit.server";
import { clinicToday, formatDate } from "~/lib/time";
import type { Actor } from "~/auth/actor";
import {
  engagementRowsQuery,
  gateAnswer,
  newestPerProvider,
  type GateDetail,
} from "~/modules/engagement/engagement.server";
import { RISK_FLAGS } from "~/modules/patients/labels";
import { currentReleaseUntil } from "~/modules/patients/policy.server";
import { vitalFlags, type VitalLimits, type Vitals } from "./vitals";
import { onReviewList } from "~/modules/medications/medications.server";
import { OUTSIDE_PROVIDER_ROLES } from "~/lib/roles";

/**
 * The pre-infusion check: everything a clinician must see before starting an infusion, read in
 * one statement (the visit, the engagement gate's inputs, releases, latest scores, open alerts,
 * risk flags, medications to review, the last vital signs and the clinic's limits), and the
 * findings it adds up to. Completing the check keeps those findings as they were at that moment.
 */

export class CheckError extends Error {}

function checkQuery(db: Executor, patientId: string, visitId: string, now: Date) {
  const today = clinicToday(now);
  return db
    .selectFrom("infusion_visits as v")
    .innerJoin("patients as p", "p.id", "v.patient_id")
    .innerJoin("users as cu", "cu.id", "v.clinician_id")
    .innerJoin("locations as l", "l.id", "v.location_id")
    .leftJoin("users as chk", "chk.id", "v.checked_by")
    .leftJoin("users as ov", "ov.id", "v.gate_override_by")
    .select([
      "v.id",
      "v.course_id",
      "v.kind",
      "v.status",
      "v.starts_at",
      "v.ends_at",
      "v.window_closes_at",
      "v.cancel_reason",
      "v.stopped_early_reason",
      "v.gate_override_reason",
      "v.gate_override_at",
      "ov.name as gate_override_by_name",
      "v.checked_at",
      "v.check_findings",
      "chk.name as checked_by_name",
      "cu.name as clinician_name",
      "l.name as location_name",
      "p.diagnoses",
      "p.risk_flags",
    ])
    .select((eb) => [
      jsonArrayFrom(engagementRowsQuery(db, patientId, now)).as("engagement"),
      eb
        .selectFrom("eligibility_discussions as d")
        .select((d) => d.fn.countAll<string>().as("n"))
        .whereRef("d.patient_id", "=", "v.patient_id")
        .as("discussions"),
      jsonArrayFrom(
        eb
          .selectFrom("care_team_members as m")
          .innerJoin("users as u", "u.id", "m.user_id")
          .select(["u.id", "u.name", "u.role"])
          .select(
            currentReleaseUntil(sql.ref<string>("m.patient_id"), sql.ref<string>("m.user_id"), today).as(
              "release_until",
            ),
          )
          .whereRef("m.patient_id", "=", "v.patient_id")
          .where("m.ended_at", "is", null)
          .where("u.role", "in", OUTSIDE_PROVIDER_ROLES)
          .orderBy("u.name"),
      ).as("team"),
      ...(["PHQ9", "PCL5"] as const).map((instrument) =>
        jsonObjectFrom(
          eb
            .selectFrom("measures as ms")
            .select(["ms.taken_on", "ms.total", sql<number>`ms.items[9]`.as("item9")])
            .whereRef("ms.patient_id", "=", "v.patient_id")
            .where("ms.instrument", "=", instrument)
            .orderBy("ms.taken_on", "desc")
            .orderBy("ms.recorded_at", "desc")
            .limit(1),
        ).as(instrument === "PHQ9" ? "phq9" : "pcl5"),
      ),
      jsonArrayFrom(
        eb
          .selectFrom("safety_alerts as a")
          .select(["a.id", "a.raised_at", "a.escalated_at", sql<boolean>`a.note_id is not null`.as("from_note")])
          .whereRef("a.patient_id", "=", "v.patient_id")
          .where("a.acknowledged_at", "is", null)
          .orderBy("a.raised_at"),
      ).as("alerts"),
      jsonArrayFrom(
        eb
          .selectFrom("patient_medications as pm")
          .innerJoin("medication_review_list as rl", (join) =>
            join.on("rl.retired_at", "is", null).on(onReviewList("rl", "pm")),
          )
          .select(["pm.id", "pm.name", "pm.dose", sql<string>`min(rl.name)`.as("review_list")])
          .whereRef("pm.patient_id", "=", "v.patient_id")
          .where((w) => w.or([w("pm.stopped_on", "is", null), w("pm.stopped_on", ">=", today)]))
          .where((w) =>
            w.not(
              w.exists(
                w
                  .selectFrom("medication_reviews as mr")
                  .select("mr.id")
                  .whereRef("mr.medication_id", "=", "pm.id")
                  .whereRef("mr.course_id", "=", "v.course_id"),
              ),
            ),
          )
          .groupBy(["pm.id", "pm.name", "pm.dose"])
          .orderBy("pm.name"),
      ).as("medications"),
      jsonObjectFrom(
        eb
          .selectFrom("infusion_records as r")
          .selectAll("r")
          .whereRef("r.patient_id", "=", "v.patient_id")
          .orderBy("r.started_at", "desc")
          .limit(1),
      ).as("last_record"),
      jsonObjectFrom(
        eb
          .selectFrom("clinic_settings as s")
          .select([
            "s.bp_systolic_limit as systolic",
            "s.bp_diastolic_limit as diastolic",
            "s.heart_rate_limit as heartRate",
            "s.spo2_floor as spo2Floor",
          ]),
      ).as("limits"),
    ])
    .where("v.id", "=", visitId)
    .where("v.patient_id", "=", patientId);
}

const DEFAULT_LIMITS: VitalLimits = { systolic: 160, diastolic: 100, heartRate: 110, spo2Floor: 92 };

/** JSON carries instants as text: the engagement rows come back to the types the gate reads. */
function reviveInstants<T extends Record<string, unknown>>(row: T): T {
  const out: Record<string, unknown> = { ...row };
  for (const [key, value] of Object.entries(row))
    if (key.endsWith("_at") && typeof value === "string") out[key] = new Date(value);
  return out as T;
}

type CheckRow = NonNullable<Awaited<ReturnType<ReturnType<typeof checkQuery>["executeTakeFirst"]>>>;

function assemble(row: CheckRow, now: Date) {
  const records = newestPerProvider(
    row.engagement.map((e) => reviveInstants(e) as unknown as Parameters<typeof newestPerProvider>[0][number]),
    now,
    clinicToday(now),
  );
  const gate: GateDetail = gateAnswer({ diagnoses: row.diagnoses }, records, Number(row.discussions ?? 0));
  const limits: VitalLimits = row.limits ?? DEFAULT_LIMITS;
  const last = row.last_record as (Vitals & { started_at: string }) | null;
  const riskLabel = new Map<string, string>(RISK_FLAGS.map((f) => [f.value, f.label]));
  return {
    visit: {
      id: row.id,
      courseId: row.course_id,
      kind: row.kind,
      status: row.status,
      startsAt: row.starts_at,
      endsAt: row.ends_at,
      windowClosesAt: row.window_closes_at,
      cancelReason: row.cancel_reason,
      stoppedEarlyReason: row.stopped_early_reason,
      override: row.gate_override_reason
        ? { reason: row.gate_override_reason, by: row.gate_override_by_name, at: row.gate_override_at }
        : null,
      clinicianName: row.clinician_name,
      locationName: row.location_name,
      started: row.starts_at <= now,
    },
    completed: row.checked_at
      ? { at: row.checked_at, by: row.checked_by_name, findings: row.check_findings ?? [] }
      : null,
    gate,
    team: row.team.map((m) => ({ id: m.id, name: m.name, role: m.role, releaseUntil: m.release_until })),
    phq9: row.phq9,
    pcl5: row.pcl5,
    alerts: row.alerts,
    riskFlags: row.risk_flags.map((f) => riskLabel.get(f) ?? f),
    medications: row.medications,
    lastVitals: last ? { takenAt: new Date(last.started_at), vitals: last, flags: vitalFlags(last, limits) } : null,
    limits,
  };
}

type CheckData = ReturnType<typeof assemble>;
export type PreInfusionCheck = CheckData & { findings: string[] };

/** The check of one visit of this patient, or null when the visit is not theirs. */
export async function preInfusionCheck(
  db: Executor,
  patientId: string,
  visitId: string,
  now: Date,
): Promise<PreInfusionCheck | null> {
  const row = await checkQuery(db, patientId, visitId, now).executeTakeFirst();
  if (!row) return null;
  const check = assemble(row, now);
  return { ...check, findings: checkFindings(check) };
}

/** What the clinician must weigh before starting, one line each; empty when nothing stands out. */
export function checkFindings(check: CheckData): string[] {
  const findings: string[] = [];
  if (!check.gate.allowed) findings.push(...check.gate.reasons.map((r) => `Engagement gate: ${r}`));
  for (const member of check.team)
    if (!member.releaseUntil) findings.push(`No current release of information for ${member.name}.`);
  if (check.phq9 && check.phq9.item9 > 0)
    findings.push(
      `PHQ-9 item 9 (thoughts of self-harm) answered ${check.phq9.item9} on ${formatDate(check.phq9.taken_on)}.`,
    );
  if (check.alerts.length > 0)
    findings.push(
      `${check.alerts.length} open safety alert${check.alerts.length === 1 ? "" : "s"} not yet acknowledged.`,
    );
  for (const flag of check.riskFlags) findings.push(`Risk flag: ${flag}.`);
  for (const m of check.medications) findings.push(`Medication to review: ${m.name} (${m.review_list}).`);
  if (check.lastVitals) findings.push(...check.lastVitals.flags.map((f) => `Last recorded vitals: ${f}`));
  return findings;
}

/**
 * Marks the check done, keeping what it found; once per visit, only on a scheduled visit, and by
 * an Ember clinician (the route admits no one else).
 */
export async function completePreInfusionCheck(
  db: Database,
  actor: Actor,
  audit: AuditContext,
  input: { patientId: string; visitId: string; now: Date },
) {
  const check = await preInfusionCheck(db, input.patientId, input.visitId, input.now);
  if (!check) throw new CheckError("That visit is not on this patient's schedule.");
  const done = await db.transaction().execute(async (trx) => {
    const updated = await trx
      .updateTable("infusion_visits")
      .set({ checked_at: input.now, checked_by: actor.id, check_findings: check.findings })
      .where("id", "=", input.visitId)
      .where("patient_id", "=", input.patientId)
      .where("status", "=", "scheduled")
      .where("checked_at", "is", null)
      .returning("id")
      .executeTakeFirst();
    if (updated)
      await recordAudit(trx, audit, {
        action: "visit.check.complete",
        entityType: "infusion_visit",
        entityId: input.visitId,
        patientId: input.patientId,
        detail: { findings: check.findings.length },
      });
    return updated;
  });
  if (!done) {
    if (check.completed) throw new CheckError("The check of this visit is already complete.");
    throw new CheckError("Only a scheduled visit can be checked.");
  }
  return check.findings;
}
