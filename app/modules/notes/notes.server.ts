import { sql } from "kysely";
import { jsonArrayFrom } from "kysely/helpers/postgres";
import type { NoteKind } from "../../../db/schema";
import { type Actor } from "~/auth/actor";
import { queueEmail } from "~/email/outbox.server";
import type { Database, Executor } from "../../../db/engine";
import { recordAudit, type AuditContext } from "~/audit/audit.server";
import { clinicToday, plusDays, addDays, startOfDayInZone } from "~/lib/time";
import { careTeamWithAccess } from "~/modules/patients/care-team.server";
import type { CheckedPatient } from "~/modules/patients/patients.server";
import { onCareTeam, patientVisibleTo, releaseCurrent } from "~/modules/patients/policy.server";
import { raiseSafetyAlert } from "~/modules/safety/alerts.server";
import type { ThreadFilter } from "./schema";
import { isOutsideProvider } from "~/lib/roles";

export const THREAD_PAGE_SIZE = 20;

export class NoteError extends Error {
  constructor(
    message: string,
    public readonly field: string,
    public readonly status = 400,
  ) {
    super(message);
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

/** A correction, by the note's author only, linked to the note and shown with it. */
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
      detail: { addendumId: row.id },
    });
    return row.id;
  });
}

/** Whether this actor is a psychiatrist on the patient's team with access today. */
async function isTeamPsychiatrist(db: Executor, actor: Actor, patientId: string, today: string) {
  if (actor.role !== "psychiatrist") return false;
  const team = await careTeamWithAccess(db, patientId, today);
  return team.some((m) => m.id === actor.id);
}

