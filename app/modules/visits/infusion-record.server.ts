import { sql } from "kysely";
import type { Actor } from "~/auth/actor";
import { clinicToday } from "~/lib/time";
import type { Database, Executor } from "../../../db/engine";
import { recordAudit, type AuditContext } from "~/audit/audit.server";
import { insertNote } from "~/modules/notes/notes.server";
import { infusionSummaryText } from "./summary";
import type { VitalLimits, Vitals } from "./vitals";

/**
 * The structured record of a held infusion. A clinician saves it as often as needed while the
 * visit runs; signing makes it permanent (corrections become addenda, as with care notes) and
 * writes the infusion summary for the outside team, in the same transaction.
 */

export class RecordError extends Error {}

export type RecordInput = Vitals & {
  dose_mg_per_kg: number;
  dose_mg: number;
  route: "IV" | "IM";
  started_at: Date;
  ended_at: Date;
  dissociation: number;
  adverse_events: string[];
  adverse_notes: string | null;
  recovered_at: Date;
  discharged_at: Date;
  escort: string;
};

export async function clinicVitalLimits(db: Executor): Promise<VitalLimits & { summaryShowsDose: boolean }> {
  const row = await db
    .selectFrom("clinic_settings")
    .select(["bp_systolic_limit", "bp_diastolic_limit", "heart_rate_limit", "spo2_floor", "summary_shows_dose"])
    .executeTakeFirst();
  return {
    systolic: row?.bp_systolic_limit ?? 160,
    diastolic: row?.bp_diastolic_limit ?? 100,
    heartRate: row?.heart_rate_limit ?? 110,
    spo2Floor: row?.spo2_floor ?? 92,
    summaryShowsDose: row?.summary_shows_dose ?? false,
  };
}

async function heldVisit(trx: Executor, patientId: string, visitId: string) {
  const visit = await trx
    .selectFrom("infusion_visits")
    .select(["id", "status"])
    .where("id", "=", visitId)
    .where("patient_id", "=", patientId)
    .forUpdate()
    .executeTakeFirst();
  if (!visit) throw new RecordError("That visit is not on this patient's schedule.");
  if (visit.status !== "held")
    throw new RecordError("Record the visit as held first: the record is for an infusion given.");
  return visit;
}

export async function saveInfusionRecord(
  db: Database,
  actor: Actor,
  audit: AuditContext,
  input: { patientId: string; visitId: string; now: Date; record: RecordInput },
) {
  await db.transaction().execute(async (trx) => {
    await heldVisit(trx, input.patientId, input.visitId);
    const values = { ...input.record, recorded_by: actor.id, updated_at: input.now };
    const saved = await trx
      .insertInto("infusion_records")
      .values({ ...values, visit_id: input.visitId, patient_id: input.patientId })
      .onConflict((oc) => oc.column("visit_id").doUpdateSet(values).where("infusion_records.signed_at", "is", null))
      .returning("visit_id")
      .executeTakeFirst();
    if (!saved) throw new RecordError("This record is signed and can no longer change: add an addendum instead.");
    await recordAudit(trx, audit, {
      action: "infusion_record.save",
      entityType: "infusion_visit",
      entityId: input.visitId,
      patientId: input.patientId,
    });
  });
}

