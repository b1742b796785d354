import type { NoteKind } from "../../../db/schema";
import { type Actor } from "~/auth/actor";
import type { Database, Executor } from "../../../db/engine";
import { recordAudit, type AuditContext } from "~/audit/audit.server";
import { raiseSafetyAlert } from "~/modules/safety/alerts.server";
import { isOutsideProvider } from "~/lib/roles";
import { awaitingAuthor } from "./review-state.server";

/** A refusal of a change to a thread, about one field of its form, or about the whole form ("form"). */
export class NoteError extends Error {
  readonly field: string | undefined;
  constructor(
    message: string,
    field: string,
    public readonly status = 400,
  ) {
    super(message);
    this.field = field === "form" ? undefined : field;
  }
}

/**
 * Posts a note to a patient's thread. Infusion summaries are Ember clinicians' and always go to
 * review. A safety concern raises a safety alert: the Ember clinicians, the coordinators and the
 * care team with access are emailed at once, in the same transaction as the note.
 */
export async function postNote(
  db: Database,
  actor: Actor,
  audit: AuditContext,
  input: NoteInput,
): Promise<{ id: string; urgentNotices: number }> {
  return db.transaction().execute((trx) => insertNote(trx, actor, audit, input));
}

export interface NoteInput {
  patientId: string;
  kind: NoteKind;
  body: string;
  requestReview: boolean;
  now: Date;
  today: string;
  appUrl: string;
  /** The visit an infusion summary reports on. */
  visitId?: string;
}

/** `postNote` inside a transaction the caller holds, for a note written with another change. */
export async function insertNote(
  trx: Executor,
  actor: Actor,
  audit: AuditContext,
  input: NoteInput,
): Promise<{ id: string; urgentNotices: number }> {
  if (input.kind === "infusion_summary" && actor.role !== "clinician") {
    throw new NoteError("Only Ember infusion clinicians write infusion summaries.", "kind");
  }
  const author = await trx
    .selectFrom("users")
    .select(["organisation"])
    .where("id", "=", actor.id)
    .executeTakeFirstOrThrow();
  const note = await trx
    .insertInto("care_notes")
    .values({
      patient_id: input.patientId,
      author_id: actor.id,
      author_role: actor.role,
      author_organisation:
        author.organisation || (isOutsideProvider(actor.role) ? "Independent practice" : "Ember Health"),
      kind: input.kind,
      body: input.body,
      review_requested: input.kind === "infusion_summary" || input.requestReview,
      created_at: input.now,
      visit_id: input.visitId ?? null,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  // The author has read what they wrote.
  await trx.insertInto("note_reads").values({ user_id: actor.id, note_id: note.id, read_at: input.now }).execute();
  const urgentNotices =
    input.kind === "safety_concern"
      ? (
          await raiseSafetyAlert(trx, audit, {
            patientId: input.patientId,
            signal: { noteId: note.id },
            now: input.now,
            appUrl: input.appUrl,
            except: actor.id,
          })
        ).notices
      : 0;
  await recordAudit(trx, audit, {
    action: "note.post",
    entityType: "care_note",
    entityId: note.id,
    patientId: input.patientId,
    detail: {
      kind: input.kind,
      reviewRequested: input.kind === "infusion_summary" || input.requestReview,
      urgentNotices,
    },
  });
  return { id: note.id, urgentNotices };
}

async function noteOf(db: Executor, patientId: string, noteId: string) {
  const note = await db
    .selectFrom("care_notes")
    .selectAll()
    .where("id", "=", noteId)
    .where("patient_id", "=", patientId)
    .executeTakeFirst();
  if (!note) throw new NoteError("That note is not in this thread.", "form", 404);
  return note;
}

/**
 * A correction, by the note's author only, linked to the note and shown with it. An addendum to a
 * note returned with comments answers them: the note goes back to the review queue (`requeued`).
 */
export async function addAddendum(
  db: Database,
  actor: Actor,
  audit: AuditContext,
  input: { patientId: string; noteId: string; body: string; now: Date },
) {
  const note = await noteOf(db, input.patientId, input.noteId);
  if (note.author_id !== actor.id)
    throw new NoteError("Only the note's author can add an addendum to it.", "body", 403);
  return db.transaction().execute(async (trx) => {
    const { requeued } = await trx
      .selectFrom("care_notes as n")
      .select(awaitingAuthor().as("requeued"))
      .where("n.id", "=", note.id)
      .executeTakeFirstOrThrow();
    const row = await trx
      .insertInto("note_addenda")
      .values({ note_id: note.id, author_id: actor.id, body: input.body, created_at: input.now })
      .returning("id")
      .executeTakeFirstOrThrow();
    await recordAudit(trx, audit, {
      action: "note.addendum",
      entityType: "care_note",
      entityId: note.id,
      patientId: input.patientId,
      detail: { addendumId: row.id, requeued },
    });
    return { id: row.id, requeued };
  });
}

/** An Ember clinician's acknowledgement of a safety concern, with the response: it clears the dashboards. */
export async function acknowledgeSafetyConcern(
  db: Database,
  actor: Actor,
  audit: AuditContext,
  input: { patientId: string; noteId: string; response: string; now: Date },
) {
  if (actor.role !== "clinician")
    throw new NoteError("Only an Ember clinician can acknowledge a safety concern.", "response", 403);
  const note = await noteOf(db, input.patientId, input.noteId);
  if (note.kind !== "safety_concern") throw new NoteError("Only safety concerns are acknowledged.", "response", 409);
  return db.transaction().execute(async (trx) => {
    const row = await trx
      .insertInto("safety_acknowledgements")
      .values({ note_id: note.id, clinician_id: actor.id, response: input.response, acknowledged_at: input.now })
      .onConflict((oc) => oc.column("note_id").doNothing())
      .returning("note_id")
      .executeTakeFirst();
    if (!row) throw new NoteError("This concern was already acknowledged.", "response", 409);
    // The alert stops escalating and leaves the dashboards with the acknowledgement.
    await trx
      .updateTable("safety_alerts")
      .set({ acknowledged_by: actor.id, acknowledged_at: input.now, action_taken: input.response })
      .where("note_id", "=", note.id)
      .where("acknowledged_at", "is", null)
      .execute();
    await recordAudit(trx, audit, {
      action: "note.safety_acknowledge",
      entityType: "care_note",
      entityId: note.id,
      patientId: input.patientId,
    });
    return true;
  });
}
