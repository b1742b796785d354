import { sql } from "kysely";
import { jsonArrayFrom } from "kysely/helpers/postgres";
import type { Modality } from "../../../db/schema";
import type { Actor } from "~/auth/actor";
import type { Database, Executor } from "../../../db/engine";
import { recordAudit, type AuditContext } from "~/audit/audit.server";
import type { CheckedPatient } from "~/modules/patients/patients.server";
import { patientVisibleTo } from "~/modules/patients/policy.server";
import { windowFor } from "./windows";
import { inTherapyWindow } from "./windows.server";
import { plusDays } from "~/lib/time";

export interface SessionInput {
  patientId: string;
  startsAt: Date;
  modality: Modality;
  protocolNumber: number | null;
  protocolTotal: number | null;
  mode: "in_person" | "telehealth";
  now: Date;
}

/**
 * Records a therapy session the provider plans. It is tied to the infusion visit whose window
 * holds it, if any; a session outside every window is allowed and shown as such.
 */
export async function planTherapySession(
  db: Database,
  actor: Actor,
  audit: AuditContext,
  input: SessionInput,
): Promise<{ id: string; inWindow: boolean }> {
  return db.transaction().execute(async (trx) => {
    const visits = await trx
      .selectFrom("infusion_visits as v")
      .select(["v.id", "v.ends_at", "v.window_closes_at", "v.status"])
      .where("v.patient_id", "=", input.patientId)
      .where("v.status", "!=", "cancelled")
      .where(inTherapyWindow(input.startsAt))
      .execute();
    const visit = windowFor(input.startsAt, visits);
    const row = await trx
      .insertInto("therapy_sessions")
      .values({
        patient_id: input.patientId,
        provider_id: actor.id,
        visit_id: visit?.id ?? null,
        starts_at: input.startsAt,
        modality: input.modality,
        protocol_number: input.protocolNumber,
        protocol_total: input.protocolTotal,
        mode: input.mode,
        created_at: input.now,
        updated_at: input.now,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    await recordAudit(trx, audit, {
      action: "therapy_session.plan",
      entityType: "therapy_session",
      entityId: row.id,
      patientId: input.patientId,
      detail: { inWindow: Boolean(visit), modality: input.modality },
    });
    return { id: row.id, inWindow: Boolean(visit) };
  });
}

/** Only the provider who planned a session records how it went. */
export async function recordSessionOutcome(
  db: Database,
  actor: Actor,
  audit: AuditContext,
  input: { sessionId: string; patientId: string; outcome: "held" | "missed"; now: Date },
) {
  return db.transaction().execute(async (trx) => {
    const row = await trx
      .updateTable("therapy_sessions")
      .set({ status: input.outcome, updated_at: input.now })
      .where("id", "=", input.sessionId)
      .where("patient_id", "=", input.patientId)
      .where("provider_id", "=", actor.id)
      .where("status", "=", "planned")
      .returning("id")
      .executeTakeFirst();
    if (row)
      await recordAudit(trx, audit, {
        action: `therapy_session.${input.outcome}`,
        entityType: "therapy_session",
        entityId: row.id,
        patientId: input.patientId,
      });
    return Boolean(row);
  });
}

/** A patient's therapy sessions with the window each falls in now (after any reschedule). */
export async function listPatientSessions(db: Executor, patient: CheckedPatient<"infusion_schedule">) {
  const patientId = patient.id;
  const [sessions, visits] = await Promise.all([
    db
      .selectFrom("therapy_sessions as s")
      .innerJoin("users as u", "u.id", "s.provider_id")
      .select([
        "s.id",
        "s.provider_id",
        "s.visit_id",
        "s.starts_at",
        "s.modality",
        "s.protocol_number",
        "s.protocol_total",
        "s.mode",
        "s.status",
        "u.name as provider_name",
      ])
      .where("s.patient_id", "=", patientId)
      .orderBy("s.starts_at")
      .limit(500)
      .execute(),
    db
      .selectFrom("infusion_visits")
      .select(["id", "ends_at", "window_closes_at", "status", "starts_at"])
      .where("patient_id", "=", patientId)
      .execute(),
  ]);
  return sessions.map((s) => {
    const current = windowFor(s.starts_at, visits);
    return {
      ...s,
      windowVisitId: current?.id ?? null,
      // Planned for one visit's window, which moved or was cancelled so the session no longer falls in it.
      movedOut: s.visit_id !== null && current?.id !== s.visit_id,
    };
  });
}

/**
 * The provider's "upcoming infusions": every visit of the patients whose infusion schedule their
 * release shares, whose window has not closed, with the sessions planned inside each window.
 */
export function upcomingForProviderQuery(
  db: Executor,
  actor: Actor,
  input: { now: Date; today: string; limit: number; offset?: number },
) {
  return db
    .selectFrom("infusion_visits as v")
    .innerJoin("patients", "patients.id", "v.patient_id")
    .innerJoin("locations as l", "l.id", "v.location_id")
    .select([
      "v.id",
      "v.patient_id",
      "v.kind",
      "v.starts_at",
      "v.ends_at",
      "v.window_closes_at",
      "v.status",
      "l.name as location_name",
      "patients.first_name",
      "patients.last_name",
    ])
    .select((eb) =>
      jsonArrayFrom(
        eb
          .selectFrom("therapy_sessions as s")
          .select([
            "s.id",
            "s.patient_id",
            "s.provider_id",
            "s.starts_at",
            "s.modality",
            "s.protocol_number",
            "s.protocol_total",
            "s.status",
            "s.mode",
          ])
          .whereRef("s.patient_id", "=", "v.patient_id")
          .where("s.status", "!=", "missed")
          .where(inTherapyWindow(sql.ref("s.starts_at")))
          .orderBy("s.starts_at"),
      ).as("sessions"),
    )
    .where(patientVisibleTo(actor, input.today, "infusion_schedule"))
    .where("v.status", "!=", "cancelled")
    .where("v.window_closes_at", ">", input.now)
    .orderBy("v.starts_at")
    .orderBy("v.id")
    .limit(input.limit)
    .offset(input.offset ?? 0);
}

/** Sessions of this provider that fall outside every therapy window, upcoming. */
export function sessionsOutsideWindowsQuery(db: Executor, actor: Actor, input: { now: Date; today: string }) {
  return db
    .selectFrom("therapy_sessions as s")
    .innerJoin("patients", "patients.id", "s.patient_id")
    .select([
      "s.id",
      "s.patient_id",
      "s.visit_id",
      "s.starts_at",
      "s.modality",
      "s.protocol_number",
      "s.protocol_total",
      "s.status",
      "patients.first_name",
      "patients.last_name",
    ])
    .where(patientVisibleTo(actor, input.today, "infusion_schedule"))
    .where("s.provider_id", "=", actor.id)
    .where("s.status", "=", "planned")
    .where("s.starts_at", ">", plusDays(input.now, -7))
    .where((eb) =>
      eb.not(
        eb.exists(
          eb
            .selectFrom("infusion_visits as v")
            .select("v.id")
            .whereRef("v.patient_id", "=", "s.patient_id")
            .where("v.status", "!=", "cancelled")
            .where(inTherapyWindow(sql.ref("s.starts_at"))),
        ),
      ),
    )
    .orderBy("s.starts_at")
    .limit(200);
}

export async function sessionsOutsideWindows(db: Executor, actor: Actor, input: { now: Date; today: string }) {
  return sessionsOutsideWindowsQuery(db, actor, input).execute();
}

/** For coordinators: open or upcoming windows in which no provider has planned a session. */
export function windowsWithoutSessionQuery(db: Executor, input: { now: Date; limit: number }) {
  return db
    .selectFrom("infusion_visits as v")
    .innerJoin("patients as p", "p.id", "v.patient_id")
    .innerJoin("locations as l", "l.id", "v.location_id")
    .select([
      "v.id",
      "v.patient_id",
      "v.starts_at",
      "v.ends_at",
      "v.window_closes_at",
      "l.name as location_name",
      "p.first_name",
      "p.last_name",
      "p.record_number",
    ])
    .where("v.status", "!=", "cancelled")
    .where("v.window_closes_at", ">", input.now)
    .where((eb) =>
      eb.not(
        eb.exists(
          eb
            .selectFrom("therapy_sessions as s")
            .select("s.id")
            .whereRef("s.patient_id", "=", "v.patient_id")
            .where("s.status", "!=", "missed")
            .where(inTherapyWindow(sql.ref("s.starts_at"))),
        ),
      ),
    )
    .orderBy("v.window_closes_at")
    .limit(input.limit);
}

export async function windowsWithoutSession(db: Executor, input: { now: Date; limit: number }) {
  return windowsWithoutSessionQuery(db, input).execute();
}
