import { sql, type ExpressionBuilder } from "kysely";
import type { DB } from "../../../db/schema";
import type { Actor } from "~/auth/actor";
import type { Executor } from "../../../db/engine";
import { recordAudit, type AuditContext } from "~/audit/audit.server";

/**
 * A patient's medications as staff and the outside psychiatrist record them, and the clinic's list
 * of medications to review before ketamine. A listed medication that the patient takes shows on
 * the pre-infusion check until a clinician marks it reviewed for that course.
 */

export class MedicationError extends Error {}

/**
 * The clinic's matching rule, as SQL on a review-list row and a medication row (their aliases):
 * the medication's name contains one of the entry's names, in any case.
 */
export function onReviewList(entry: string, medication: string) {
  return sql<boolean>`exists (select 1 from unnest(${sql.ref(`${entry}.match_terms`)}) t where position(t in lower(${sql.ref(`${medication}.name`)})) > 0)`;
}

/** The review-list entry a medication's name falls under, if any (first by name). */
function reviewListName(eb: ExpressionBuilder<DB & { m: DB["patient_medications"] }, "m">) {
  return eb
    .selectFrom("medication_review_list as r")
    .select("r.name")
    .where("r.retired_at", "is", null)
    .where(onReviewList("r", "m"))
    .orderBy("r.name")
    .limit(1);
}

/**
 * The course a review counts for: the course of the patient's next scheduled visit (today's
 * included), or else their most recent course. Null before any course is booked.
 */
export async function currentCourseId(db: Executor, patientId: string, now: Date): Promise<string | null> {
  const row = await db
    .selectFrom("infusion_courses as c")
    .select("c.id")
    .where("c.patient_id", "=", patientId)
    .orderBy(
      (eb) =>
        eb
          .selectFrom("infusion_visits as v")
          .select(sql<Date>`min(v.starts_at)`.as("next"))
          .whereRef("v.course_id", "=", "c.id")
          .where("v.status", "=", "scheduled")
          .where("v.ends_at", ">=", now),
      sql`asc nulls last`,
    )
    .orderBy("c.created_at", "desc")
    .limit(1)
    .executeTakeFirst();
  return row?.id ?? null;
}

/** Every medication on file (current first), each with its review-list entry and its review for `courseId`. */
export async function patientMedications(db: Executor, patientId: string, courseId: string | null) {
  return db
    .selectFrom("patient_medications as m")
    .innerJoin("users as u", "u.id", "m.entered_by")
    .leftJoin("medication_reviews as mr", (join) =>
      join.onRef("mr.medication_id", "=", "m.id").on("mr.course_id", "=", courseId ?? sql<string>`null::uuid`),
    )
    .leftJoin("users as ru", "ru.id", "mr.reviewed_by")
    .select((eb) => [
      "m.id",
      "m.name",
      "m.dose",
      "m.prescriber",
      "m.started_on",
      "m.stopped_on",
      "m.entered_at",
      "u.name as entered_by_name",
      reviewListName(eb).as("review_list"),
      "mr.reviewed_at",
      "ru.name as reviewed_by_name",
    ])
    .where("m.patient_id", "=", patientId)
    .orderBy(sql`m.stopped_on is not null`)
    .orderBy("m.entered_at", "desc")
    .execute();
}

export type PatientMedication = Awaited<ReturnType<typeof patientMedications>>[number];

/** A medication is to review while it is current, on the clinic's list, and not yet reviewed for the course. */
export const isToReview = (m: PatientMedication, today: string) =>
  m.review_list !== null && m.reviewed_at === null && (m.stopped_on === null || m.stopped_on >= today);

export interface MedicationInput {
  patientId: string;
  name: string;
  dose: string;
  prescriber: string;
  startedOn: string | null;
}

