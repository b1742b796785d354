import { type Actor } from "~/auth/actor";
import type { Executor } from "../../../db/engine";
import { sql } from "kysely";
import { patientVisibleTo } from "~/modules/patients/policy.server";
import { reviewableBy, waitingForReview } from "./review.server";
import { queuedAt } from "./review-state.server";

/** Notes this actor has not read, per patient whose notes they may read (named, by name), excluding their own. */
export async function unreadNotesByPatient(db: Executor, actor: Actor, today: string) {
  const rows = await db
    .selectFrom("care_notes as n")
    .innerJoin("patients", "patients.id", "n.patient_id")
    .select(["n.patient_id", "patients.first_name", "patients.last_name", (eb) => eb.fn.countAll<string>().as("n")])
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
    .groupBy(["n.patient_id", "patients.first_name", "patients.last_name"])
    .orderBy("patients.last_name")
    .orderBy("patients.first_name")
    .execute();
  return rows.map((r) => ({ ...r, n: Number(r.n) }));
}

/** Unread notes per patient id, as `unreadNotesByPatient` counts them. */
export async function unreadByPatient(db: Executor, actor: Actor, today: string) {
  return new Map((await unreadNotesByPatient(db, actor, today)).map((r) => [r.patient_id, r.n]));
}

/** Characters of a note's body a queue's preview shows: its first lines. */
export const PREVIEW_CHARACTERS = 280;

/**
 * The psychiatrist's review queue, oldest first: notes sent for review on their patients (or, as the
 * clinic's fallback reviewer, on patients whose team has no other psychiatrist), not signed off and
 * not waiting for their author's answer, each with the first lines of its body.
 */
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
      sql<string>`left(n.body, ${PREVIEW_CHARACTERS})`.as("preview"),
      sql<boolean>`length(n.body) > ${PREVIEW_CHARACTERS}`.as("truncated"),
      queuedAt().as("queued_at"),
      (eb) =>
        eb
          .exists(eb.selectFrom("note_returns as r").select("r.id").whereRef("r.note_id", "=", "n.id"))
          .as("returned_before"),
    ])
    .where(reviewableBy(db, actor, today))
    .where(waitingForReview())
    .orderBy("n.created_at")
    .orderBy("n.id")
    .limit(200)
    .execute();
}

/** How many notes wait for this psychiatrist's review, for the navigation. */
export function reviewCountQuery(db: Executor, actor: Actor, today: string) {
  return db
    .selectFrom("care_notes as n")
    .innerJoin("patients", "patients.id", "n.patient_id")
    .select((eb) => eb.fn.countAll<string>().as("n"))
    .where(reviewableBy(db, actor, today))
    .where(waitingForReview());
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