/** Signs the record and writes its summary note (queued for the psychiatrist's review); once. */
export async function signInfusionRecord(
  db: Database,
  actor: Actor,
  audit: AuditContext,
  input: { patientId: string; visitId: string; now: Date; appUrl: string },
): Promise<{ noteId: string }> {
  return db.transaction().execute(async (trx) => {
    const record = await trx
      .updateTable("infusion_records")
      .set({ signed_by: actor.id, signed_at: input.now })
      .where("visit_id", "=", input.visitId)
      .where("patient_id", "=", input.patientId)
      .where("signed_at", "is", null)
      .returningAll()
      .executeTakeFirst();
    if (!record) {
      const exists = await trx
        .selectFrom("infusion_records")
        .select("signed_at")
        .where("visit_id", "=", input.visitId)
        .where("patient_id", "=", input.patientId)
        .executeTakeFirst();
      throw new RecordError(exists ? "This record is already signed." : "Save the record before signing it.");
    }
    const visit = await trx
      .selectFrom("infusion_visits as v")
      .innerJoin("locations as l", "l.id", "v.location_id")
      .select(["v.starts_at", "v.ends_at", "v.window_closes_at", "v.stopped_early_reason", "l.name as location_name"])
      .where("v.id", "=", input.visitId)
      .executeTakeFirstOrThrow();
    const nextVisit = await trx
      .selectFrom("infusion_visits as v")
      .innerJoin("locations as l", "l.id", "v.location_id")
      .select(["v.starts_at", "l.name as location_name"])
      .where("v.patient_id", "=", input.patientId)
      .where("v.status", "=", "scheduled")
      .where("v.starts_at", ">", visit.starts_at)
      .orderBy("v.starts_at")
      .limit(1)
      .executeTakeFirst();
    const { summaryShowsDose } = await clinicVitalLimits(trx);
    const note = await insertNote(trx, actor, audit, {
      patientId: input.patientId,
      kind: "infusion_summary",
      body: infusionSummaryText({ visit, record, nextVisit: nextVisit ?? null, showDose: summaryShowsDose }),
      requestReview: true,
      now: input.now,
      today: clinicToday(input.now),
      appUrl: input.appUrl,
      visitId: input.visitId,
    });
    await recordAudit(trx, audit, {
      action: "infusion_record.sign",
      entityType: "infusion_visit",
      entityId: input.visitId,
      patientId: input.patientId,
      detail: { noteId: note.id },
    });
    return { noteId: note.id };
  });
}

/** A correction to a signed record, kept beside it with its author and time. */
export async function addRecordAddendum(
  db: Database,
  actor: Actor,
  audit: AuditContext,
  input: { patientId: string; visitId: string; body: string; now: Date },
) {
  await db.transaction().execute(async (trx) => {
    const record = await trx
      .selectFrom("infusion_records")
      .select("signed_at")
      .where("visit_id", "=", input.visitId)
      .where("patient_id", "=", input.patientId)
      .executeTakeFirst();
    if (!record) throw new RecordError("There is no infusion record for this visit yet.");
    if (!record.signed_at) throw new RecordError("The record is not signed yet: correct it directly.");
    const { id } = await trx
      .insertInto("infusion_record_addenda")
      .values({ visit_id: input.visitId, author_id: actor.id, body: input.body, created_at: input.now })
      .returning("id")
      .executeTakeFirstOrThrow();
    await recordAudit(trx, audit, {
      action: "infusion_record.addendum",
      entityType: "infusion_visit",
      entityId: input.visitId,
      patientId: input.patientId,
      detail: { addendumId: id },
    });
  });
}

/** The record of a visit with who recorded and signed it, and its addenda; null before it is saved. */
export async function infusionRecordOf(db: Executor, patientId: string, visitId: string) {
  const record = await db
    .selectFrom("infusion_records as r")
    .innerJoin("users as rb", "rb.id", "r.recorded_by")
    .leftJoin("users as sb", "sb.id", "r.signed_by")
    .selectAll("r")
    .select([
      "rb.name as recorded_by_name",
      "sb.name as signed_by_name",
      (eb) =>
        eb
          .selectFrom("care_notes as n")
          .select("n.id")
          .whereRef("n.visit_id", "=", "r.visit_id")
          .where("n.kind", "=", "infusion_summary")
          .as("summary_note_id"),
      (eb) =>
        sql<{ id: string; body: string; created_at: string; author_name: string }[]>`coalesce((${eb
          .selectFrom("infusion_record_addenda as a")
          .innerJoin("users as au", "au.id", "a.author_id")
          .select(
            sql`json_agg(json_build_object('id', a.id, 'body', a.body, 'created_at', a.created_at, 'author_name', au.name) order by a.created_at)`.as(
              "list",
            ),
          )
          .whereRef("a.visit_id", "=", "r.visit_id")}), '[]'::json)`.as("addenda"),
    ])
    .where("r.visit_id", "=", visitId)
    .where("r.patient_id", "=", patientId)
    .executeTakeFirst();
  return record ?? null;
}

export type InfusionRecord = NonNullable<Awaited<ReturnType<typeof infusionRecordOf>>>;
