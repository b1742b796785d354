import type { Actor } from "~/auth/actor";
import type { Database, Executor } from "../../../db/engine";
import { recordAudit, type AuditContext } from "~/audit/audit.server";
import type { CheckedPatient } from "~/modules/patients/patients.server";
import { patientVisibleTo } from "~/modules/patients/policy.server";

/** Booster reviews with no decision yet, for the patients whose infusion schedule this actor may see. */
export function openBoosterReviewsQuery(
  db: Executor,
  actor: Actor,
  today: string,
  patient?: CheckedPatient<"infusion_schedule">,
) {
  let query = db
    .selectFrom("booster_reviews as b")
    .innerJoin("patients", "patients.id", "b.patient_id")
    .select([
      "b.id",
      "b.patient_id",
      "b.reason",
      "b.due_from",
      "b.due_to",
      "b.created_at",
      "patients.first_name",
      "patients.last_name",
      "patients.record_number",
    ])
    .where("b.decided_at", "is", null)
    .where(patientVisibleTo(actor, today, "infusion_schedule"));
  if (patient) query = query.where("b.patient_id", "=", patient.id);
  return query.orderBy("b.due_from").limit(200);
}

export async function openBoosterReviews(
  db: Executor,
  actor: Actor,
  today: string,
  patient?: CheckedPatient<"infusion_schedule">,
) {
  return openBoosterReviewsQuery(db, actor, today, patient).execute();
}

export async function decidedBoosterReviews(db: Executor, patient: CheckedPatient<"infusion_schedule">) {
  const patientId = patient.id;
  return db
    .selectFrom("booster_reviews as b")
    .leftJoin("users as u", "u.id", "b.decided_by")
    .select([
      "b.id",
      "b.reason",
      "b.due_from",
      "b.due_to",
      "b.decision",
      "b.decision_note",
      "b.decided_at",
      "u.name as decided_by_name",
    ])
    .where("b.patient_id", "=", patientId)
    .where("b.decided_at", "is not", null)
    .orderBy("b.decided_at", "desc")
    .execute();
}

export async function decideBoosterReview(
  db: Database,
  audit: AuditContext,
  input: { patientId: string; reviewId: string; decision: string; note: string; clinicianId: string; now: Date },
): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const row = await trx
      .updateTable("booster_reviews")
      .set({
        decision: input.decision,
        decision_note: input.note,
        decided_by: input.clinicianId,
        decided_at: input.now,
      })
      .where("id", "=", input.reviewId)
      .where("patient_id", "=", input.patientId)
      .where("decided_at", "is", null)
      .returning("id")
      .executeTakeFirst();
    if (row) {
      await recordAudit(trx, audit, {
        action: "booster_review.decide",
        entityType: "booster_review",
        entityId: row.id,
        patientId: input.patientId,
        detail: { decision: input.decision },
      });
    }
    return Boolean(row);
  });
}
