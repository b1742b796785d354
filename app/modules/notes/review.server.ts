import { sql, type ExpressionBuilder } from "kysely";
import { jsonArrayFrom } from "kysely/helpers/postgres";
import type { DB } from "../../../db/schema";
import type { Actor } from "~/auth/actor";
import type { Executor, Database } from "../../../db/engine";
import { recordAudit, type AuditContext } from "~/audit/audit.server";
import { queueEmail } from "~/email/outbox.server";
import { careTeamWithAccessQuery } from "~/modules/patients/care-team.server";
import { patientVisibleTo } from "~/modules/patients/policy.server";
import { NoteError } from "./notes.server";
import { awaitingAuthor, queuedAt } from "./review-state.server";

type NotesDB = DB & { n: DB["care_notes"] };
type NotesWithPatients = ExpressionBuilder<NotesDB, "n" | "patients">;

/**
 * For a query over `care_notes as n` joined to `patients`: this psychiatrist may review the note.
 * A psychiatrist on the patient's team with a release covering care notes; or the clinic's fallback
 * reviewer, when no psychiatrist with such access (other than the note's author) is on the team.
 * Never the author.
 */
export function reviewableBy(db: Executor, actor: Pick<Actor, "id" | "role">, today: string) {
  return (eb: NotesWithPatients) => {
    if (actor.role !== "psychiatrist") return eb.lit(false);
    const teamPsychiatrist = careTeamWithAccessQuery(db, sql.ref<string>("n.patient_id"), today, "care_notes")
      .where("u.role", "=", "psychiatrist")
      .where("u.id", "!=", sql.ref<string>("n.author_id"));
    return eb.and([
      eb("n.author_id", "!=", actor.id),
      eb.or([
        patientVisibleTo(actor, today, "care_notes")(eb as unknown as ExpressionBuilder<DB, "patients">),
        eb.and([
          eb.exists(
            eb.selectFrom("clinic_settings as cs").select("cs.id").where("cs.fallback_reviewer_id", "=", actor.id),
          ),
          eb.not(eb.exists(teamPsychiatrist)),
        ]),
      ]),
    ]);
  };
}

/** For a query over `care_notes as n`: sent for review, not signed off, not waiting for its author. */
export function waitingForReview() {
  return (eb: ExpressionBuilder<NotesDB, "n">) =>
    eb.and([
      eb("n.review_requested", "=", true),
      eb.not(eb.exists(eb.selectFrom("note_sign_offs as s").select("s.note_id").whereRef("s.note_id", "=", "n.id"))),
      eb.not(awaitingAuthor()),
    ]);
}

/** One note of the actor's review queue in full: its body, addenda and earlier returns. Undefined when not theirs to review. */
export async function noteForReview(db: Executor, actor: Actor, today: string, noteId: string) {
  return db
    .selectFrom("care_notes as n")
    .innerJoin("patients", "patients.id", "n.patient_id")
    .innerJoin("users as a", "a.id", "n.author_id")
    .select([
      "n.id",
      "n.patient_id",
      "n.kind",
      "n.body",
      "n.created_at",
      "n.author_role",
      "n.author_organisation",
      "a.name as author_name",
      "patients.first_name",
      "patients.last_name",
      "patients.record_number",
      queuedAt().as("queued_at"),
    ])
    .select((eb) => [
      jsonArrayFrom(
        eb
          .selectFrom("note_addenda as d")
          .innerJoin("users as u", "u.id", "d.author_id")
          .select(["d.id", "d.body", "d.created_at", "u.name as author_name"])
          .whereRef("d.note_id", "=", "n.id")
          .orderBy("d.created_at"),
      ).as("addenda"),
      jsonArrayFrom(
        eb
          .selectFrom("note_returns as r")
          .innerJoin("users as u", "u.id", "r.psychiatrist_id")
          .select(["r.id", "r.comments", "r.returned_at", "u.name as psychiatrist_name"])
          .whereRef("r.note_id", "=", "n.id")
          .orderBy("r.returned_at"),
      ).as("returns"),
    ])
    .where("n.id", "=", noteId)
    .where(reviewableBy(db, actor, today))
    .where(waitingForReview())
    .executeTakeFirst();
}

