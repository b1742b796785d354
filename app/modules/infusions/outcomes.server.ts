import { addDays } from "~/lib/time";
import type { Database } from "../../../db/engine";
import { recordAudit, type AuditContext } from "~/audit/audit.server";
import { engagementGateDetail } from "~/modules/engagement/engagement.server";
import { lockPatientSchedules } from "~/modules/patients/locks.server";
import { clinicDay } from "./windows";
import { ScheduleError } from "./infusions.server";

/** Booster follow-up falls due 21–28 days after a course's last visit (median durability ≈ 27.5 days). */
export const BOOSTER_DUE_FROM_DAYS = 21;
export const BOOSTER_DUE_TO_DAYS = 28;

export const OVERRIDE_NEEDED = "To mark it held anyway, an Ember clinician records the reason for overriding the gate.";

/**
 * Records a visit as held or missed. "Held" moves care forward, so the engagement gate is asked
 * after the patient's schedule lock; when it refuses, only an Ember clinician recording a reason may
 * override it, and the override stays on the visit for the whole care team and in the audit log.
 * When that completes a course (no scheduled visit left, at least one held), a booster review falls
 * due, dated from the last held visit: outcomes may be recorded in any order, and a missed last
 * visit still ends the course.
 */
/** Held, missed, or held but stopped before its planned end (kept as held, with the reason). */
export type VisitOutcome = "held" | "missed" | "stopped_early";

export async function recordVisitOutcome(
  db: Database,
  audit: AuditContext,
  input: {
    patientId: string;
    visitId: string;
    outcome: VisitOutcome;
    now: Date;
    overrideReason?: string;
    /** Required with "stopped_early": why the infusion ended before its planned end. */
    stoppedEarlyReason?: string;
  },
) {
  const given = input.outcome !== "missed";
  const stoppedEarlyReason = input.outcome === "stopped_early" ? input.stoppedEarlyReason?.trim() : undefined;
  if (input.outcome === "stopped_early" && !stoppedEarlyReason)
    throw new ScheduleError(["Say why the infusion was stopped early."]);
  return db.transaction().execute(async (trx) => {
    await lockPatientSchedules(trx, [input.patientId]);
    let override: {
      gate_override_reason: string;
      gate_override_by: string | null;
      gate_override_at: Date;
      gate_override_refusals: string[];
    } | null = null;
    if (given) {
      const gate = await engagementGateDetail(trx, input.patientId, input.now);
      if (!gate.allowed) {
        const reason = input.overrideReason?.trim();
        if (!reason || audit.actorRole !== "clinician") throw new ScheduleError([...gate.reasons, OVERRIDE_NEEDED]);
        override = {
          gate_override_reason: reason,
          gate_override_by: audit.actorId,
          gate_override_at: input.now,
          gate_override_refusals: gate.reasons,
        };
      }
    }
    const visit = await trx
      .updateTable("infusion_visits")
      .set({
        status: given ? "held" : "missed",
        stopped_early_reason: stoppedEarlyReason ?? null,
        updated_at: input.now,
        ...override,
      })
      .where("id", "=", input.visitId)
      .where("patient_id", "=", input.patientId)
      .where("status", "=", "scheduled")
      .where("starts_at", "<=", input.now)
      .returning(["id", "course_id", "kind", "starts_at"])
      .executeTakeFirst();
    if (!visit) return { recorded: false, boosterReviewDue: false, overridden: false };
    await recordAudit(trx, audit, {
      action: `infusion.${input.outcome}`,
      entityType: "infusion_visit",
      entityId: visit.id,
      patientId: input.patientId,
    });
    if (override) {
      await recordAudit(trx, audit, {
        action: "infusion.gate_override",
        entityType: "infusion_visit",
        entityId: visit.id,
        patientId: input.patientId,
        detail: { refusals: override.gate_override_refusals },
      });
    }
    const overridden = Boolean(override);
    if (visit.kind !== "course") return { recorded: true, boosterReviewDue: false, overridden };
    const remaining = await trx
      .selectFrom("infusion_visits")
      .select(["id", "status", "starts_at"])
      .where("course_id", "=", visit.course_id)
      .where("status", "in", ["scheduled", "held"])
      .orderBy("starts_at", "desc")
      .execute();
    const lastHeld = remaining[0];
    if (!lastHeld || remaining.some((v) => v.status === "scheduled"))
      return { recorded: true, boosterReviewDue: false, overridden };
    const lastDay = clinicDay(lastHeld.starts_at);
    const created = await trx
      .insertInto("booster_reviews")
      .values({
        patient_id: input.patientId,
        course_id: visit.course_id,
        reason: "course_completed",
        due_from: addDays(lastDay, BOOSTER_DUE_FROM_DAYS),
        due_to: addDays(lastDay, BOOSTER_DUE_TO_DAYS),
        created_at: input.now,
      })
      .onConflict((oc) => oc.columns(["course_id", "reason"]).where("course_id", "is not", null).doNothing())
      .returning("id")
      .executeTakeFirst();
    if (created)
      await recordAudit(trx, audit, {
        action: "booster_review.due",
        entityType: "booster_review",
        entityId: created.id,
        patientId: input.patientId,
      });
    return { recorded: true, boosterReviewDue: Boolean(created), overridden };
  });
}