export async function addMedication(db: Executor, actor: Actor, audit: AuditContext, input: MedicationInput) {
  return db.transaction().execute(async (trx) => {
    const { id } = await trx
      .insertInto("patient_medications")
      .values({
        patient_id: input.patientId,
        name: input.name,
        dose: input.dose,
        prescriber: input.prescriber,
        started_on: input.startedOn,
        entered_by: actor.id,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    await recordAudit(trx, audit, {
      action: "medication.add",
      entityType: "medication",
      entityId: id,
      patientId: input.patientId,
    });
    return id;
  });
}

export async function stopMedication(
  db: Executor,
  audit: AuditContext,
  input: { patientId: string; medicationId: string; stoppedOn: string },
) {
  await db.transaction().execute(async (trx) => {
    const stopped = await trx
      .updateTable("patient_medications")
      .set({ stopped_on: input.stoppedOn })
      .where("id", "=", input.medicationId)
      .where("patient_id", "=", input.patientId)
      .where("stopped_on", "is", null)
      .where((eb) => eb.or([eb("started_on", "is", null), eb("started_on", "<=", input.stoppedOn)]))
      .returning("id")
      .executeTakeFirst();
    if (!stopped) {
      const current = await trx
        .selectFrom("patient_medications")
        .select(["stopped_on", "started_on"])
        .where("id", "=", input.medicationId)
        .where("patient_id", "=", input.patientId)
        .executeTakeFirst();
      if (!current) throw new MedicationError("That medication is not on this patient's list.");
      if (current.stopped_on)
        throw new MedicationError(`This medication was already stopped on ${current.stopped_on}.`);
      throw new MedicationError(`The stop date cannot be before the start date (${current.started_on}).`);
    }
    await recordAudit(trx, audit, {
      action: "medication.stop",
      entityType: "medication",
      entityId: input.medicationId,
      patientId: input.patientId,
    });
  });
}

/** A clinician's review of a listed medication for the patient's current course; once per course. */
export async function markMedicationReviewed(
  db: Executor,
  actor: Actor,
  audit: AuditContext,
  input: { patientId: string; medicationId: string; now: Date },
) {
  await db.transaction().execute(async (trx) => {
    const courseId = await currentCourseId(trx, input.patientId, input.now);
    if (!courseId)
      throw new MedicationError("Book a course first: a medication is reviewed for a course of infusions.");
    const medication = await trx
      .selectFrom("patient_medications")
      .select("id")
      .where("id", "=", input.medicationId)
      .where("patient_id", "=", input.patientId)
      .executeTakeFirst();
    if (!medication) throw new MedicationError("That medication is not on this patient's list.");
    const reviewed = await trx
      .insertInto("medication_reviews")
      .values({ medication_id: input.medicationId, course_id: courseId, reviewed_by: actor.id })
      .onConflict((oc) => oc.columns(["medication_id", "course_id"]).doNothing())
      .returning("id")
      .executeTakeFirst();
    if (!reviewed) throw new MedicationError("This medication is already reviewed for the current course.");
    await recordAudit(trx, audit, {
      action: "medication.review",
      entityType: "medication",
      entityId: input.medicationId,
      patientId: input.patientId,
      detail: { courseId },
    });
  });
}

/** The clinic's list, as admins keep it. */
export async function reviewList(db: Executor) {
  return db
    .selectFrom("medication_review_list")
    .select(["id", "name", "match_terms", "added_at"])
    .where("retired_at", "is", null)
    .orderBy("name")
    .execute();
}

export async function addToReviewList(db: Executor, audit: AuditContext, input: { name: string; terms: string[] }) {
  try {
    await db.transaction().execute(async (trx) => {
      const { id } = await trx
        .insertInto("medication_review_list")
        .values({ name: input.name, match_terms: input.terms })
        .returning("id")
        .executeTakeFirstOrThrow();
      await recordAudit(trx, audit, { action: "medication_list.add", entityType: "medication_list", entityId: id });
    });
  } catch (error) {
    // The list's unique index (current names, any case) settles two admins adding the same name.
    if ((error as { code?: string }).code === "23505")
      throw new MedicationError(`"${input.name}" is already on the list.`);
    throw error;
  }
}

export async function retireFromReviewList(db: Executor, audit: AuditContext, id: string, now: Date) {
  await db.transaction().execute(async (trx) => {
    const retired = await trx
      .updateTable("medication_review_list")
      .set({ retired_at: now })
      .where("id", "=", id)
      .where("retired_at", "is", null)
      .returning("id")
      .executeTakeFirst();
    if (!retired) throw new MedicationError("That entry is no longer on the list.");
    await recordAudit(trx, audit, { action: "medication_list.retire", entityType: "medication_list", entityId: id });
  });
}
