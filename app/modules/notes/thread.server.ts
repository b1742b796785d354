import { sql } from "kysely";
import { jsonArrayFrom } from "kysely/helpers/postgres";
import { type Actor } from "~/auth/actor";
import type { Executor } from "../../../db/engine";
import { addDays, clinicToday, startOfDayInZone } from "~/lib/time";
import { careTeamWithAccessQuery } from "~/modules/patients/care-team.server";
import type { CheckedPatient } from "~/modules/patients/patients.server";
import { awaitingAuthor } from "./review-state.server";
import type { ThreadFilter } from "./schema";

export const THREAD_PAGE_SIZE = 20;

/**
 * A page of the thread, newest first, with each note's addenda, sign-off and acknowledgement,
 * and whether this reader had read it. What is shown is marked read by the same statement. With
 * it, the thread's authors and the care-team members with access today.
 */
export async function readThread(
  db: Executor,
  actor: Actor,
  input: { patient: CheckedPatient<"care_notes">; filter: ThreadFilter; page: number; now: Date; today?: string },
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
    .select((eb) =>
      jsonArrayFrom(
        eb
          .selectFrom("note_returns as rt")
          .innerJoin("users as ru", "ru.id", "rt.psychiatrist_id")
          .select(["rt.id", "rt.comments", "rt.returned_at", "ru.name as psychiatrist_name"])
          .whereRef("rt.note_id", "=", "n.id")
          .orderBy("rt.returned_at"),
      ).as("returns"),
    )
    .select(awaitingAuthor().as("awaiting_author"))
    .where("n.patient_id", "=", patientId);
  if (input.filter.kind) notes = notes.where("n.kind", "=", input.filter.kind);
  if (input.filter.author) notes = notes.where("n.author_id", "=", input.filter.author);
  // Dates are New York calendar days; `to` is inclusive.
  const fromInstant = input.filter.from ? startOfDayInZone(input.filter.from) : null;
  const toInstant = input.filter.to ? startOfDayInZone(addDays(input.filter.to, 1)) : null;
  if (fromInstant) notes = notes.where("n.created_at", ">=", fromInstant);
  if (toInstant) notes = notes.where("n.created_at", "<", toInstant);
  // One more than a page: whether there is a next page. That one is not shown, so not marked read.
  const [rows, { authors, team }] = await Promise.all([
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
    // The thread's authors (for the filter) and the team with access (who reviews), in one statement.
    db
      .selectNoFrom([
        jsonArrayFrom(
          db
            .selectFrom("care_notes as n")
            .innerJoin("users as u", "u.id", "n.author_id")
            .select(["u.id", "u.name"])
            .distinct()
            .where("n.patient_id", "=", patientId)
            .orderBy("u.name"),
        ).as("authors"),
        jsonArrayFrom(careTeamWithAccessQuery(db, patientId, input.today ?? clinicToday(input.now))).as("team"),
      ])
      .executeTakeFirstOrThrow(),
  ]);
  return {
    notes: rows.slice(0, THREAD_PAGE_SIZE).map((n) => ({
      ...n,
      unread: !n.read_at,
      addenda: n.addenda.map((d) => ({ ...d, created_at: new Date(d.created_at) })),
      returns: n.returns.map((r) => ({ ...r, returned_at: new Date(r.returned_at) })),
    })),
    hasNext: rows.length > THREAD_PAGE_SIZE,
    authors,
    team,
  };
}
