import type { Actor } from "~/auth/actor";
import { recordAudit, type AuditContext } from "~/audit/audit.server";
import { isTraumaModality, PROTOCOL_SESSIONS } from "~/lib/therapies";
import { plusHours, toLocalInput } from "~/lib/time";
import { lockPatientSchedules } from "~/modules/patients/locks.server";
import type { CheckedPatient } from "~/modules/patients/patients.server";
import type { Modality } from "../../../db/schema";
import type { Database, Executor } from "../../../db/engine";
import { OUTSIDE_WINDOW_QUESTION, refuseDuplicateNumber, SessionRefusal, windowHolding } from "./sessions.server";

const HOUR_MS = 3_600_000;

/**
 * When "Plan one" proposes a session in a window: the next whole hour at least two hours from now
 * that falls inside the window, else the window's start. New York's offsets are whole hours, so a
 * whole hour in UTC is one on the clinic's clock too.
 */
export function proposedSessionStart(window: { ends_at: Date; window_closes_at: Date }, now: Date): Date {
  const earliest = Math.max(plusHours(now, 2).getTime(), window.ends_at.getTime());
  const wholeHour = new Date(Math.ceil(earliest / HOUR_MS) * HOUR_MS);
  return wholeHour < window.window_closes_at ? wholeHour : window.ends_at;
}

export interface SessionPrefill {
  startsAt: string;
  modality?: Modality;
  protocolNumber?: string;
  protocolTotal?: string;
}

/**
 * The plan form filled for one window of this patient: a time inside it, the modality the provider
 * named in their engagement confirmation, and the next session number of that protocol. Null when
 * the visit is not this patient's or was cancelled.
 */
export async function sessionPrefill(
  db: Executor,
  actor: Actor,
  patient: CheckedPatient<"infusion_schedule">,
  visitId: string,
  now: Date,
): Promise<SessionPrefill | null> {
  const [visit, confirmation] = await Promise.all([
    db
      .selectFrom("infusion_visits")
      .select(["ends_at", "window_closes_at"])
      .where("id", "=", visitId)
      .where("patient_id", "=", patient.id)
      .where("status", "!=", "cancelled")
      .executeTakeFirst(),
    db
      .selectFrom("engagement_confirmations")
      .select("trauma_therapy")
      .where("patient_id", "=", patient.id)
      .where("provider_id", "=", actor.id)
      .orderBy("confirmed_at", "desc")
      .limit(1)
      .executeTakeFirst(),
  ]);
  if (!visit) return null;
  const startsAt = toLocalInput(proposedSessionStart(visit, now));
  const modality = confirmation?.trauma_therapy;
  if (!modality || modality === "none") return { startsAt };
  const last = await db
    .selectFrom("therapy_sessions")
    .select(["protocol_number", "protocol_total"])
    .where("patient_id", "=", patient.id)
    .where("provider_id", "=", actor.id)
    .where("modality", "=", modality)
    .where("status", "!=", "cancelled")
    .where("protocol_number", "is not", null)
    .orderBy("protocol_number", "desc")
    .limit(1)
    .executeTakeFirst();
  const total = last?.protocol_total ?? (isTraumaModality(modality) ? PROTOCOL_SESSIONS[modality].min : null);
  return {
    startsAt,
    modality,
    protocolNumber: String((last?.protocol_number ?? 0) + 1),
    protocolTotal: total ? String(total) : undefined,
  };
}

interface SessionChange {
  sessionId: string;
  patientId: string;
  now: Date;
}

/** The provider's own session, locked for the change; refused when it is not planned (or cancelled, for undo). */
async function ownSession(trx: Executor, actor: Actor, input: SessionChange, status: "planned" | "cancelled") {
  const row = await trx
    .selectFrom("therapy_sessions")
    .select(["id", "starts_at", "modality", "protocol_number"])
    .where("id", "=", input.sessionId)
    .where("patient_id", "=", input.patientId)
    .where("provider_id", "=", actor.id)
    .where("status", "=", status)
    .forUpdate()
    .executeTakeFirst();
  if (!row)
    throw new SessionRefusal(
      status === "planned"
        ? "Only your own planned sessions can be changed."
        : "Only a session you cancelled can be restored.",
    );
  return row;
}

/** Moves a planned session; a new time outside every window is asked about first, as when planning. */
export async function moveTherapySession(
  db: Database,
  actor: Actor,
  audit: AuditContext,
  input: SessionChange & { startsAt: Date; outsideWindow: boolean },
) {
  return db.transaction().execute(async (trx) => {
    await lockPatientSchedules(trx, [input.patientId]);
    const session = await ownSession(trx, actor, input, "planned");
    if (input.startsAt <= input.now) throw new SessionRefusal("Choose a time that has not passed yet.", "startsAt");
    const visit = await windowHolding(trx, input.patientId, input.startsAt);
    if (!visit && !input.outsideWindow) throw new SessionRefusal(OUTSIDE_WINDOW_QUESTION, "outsideWindow");
    await trx
      .updateTable("therapy_sessions")
      .set({ starts_at: input.startsAt, visit_id: visit?.id ?? null, updated_at: input.now })
      .where("id", "=", session.id)
      .execute();
    await recordAudit(trx, audit, {
      action: "therapy_session.move",
      entityType: "therapy_session",
      entityId: session.id,
      patientId: input.patientId,
      detail: { from: session.starts_at.toISOString(), to: input.startsAt.toISOString(), inWindow: Boolean(visit) },
    });
    return { inWindow: Boolean(visit) };
  });
}

/** Cancels a planned session, or (undo) restores a cancelled one while its time is still ahead. */
export async function setSessionCancelled(
  db: Database,
  actor: Actor,
  audit: AuditContext,
  input: SessionChange & { cancelled: boolean },
) {
  return db.transaction().execute(async (trx) => {
    await lockPatientSchedules(trx, [input.patientId]);
    const session = await ownSession(trx, actor, input, input.cancelled ? "planned" : "cancelled");
    if (!input.cancelled) {
      if (session.starts_at <= input.now)
        throw new SessionRefusal("This session's time has passed: plan a new one instead of restoring it.");
      await refuseDuplicateNumber(trx, actor, {
        patientId: input.patientId,
        modality: session.modality,
        protocolNumber: session.protocol_number,
        ignoreSessionId: session.id,
      }).catch(() => {
        throw new SessionRefusal(
          `You planned another ${session.modality} session ${session.protocol_number} since: this one cannot be restored.`,
        );
      });
    }
    await trx
      .updateTable("therapy_sessions")
      .set({ status: input.cancelled ? "cancelled" : "planned", updated_at: input.now })
      .where("id", "=", session.id)
      .execute();
    await recordAudit(trx, audit, {
      action: input.cancelled ? "therapy_session.cancel" : "therapy_session.restore",
      entityType: "therapy_session",
      entityId: session.id,
      patientId: input.patientId,
    });
  });
}