/** A permanent sign-off by one of the patient's psychiatrists; never of their own note. */
export async function signOffNote(
  db: Database,
  actor: Actor,
  audit: AuditContext,
  input: { patientId: string; noteId: string; comment?: string; now: Date; today: string },
) {
  const note = await noteOf(db, input.patientId, input.noteId);
  if (!(await isTeamPsychiatrist(db, actor, input.patientId, input.today)))
    throw new NoteError("Only a psychiatrist on this patient's care team can sign off notes.", "form", 403);
  if (note.author_id === actor.id)
    throw new NoteError("A note is signed off by a psychiatrist other than its author.", "form", 403);
  if (!note.review_requested) throw new NoteError("This note was not sent for review.", "form", 409);
  return db.transaction().execute(async (trx) => {
    const row = await trx
      .insertInto("note_sign_offs")
      .values({ note_id: note.id, psychiatrist_id: actor.id, comment: input.comment || null, signed_at: input.now })
      .onConflict((oc) => oc.column("note_id").doNothing())
      .returning("note_id")
      .executeTakeFirst();
    if (!row) throw new NoteError("This note was already signed off.", "form", 409);
    await recordAudit(trx, audit, {
      action: "note.sign_off",
      entityType: "care_note",
      entityId: note.id,
      patientId: input.patientId,
    });
    return true;
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

/**
 * A page of the thread, newest first, with each note's addenda, sign-off and acknowledgement,
 * and whether this reader had read it. What is shown is marked read by the same statement.
 */
export async function readThread(
  db: Executor,
  actor: Actor,
  input: { patient: CheckedPatient<"care_notes">; filter: ThreadFilter; page: number; now: Date },
) {
  const patientId = input.patient.id;
  let notes = db
    .selectFrom("care_notes as n")
    .innerJoin("users as a", "a.id", "n.author_id")
    .leftJoin("note_sign_offs as s", "s.note_id", "n.id")
    .leftJoin("users as sp", "sp.id", "s.psychiatrist_id")
    .leftJoin("safety_acknowledgements as k", "k.note_id", "n.id")
    .leftJoin("users as kc", "kc.id", "k.clinician_id")
    .leftJoin("safety_alerts as sa", "sa.note_id", "n.id")
    .leftJoin("note_reads as r", (join) => join.onRef("r.note_id", "=", "n.id").on("r.user_id", "=", actor.id))
    .select([
      "n.id",
      "n.kind",
      "n.body",
      "n.review_requested",
      "n.created_at",
      "n.author_id",
      "n.author_role",
      "n.author_organisation",
      "a.name as author_name",
      "s.signed_at",
      "s.comment as sign_off_comment",
      "sp.name as signed_by",
      "k.acknowledged_at",
      "k.response as acknowledgement",
      "kc.name as acknowledged_by",
      "sa.escalated_at",
      "r.read_at",
    ])
    .select((eb) =>
      jsonArrayFrom(
        eb
          .selectFrom("note_addenda as d")
          .innerJoin("users as u", "u.id", "d.author_id")
          .select(["d.id", "d.note_id", "d.body", "d.created_at", "u.name as author_name"])
          .whereRef("d.note_id", "=", "n.id")
          .orderBy("d.created_at"),
      ).as("addenda"),
    )
    .where("n.patient_id", "=", patientId);
  if (input.filter.kind) notes = notes.where("n.kind", "=", input.filter.kind);
  if (input.filter.author) notes = notes.where("n.author_id", "=", input.filter.author);
  // Dates are New York calendar days; `to` is inclusive.
  const fromInstant = input.filter.from ? startOfDayInZone(input.filter.from) : null;
  const toInstant = input.filter.to ? startOfDayInZone(addDays(input.filter.to, 1)) : null;
  if (fromInstant) notes = notes.where("n.created_at", ">=", fromInstant);
  if (toInstant) notes = notes.where("n.created_at", "<", toInstant);
  // One more than a page: whether there is a next page. That one is not shown, so not marked read.
  const [rows, authors] = await Promise.all([
    db
      .with("page", () =>
        notes
          .orderBy("n.created_at", "desc")
          .orderBy("n.id", "desc")
          .limit(THREAD_PAGE_SIZE + 1)
          .offset((input.page - 1) * THREAD_PAGE_SIZE),
      )
      .with("marked", (qc) =>
        qc
          .insertInto("note_reads")
          .columns(["user_id", "note_id", "read_at"])
          .expression(
            qc
              .selectFrom((sub) =>
                sub
                  .selectFrom("page")
                  .select(["id", "read_at"])
                  .orderBy("created_at", "desc")
                  .orderBy("id", "desc")
                  .limit(THREAD_PAGE_SIZE)
                  .as("shown"),
              )
              .select([
                sql<string>`${actor.id}::uuid`.as("user_id"),
                "shown.id",
                sql<Date>`${input.now}::timestamptz`.as("read_at"),
              ])
              .where("shown.read_at", "is", null),
          )
          .onConflict((oc) => oc.columns(["user_id", "note_id"]).doNothing()),
      )
      .selectFrom("page")
      .selectAll()
      .orderBy("created_at", "desc")
      .orderBy("id", "desc")
      .execute(),
    db
      .selectFrom("care_notes as n")
      .innerJoin("users as u", "u.id", "n.author_id")
      .select(["u.id", "u.name"])
      .distinct()
      .where("n.patient_id", "=", patientId)
      .orderBy("u.name")
      .execute(),
  ]);
  return {
    notes: rows.slice(0, THREAD_PAGE_SIZE).map((n) => ({
      ...n,
      unread: !n.read_at,
      addenda: n.addenda.map((d) => ({ ...d, created_at: new Date(d.created_at) })),
    })),
    hasNext: rows.length > THREAD_PAGE_SIZE,
    authors,
  };
}

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

export const DIGEST_EVERY_MS = 15 * 60_000;

/**
 * At most one digest notice per user per 15 minutes, counting ordinary notes posted since their
 * last digest on patients whose notes they may read (outside providers) or whose visits they supervise
 * (Ember clinicians). Users can turn these off; safety concerns are never held back for a digest.
 */
export async function queueNoteDigests(db: Database, options: { now: Date; appUrl: string }): Promise<number> {
  const now = options.now;
  const today = clinicToday(now);
  const due = await sql<{ id: string; email: string; count: string }>`
    select u.id, u.email, count(distinct n.id)::text as count
    from users u
    join care_notes n
      on n.created_at > coalesce(u.notes_digest_cursor, u.created_at)
     and n.created_at <= ${now}
     and n.author_id <> u.id
     and n.kind <> 'safety_concern'
    where u.status = 'active'
      and u.notify_notes
      and (u.notes_digest_sent_at is null or u.notes_digest_sent_at <= ${new Date(now.getTime() - DIGEST_EVERY_MS)})
      and (
        (u.role in ('therapist', 'psychiatrist')
          and ${onCareTeam(sql.ref("n.patient_id"), sql.ref("u.id"))}
          and ${releaseCurrent(sql.ref("n.patient_id"), sql.ref("u.id"), today, "care_notes")})
        or (u.role = 'clinician'
          and exists (select 1 from infusion_visits v where v.clinician_id = u.id and v.patient_id = n.patient_id
                        and v.starts_at > ${plusDays(now, -30)}))
      )
    group by u.id, u.email`.execute(db);
  let queued = 0;
  for (const row of due.rows) {
    await db.transaction().execute(async (trx) => {
      const claimed = await trx
        .updateTable("users")
        .set({ notes_digest_sent_at: now, notes_digest_cursor: now })
        .where("id", "=", row.id)
        .where((eb) =>
          eb.or([
            eb("notes_digest_sent_at", "is", null),
            eb("notes_digest_sent_at", "<=", new Date(now.getTime() - DIGEST_EVERY_MS)),
          ]),
        )
        .returning("id")
        .executeTakeFirst();
      if (!claimed) return;
      await queueEmail(trx, {
        template: "notes-digest",
        to: row.email,
        props: { count: Number(row.count), portalUrl: `${options.appUrl}/`, settingsUrl: `${options.appUrl}/settings` },
      });
      queued++;
    });
  }
  return queued;
}
