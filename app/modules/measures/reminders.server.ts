import type { Expression } from "kysely";
import { jsonArrayFrom, jsonObjectFrom } from "kysely/helpers/postgres";
import { queueEmail } from "~/email/outbox.server";
import { clinicToday, plusDays, addDays } from "~/lib/time";
import type { Database, Executor } from "../../../db/engine";
import { clinicDay } from "~/modules/infusions/windows";
import { careTeamWithAccessQuery } from "~/modules/patients/care-team.server";
import type { CheckedPatient } from "~/modules/patients/patients.server";

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
