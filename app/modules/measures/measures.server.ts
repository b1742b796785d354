import type { Expression } from "kysely";
import { jsonArrayFrom, jsonObjectFrom } from "kysely/helpers/postgres";
import type { Actor } from "~/auth/actor";
import { queueEmail } from "~/email/outbox.server";
import { clinicToday, plusDays, addDays } from "~/lib/time";
import type { Database, Executor } from "../../../db/engine";
import { recordAudit, type AuditContext } from "~/audit/audit.server";
import { clinicDay } from "~/modules/infusions/windows";
import { careTeamWithAccessQuery } from "~/modules/patients/care-team.server";
import type { CheckedPatient } from "~/modules/patients/patients.server";
import { patientVisibleTo } from "~/modules/patients/policy.server";
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
 * the care team in the same transaction. A score that shows lost response opens a booster review.
 */
export async function recordMeasure(
  db: Database,
  actor: Actor,
  audit: AuditContext,
  input: { patientId: string; instrument: Instrument; takenOn: string; items: number[]; now: Date; appUrl: string },
): Promise<{ id: string; safetyAlert: boolean; boosterReview: boolean }> {
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

    const safetyAlert = input.instrument === "PHQ9" && phq9SafetySignal(items);
    if (safetyAlert)
      await raiseSafetyAlert(trx, audit, {
        patientId: input.patientId,
        signal: { measureId: row.id },
        now: input.now,
        appUrl: input.appUrl,
      });
    const boosterReview = await openScoreReview(trx, audit, input.patientId, input.instrument, input.now);
    return { id: row.id, safetyAlert, boosterReview };
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

/** Safety alerts not yet acknowledged on patients whose measures this actor may see: they stay on dashboards until then. */
export async function openSafetyAlerts(db: Executor, actor: Actor, today: string) {
  return (
    db
      .selectFrom("safety_alerts as a")
      .innerJoin("patients", "patients.id", "a.patient_id")
      .select(["a.id", "a.patient_id", "a.raised_at", "a.escalated_at", "patients.first_name", "patients.last_name"])
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

export interface DuePoint {
  key: string;
  label: string;
  dueFrom: string;
  dueTo: string;
  done: boolean;
}

/**
 * When measures fall due for the newest course: at baseline (before the first visit), after the
 * last visit, and 2 and 4 weeks later. A due point is met by a PHQ-9 and a PCL-5 both in its range.
 */
export function duePoints(
  course: { courseId: string; firstDay: string; lastDay: string } | null,
  scores: { instrument: string; taken_on: string }[],
): DuePoint[] {
  if (!course) return [];
  const after = (day: string, n: number) => addDays(day, n);
  const points = [
    {
      key: "baseline",
      label: "Baseline, before the first infusion",
      dueFrom: after(course.firstDay, -30),
      dueTo: course.firstDay,
    },
    {
      key: "post",
      label: "After the last infusion of the course",
      dueFrom: course.lastDay,
      dueTo: after(course.lastDay, 7),
    },
    {
      key: "week2",
      label: "2 weeks after the course",
      dueFrom: after(course.lastDay, 11),
      dueTo: after(course.lastDay, 21),
    },
    {
      key: "week4",
      label: "4 weeks after the course",
      dueFrom: after(course.lastDay, 25),
      dueTo: after(course.lastDay, 35),
    },
  ];
  return points.map((p) => ({
    ...p,
    key: `${course.courseId}:${p.key}`,
    done: (["PHQ9", "PCL5"] as const).every((i) =>
      scores.some((s) => s.instrument === i && s.taken_on >= p.dueFrom && s.taken_on <= p.dueTo),
    ),
  }));
}

/** The newest course's first and last visit, for a patient id or a patient column of an outer query. */
function newestCourseQuery(db: Executor, patientId: string | Expression<string>) {
  return db
    .selectFrom("infusion_visits")
    .select([
      "course_id",
      (eb) => eb.fn.min("starts_at").as("first_start"),
      (eb) => eb.fn.max("starts_at").as("last_start"),
    ])
    .where("patient_id", "=", patientId)
    .where("kind", "=", "course")
    .where("status", "!=", "cancelled")
    .groupBy("course_id")
    .orderBy("first_start", "desc")
    .limit(1);
}

function courseDays(
  row: { course_id: string; first_start: Date | string; last_start: Date | string } | null | undefined,
) {
  if (!row) return null;
  return {
    courseId: row.course_id,
    firstDay: clinicDay(new Date(row.first_start)),
    lastDay: clinicDay(new Date(row.last_start)),
  };
}

export async function newestCourse(db: Executor, patient: CheckedPatient<"symptom_measures">) {
  return courseDays(await newestCourseQuery(db, patient.id).executeTakeFirst());
}

/**
 * Reminds, once per due point, the outside providers who record this patient's measures (the
 * primary therapist, and whoever recorded the last one) when a due point opens unmet.
 */
export async function queueMeasureReminders(db: Database, options: { now: Date; appUrl: string }): Promise<number> {
  const today = clinicToday(options.now);
  // Every patient with a course around now, with their newest course, measures and care team,
  // in one statement.
  const patients = await db
    .with("recent", (qb) =>
      qb
        .selectFrom("infusion_visits")
        .select("patient_id")
        .distinct()
        .where("kind", "=", "course")
        .where("status", "!=", "cancelled")
        .where("starts_at", ">", plusDays(options.now, -45))
        .where("starts_at", "<", plusDays(options.now, 31)),
    )
    .selectFrom("recent as p")
    .select((eb) => [
      "p.patient_id",
      jsonObjectFrom(newestCourseQuery(db, eb.ref("p.patient_id"))).as("course"),
      jsonArrayFrom(
        db
          .selectFrom("measures as s")
          .select(["s.instrument", "s.taken_on", "s.recorded_by"])
          .where("s.patient_id", "=", eb.ref("p.patient_id"))
          .orderBy("s.recorded_at"),
      ).as("scores"),
      jsonArrayFrom(careTeamWithAccessQuery(db, eb.ref("p.patient_id"), today, "symptom_measures")).as("team"),
    ])
    .execute();
  let queued = 0;
  for (const { patient_id, scores, team, ...found } of patients) {
    const course = courseDays(found.course);
    const open = duePoints(course, scores).filter((p) => !p.done && p.dueFrom <= today && today <= p.dueTo);
    const lastRecorder = scores.at(-1)?.recorded_by;
    const recipients = team.filter((m) => m.team_role === "primary_therapist" || m.id === lastRecorder);
    for (const point of open) {
      for (const r of recipients) {
        await db.transaction().execute(async (trx) => {
          const claimed = await trx
            .insertInto("measure_reminders")
            .values({ patient_id, user_id: r.id, due_key: point.key, sent_at: options.now })
            .onConflict((oc) => oc.columns(["patient_id", "user_id", "due_key"]).doNothing())
            .returning("id")
            .executeTakeFirst();
          if (!claimed) return;
          await queueEmail(trx, {
            template: "measure-reminder",
            to: r.email,
            props: { measuresUrl: `${options.appUrl}/patients/${patient_id}/measures` },
          });
          queued++;
        });
      }
    }
  }
  return queued;
}
