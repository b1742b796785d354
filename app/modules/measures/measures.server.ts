import type { Actor } from "~/auth/actor";
import { clinicToday, addDays } from "~/lib/time";
import type { Database, Executor } from "../../../db/engine";
import { recordAudit, type AuditContext } from "~/audit/audit.server";
import { clinicDay } from "~/modules/infusions/windows";
import type { CheckedPatient } from "~/modules/patients/patients.server";
import { raiseSafetyAlert } from "~/modules/safety/alerts.server";
import {
  baselineFor,
  changeFromBaseline,
  lostResponse,
  meaningfulWorsening,
  pcl5Clusters,
  phq9Band,
  phq9SafetySignal,
  probablePtsd,
  total,
  validateItems,
  type Instrument,
  type MeasureSettings,
} from "./scoring";

export async function measureSettings(db: Executor): Promise<MeasureSettings> {
  const s = await db
    .selectFrom("clinic_settings")
    .select(["pcl5_threshold", "pcl5_meaningful_change"])
    .executeTakeFirstOrThrow();
  return { pcl5Threshold: s.pcl5_threshold, pcl5MeaningfulChange: s.pcl5_meaningful_change };
}

/**
 * Records a PHQ-9 or PCL-5, item by item; the total is computed here, never typed. A PHQ-9 with
 * item 9 above 0 raises a safety alert, which notifies the Ember clinicians, the coordinators and
 * the care team in the same transaction, or joins the patient's PHQ-9 alert still open, notifying
 * nobody again. A score that shows lost response opens a booster review.
 */
export async function recordMeasure(
  db: Database,
  actor: Actor,
  audit: AuditContext,
  input: { patientId: string; instrument: Instrument; takenOn: string; items: number[]; now: Date; appUrl: string },
): Promise<{ id: string; safetyAlert: { joined: boolean; signals: number } | null; boosterReview: boolean }> {
  const items = validateItems(input.instrument, input.items);
  const score = total(items);
  return db.transaction().execute(async (trx) => {
    const row = await trx
      .insertInto("measures")
      .values({
        patient_id: input.patientId,
        instrument: input.instrument,
        taken_on: input.takenOn,
        items,
        total: score,
        recorded_by: actor.id,
        recorded_at: input.now,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    await recordAudit(trx, audit, {
      action: "measure.record",
      entityType: "measure",
      entityId: row.id,
      patientId: input.patientId,
      detail: { instrument: input.instrument },
    });

    const alert =
      input.instrument === "PHQ9" && phq9SafetySignal(items)
        ? await raiseSafetyAlert(trx, audit, {
            patientId: input.patientId,
            signal: { measureId: row.id },
            now: input.now,
            appUrl: input.appUrl,
          })
        : null;
    const boosterReview = await openScoreReview(trx, audit, input.patientId, input.instrument, input.now);
    return {
      id: row.id,
      safetyAlert: alert ? { joined: alert.joined, signals: alert.signals } : null,
      boosterReview,
    };
  });
}

/**
 * Opens a booster review when the newest scores show lost response, or a PCL-5 meaningfully worse
 * than its baseline, unless one is already open: either way the team decides what to do next.
 */
async function openScoreReview(
  db: Executor,
  audit: AuditContext,
  patientId: string,
  instrument: Instrument,
  now: Date,
): Promise<boolean> {
  const course = await db
    .selectFrom("infusion_visits")
    .select(["course_id", (eb) => eb.fn.min("starts_at").as("first_start")])
    .where("patient_id", "=", patientId)
    .where("kind", "=", "course")
    .where("status", "!=", "cancelled")
    .groupBy("course_id")
    .orderBy("first_start", "desc")
    .executeTakeFirst();
  if (!course) return false;
  const firstDay = clinicDay(new Date(course.first_start as unknown as string));
  const scores = await db
    .selectFrom("measures")
    .select(["id", "instrument", "taken_on", "total"])
    .where("patient_id", "=", patientId)
    .where("instrument", "=", instrument)
    .orderBy("taken_on")
    .orderBy("recorded_at")
    .execute();
  const baseline = baselineFor(scores, instrument, firstDay);
  if (!baseline) return false;
  const later = scores.filter((s) => s.taken_on > firstDay).map((s) => s.total);
  const latest = later.at(-1);
  const reason = lostResponse(baseline.total, later)
    ? "loss_of_response"
    : latest !== undefined && meaningfulWorsening(instrument, baseline.total, latest, await measureSettings(db))
      ? "meaningful_worsening"
      : null;
  if (!reason) return false;
  const open = await db
    .selectFrom("booster_reviews")
    .select("id")
    .where("patient_id", "=", patientId)
    .where("decided_at", "is", null)
    .executeTakeFirst();
  if (open) return false;
  const today = clinicToday(now);
  const review = await db
    .insertInto("booster_reviews")
    .values({
      patient_id: patientId,
      course_id: null,
      reason,
      due_from: today,
      due_to: addDays(today, 7),
      created_at: now,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  await recordAudit(db, audit, {
    action: "booster_review.due",
    entityType: "booster_review",
    entityId: review.id,
    patientId,
    detail: { reason, instrument },
  });
  return true;
}

/** Every score of the patient with its computed bands, clusters and change from its course's baseline. */
export async function patientMeasures(db: Executor, patient: CheckedPatient<"symptom_measures">) {
  const patientId = patient.id;
  const [settings, scores, visits] = await Promise.all([
    measureSettings(db),
    db
      .selectFrom("measures as m")
      .innerJoin("users as u", "u.id", "m.recorded_by")
      .select([
        "m.id",
        "m.instrument",
        "m.taken_on",
        "m.items",
        "m.total",
        "m.recorded_at",
        "u.name as recorded_by_name",
      ])
      .where("m.patient_id", "=", patientId)
      .orderBy("m.taken_on")
      .orderBy("m.recorded_at")
      .execute(),
    db
      .selectFrom("infusion_visits")
      .select(["id", "course_id", "kind", "starts_at", "status"])
      .where("patient_id", "=", patientId)
      .where("status", "!=", "cancelled")
      .orderBy("starts_at")
      .execute(),
  ]);
  // Each course starts on its FIRST visit's day: visits come in time order, so the first one seen per course is kept.
  const firstDays = new Map<string, string>();
  for (const v of visits)
    if (v.kind === "course" && !firstDays.has(v.course_id)) firstDays.set(v.course_id, clinicDay(v.starts_at));
  const courseStarts = [...firstDays.values()];
  const rows = scores.map((s) => {
    // The course this score follows: the latest course whose first visit is on or before the score's date.
    const courseStart = courseStarts.filter((d) => d <= s.taken_on).at(-1) ?? courseStarts[0];
    const baseline = courseStart ? baselineFor(scores, s.instrument, courseStart) : undefined;
    const isBaseline = baseline?.id === s.id;
    return {
      ...s,
      band: s.instrument === "PHQ9" ? phq9Band(s.total) : null,
      clusters: s.instrument === "PCL5" ? pcl5Clusters(s.items) : null,
      probablePtsd: s.instrument === "PCL5" ? probablePtsd(s.total, settings) : null,
      safetySignal: s.instrument === "PHQ9" && phq9SafetySignal(s.items),
      isBaseline,
      change:
        baseline && !isBaseline && s.taken_on > baseline.taken_on
          ? changeFromBaseline(s.instrument, baseline.total, s.total, settings)
          : null,
    };
  });
  return { settings, rows, visits };
}