/** The note locked for a review decision, with whether it is already decided or waiting for its author. */
async function lockForReview(
  trx: Executor,
  actor: Actor,
  input: { noteId: string; patientId?: string; today: string },
) {
  let query = trx
    .selectFrom("care_notes as n")
    .innerJoin("patients", "patients.id", "n.patient_id")
    .innerJoin("users as a", "a.id", "n.author_id")
    .select([
      "n.id",
      "n.patient_id",
      "n.author_id",
      "n.review_requested",
      "a.email as author_email",
      "a.status as author_status",
    ])
    .select((eb) => [
      reviewableBy(trx, actor, input.today)(eb).as("reviewable"),
      eb
        .exists(eb.selectFrom("note_sign_offs as s").select("s.note_id").whereRef("s.note_id", "=", "n.id"))
        .as("signed"),
      awaitingAuthor().as("awaiting_author"),
    ])
    .where("n.id", "=", input.noteId)
    .forUpdate("n");
  if (input.patientId) query = query.where("n.patient_id", "=", input.patientId);
  const note = await query.executeTakeFirst();
  if (!note) throw new NoteError("That note is not in this thread.", "form", 404);
  if (note.author_id === actor.id)
    throw new NoteError("A note is signed off by a psychiatrist other than its author.", "form", 403);
  if (!note.reviewable)
    throw new NoteError(
      "Only a psychiatrist on this patient's care team, or the clinic's fallback reviewer when the team has none, can review notes.",
      "form",
      403,
    );
  if (!note.review_requested) throw new NoteError("This note was not sent for review.", "form", 409);
  if (note.signed) throw new NoteError("This note was already signed off.", "form", 409);
  if (note.awaiting_author)
    throw new NoteError(
      "This note was returned to its author; it comes back for review when they answer with an addendum.",
      "form",
      409,
    );
  return note;
}

interface ReviewDecision {
  noteId: string;
  /** When given, the note must be on this patient's thread. */
  patientId?: string;
  now: Date;
  today: string;
  appUrl: string;
}

/** A receipt to the author, a link only: the reviewer's words and the patient stay in the portal. */
async function sendReceipt(
  trx: Executor,
  note: { id: string; patient_id: string; author_email: string; author_status: string },
  outcome: "signed-off" | "returned",
  appUrl: string,
) {
  if (note.author_status !== "active") return;
  await queueEmail(trx, {
    template: "review-receipt",
    to: note.author_email,
    props: { outcome, noteUrl: `${appUrl}/patients/${note.patient_id}/notes#note-${note.id}` },
  });
}

/** A permanent sign-off by one of the patient's psychiatrists (or the fallback reviewer); never of their own note. */
export async function signOffNote(
  db: Database,
  actor: Actor,
  audit: AuditContext,
  input: ReviewDecision & { comment?: string },
) {
  if (actor.role !== "psychiatrist")
    throw new NoteError("Only a psychiatrist on this patient's care team can sign off notes.", "form", 403);
  return db.transaction().execute(async (trx) => {
    const note = await lockForReview(trx, actor, input);
    await trx
      .insertInto("note_sign_offs")
      .values({ note_id: note.id, psychiatrist_id: actor.id, comment: input.comment || null, signed_at: input.now })
      .execute();
    await sendReceipt(trx, note, "signed-off", input.appUrl);
    await recordAudit(trx, audit, {
      action: "note.sign_off",
      entityType: "care_note",
      entityId: note.id,
      patientId: note.patient_id,
    });
    return true;
  });
}

/** Returns a note to its author with the reviewer's comments; the author's addendum sends it back to the queue. */
export async function returnNote(
  db: Database,
  actor: Actor,
  audit: AuditContext,
  input: ReviewDecision & { comments: string },
) {
  if (actor.role !== "psychiatrist")
    throw new NoteError("Only a psychiatrist on this patient's care team can return notes.", "form", 403);
  return db.transaction().execute(async (trx) => {
    const note = await lockForReview(trx, actor, input);
    const row = await trx
      .insertInto("note_returns")
      .values({ note_id: note.id, psychiatrist_id: actor.id, comments: input.comments, returned_at: input.now })
      .returning("id")
      .executeTakeFirstOrThrow();
    await sendReceipt(trx, note, "returned", input.appUrl);
    await recordAudit(trx, audit, {
      action: "note.return",
      entityType: "care_note",
      entityId: note.id,
      patientId: note.patient_id,
      detail: { returnId: row.id },
    });
    return note.patient_id;
  });
}

/**
 * Notes waiting for review longer than the clinic's `review_stale_days`, oldest first, for the
 * coordinator's work list: whoever should review them, so that a loop nobody closes is seen.
 */
export function staleReviewsQuery(db: Executor, now: Date) {
  return db
    .selectFrom("care_notes as n")
    .innerJoin("patients as p", "p.id", "n.patient_id")
    .select([
      "n.id",
      "n.kind",
      "p.id as patient_id",
      "p.first_name",
      "p.last_name",
      "p.record_number",
      queuedAt().as("queued_at"),
    ])
    .where(waitingForReview())
    .where(
      queuedAt(),
      "<=",
      sql<Date>`${now}::timestamptz - make_interval(days => (select cs.review_stale_days from clinic_settings cs limit 1))`,
    )
    .orderBy("n.created_at")
    .orderBy("n.id");
}
