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
import { lockPatientSchedules } from "~/modules/patients/locks.server";
import { plusDays } from "~/lib/time";

export interface SessionInput {
  patientId: string;
  startsAt: Date;
  modality: Modality;
  protocolNumber: number | null;
  protocolTotal: number | null;
  mode: "in_person" | "telehealth";
  /** The provider confirmed a time outside every therapy window (asked for on a first submit). */
  outsideWindow: boolean;
  now: Date;
}

/** A session change refused for a reason the provider can act on; `field` names the answer it is about. */
export class SessionRefusal extends Error {
  constructor(
    message: string,
    public readonly field?: string,
  ) {
    super(message);
  }
}

export const OUTSIDE_WINDOW_QUESTION =
  "This time falls outside every therapy window. Tick “Plan it anyway” and submit again to plan it there, or choose a time inside a window.";

/** The same protocol session planned twice by one provider: a second "WET 2" is refused (cancelled ones do not count). */
export async function refuseDuplicateNumber(
  trx: Executor,
  actor: Actor,
  input: { patientId: string; modality: Modality; protocolNumber: number | null; ignoreSessionId?: string },
) {
  if (input.protocolNumber === null) return;
  let query = trx
    .selectFrom("therapy_sessions")
    .select("id")
    .where("patient_id", "=", input.patientId)
    .where("provider_id", "=", actor.id)
    .where("modality", "=", input.modality)
    .where("protocol_number", "=", input.protocolNumber)
    .where("status", "!=", "cancelled");
  if (input.ignoreSessionId) query = query.where("id", "!=", input.ignoreSessionId);
  if (await query.executeTakeFirst())
    throw new SessionRefusal(
      `You already have ${input.modality} session ${input.protocolNumber} for this patient. Use the next number, or move or cancel that session.`,
      "protocolNumber",
    );
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
    await lockPatientSchedules(trx, [input.patientId]);
    await refuseDuplicateNumber(trx, actor, input);
    const visit = await windowHolding(trx, input.patientId, input.startsAt);
    if (!visit && !input.outsideWindow) throw new SessionRefusal(OUTSIDE_WINDOW_QUESTION, "outsideWindow");
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

/** The patient's visit whose therapy window holds this moment, if any. */
export async function windowHolding(trx: Executor, patientId: string, moment: Date) {
  const visits = await trx
    .selectFrom("infusion_visits as v")
    .select(["v.id", "v.ends_at", "v.window_closes_at", "v.status"])
    .where("v.patient_id", "=", patientId)
    .where("v.status", "!=", "cancelled")
    .where(inTherapyWindow(moment))
    .execute();
  return windowFor(moment, visits);
}

/** Only the provider who planned a session records how it went, and only once its time has come. */
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
      .returning(["id", "starts_at"])
      .executeTakeFirst();
    if (row && row.starts_at > input.now)
      throw new SessionRefusal(
        `This session has not started yet: record whether it was ${input.outcome === "held" ? "held" : "missed"} once its time has come.`,
      );
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
          .where("s.status", "in", ["planned", "held"])
          .where(inTherapyWindow(sql.ref("s.starts_at")))
          .orderBy("s.starts_at"),
      ).as("sessions"),
    )
    .select((eb) =>
      jsonArrayFrom(
        eb
          .selectFrom("therapy_sessions as s")
          .select(["s.modality", "s.status", "s.protocol_total"])
          .whereRef("s.patient_id", "=", "v.patient_id")
          .where("s.status", "in", ["planned", "held"])
          .orderBy("s.starts_at")
          .limit(100),
      ).as("progress"),
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
            .where("s.status", "in", ["planned", "held"])
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
