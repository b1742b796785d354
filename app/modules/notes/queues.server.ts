import { type Actor } from "~/auth/actor";
import type { Executor } from "../../../db/engine";
import { patientVisibleTo } from "~/modules/patients/policy.server";

/** Notes this actor has not read, per patient whose notes they may read, excluding their own. */
export async function unreadByPatient(db: Executor, actor: Actor, today: string) {
  const rows = await db
    .selectFrom("care_notes as n")
    .innerJoin("patients", "patients.id", "n.patient_id")
    .select(["n.patient_id", (eb) => eb.fn.countAll<string>().as("n")])
    .where(patientVisibleTo(actor, today, "care_notes"))
    .where("n.author_id", "!=", actor.id)
    .where((eb) =>
      eb.not(
        eb.exists(
          eb
            .selectFrom("note_reads as r")
            .select("r.note_id")
            .whereRef("r.note_id", "=", "n.id")
            .where("r.user_id", "=", actor.id),
        ),
      ),
    )
    .groupBy("n.patient_id")
    .execute();
  return new Map(rows.map((r) => [r.patient_id, Number(r.n)]));
}

/** The psychiatrist's review queue: notes sent for review on their patients, not signed off, oldest first. */
export async function reviewQueue(db: Executor, actor: Actor, today: string) {
  if (actor.role !== "psychiatrist") return [];
  return db
    .selectFrom("care_notes as n")
    .innerJoin("patients", "patients.id", "n.patient_id")
    .innerJoin("users as a", "a.id", "n.author_id")
    .select([
      "n.id",
      "n.patient_id",
      "n.kind",
      "n.created_at",
      "a.name as author_name",
      "patients.first_name",
      "patients.last_name",
    ])
    .where(patientVisibleTo(actor, today, "care_notes"))
    .where("n.review_requested", "=", true)
    .where("n.author_id", "!=", actor.id)
    .where((eb) =>
      eb.not(eb.exists(eb.selectFrom("note_sign_offs as s").select("s.note_id").whereRef("s.note_id", "=", "n.id"))),
    )
    .orderBy("n.created_at")
    .limit(200)
    .execute();
}

/** Safety concerns not yet acknowledged, on patients whose notes this actor may read: they stay on dashboards until then. */
export async function openSafetyConcerns(db: Executor, actor: Actor, today: string) {
  return db
    .selectFrom("care_notes as n")
    .innerJoin("patients", "patients.id", "n.patient_id")
    .innerJoin("users as a", "a.id", "n.author_id")
    .leftJoin("safety_alerts as sa", "sa.note_id", "n.id")
    .select([
      "n.id",
      "n.patient_id",
      "n.created_at",
      "a.name as author_name",
      "patients.first_name",
      "patients.last_name",
      "sa.escalated_at",
    ])
    .where(patientVisibleTo(actor, today, "care_notes"))
    .where("n.kind", "=", "safety_concern")
    .where((eb) =>
      eb.not(
        eb.exists(eb.selectFrom("safety_acknowledgements as k").select("k.note_id").whereRef("k.note_id", "=", "n.id")),
      ),
    )
    .orderBy("n.created_at")
    .limit(50)
    .execute();
}
