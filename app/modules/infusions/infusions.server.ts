import { queueEmail } from "~/email/outbox.server";
import { clinicToday, formatDateTime, plusDays } from "~/lib/time";
import type { Database, DatabaseTransaction, Executor } from "../../../db/engine";
import { recordAudit, type AuditContext } from "~/audit/audit.server";
import { careTeamWithAccess } from "~/modules/patients/care-team.server";
import { clinicSettings, engagementGateDetail } from "~/modules/engagement/engagement.server";
import { lockSchedules } from "~/modules/patients/locks.server";
import { clinicDay, courseWarnings, overlaps, proposalConflicts, visitTimes, type VisitSettings } from "./windows";

export class ScheduleError extends Error {
  constructor(public readonly problems: string[]) {
    super(problems.join(" "));
  }
}

export async function visitSettings(db: Executor): Promise<VisitSettings> {
  const s = await clinicSettings(db);
  return { visitMinutes: s.visit_minutes, infusionMinutes: s.infusion_minutes, windowHours: s.therapy_window_hours };
}

/** Existing visits that clash with a proposal: the patient's other visits that day, the clinician's overlapping ones. */
async function existingConflicts(
  db: Executor,
  input: { patientId: string; clinicianId: string; starts: Date[]; settings: VisitSettings; ignoreVisitId?: string },
): Promise<string[]> {
  if (input.starts.length === 0) return [];
  const times = input.starts.map((s) => visitTimes(s, input.settings));
  const from = plusDays(new Date(Math.min(...times.map((t) => t.startsAt.getTime()))), -1);
  const to = plusDays(new Date(Math.max(...times.map((t) => t.endsAt.getTime()))), 1);
  let query = db
    .selectFrom("infusion_visits")
    .select(["id", "patient_id", "clinician_id", "starts_at", "ends_at"])
    .where("status", "!=", "cancelled")
    .where("starts_at", "<", to)
    .where("ends_at", ">", from)
    .where((eb) => eb.or([eb("patient_id", "=", input.patientId), eb("clinician_id", "=", input.clinicianId)]));
  if (input.ignoreVisitId) query = query.where("id", "!=", input.ignoreVisitId);
  const existing = await query.execute();
  const problems: string[] = [];
  for (const t of times) {
    for (const v of existing) {
      if (v.patient_id === input.patientId && clinicDay(v.starts_at) === clinicDay(t.startsAt)) {
        problems.push(`The patient already has a visit on ${clinicDay(t.startsAt)}: at most one infusion visit a day.`);
      } else if (v.clinician_id === input.clinicianId && overlaps(t, { startsAt: v.starts_at, endsAt: v.ends_at })) {
        problems.push(
          `The supervising clinician already has an overlapping visit on ${clinicDay(t.startsAt)}: care is one clinician to one patient.`,
        );
      }
    }
  }
  return [...new Set(problems)];
}

async function locationHours(db: Executor, locationId: string) {
  return db
    .selectFrom("locations")
    .select(["opens_at", "closes_at", "time_zone"])
    .where("id", "=", locationId)
    .executeTakeFirstOrThrow();
}

/** What a notice says changed: visit times, named by the patient's calendar code, never by patient data. */
interface VisitTimesChanged {
  from?: Date;
  to?: Date;
}

/** One notice per change to each outside provider who may see this patient today (no patient data in it). */
async function notifyCareTeam(
  trx: DatabaseTransaction,
  patientId: string,
  change: "scheduled" | "rescheduled" | "cancelled",
  appUrl: string,
  now: Date,
  times: VisitTimesChanged = {},
) {
  const recipients = await careTeamWithAccess(trx, patientId, clinicToday(now));
  if (!recipients.length) return 0;
  const { calendar_code } = await trx
    .selectFrom("patients")
    .select("calendar_code")
    .where("id", "=", patientId)
    .executeTakeFirstOrThrow();
  const props = {
    change,
    scheduleUrl: `${appUrl}/schedule`,
    calendarCode: calendar_code,
    ...(times.from ? { from: formatDateTime(times.from) } : {}),
    ...(times.to ? { to: formatDateTime(times.to) } : {}),
  };
  for (const r of recipients) await queueEmail(trx, { template: "schedule-change", to: r.email, props });
  return recipients.length;
}

export interface CourseInput {
  patientId: string;
  locationId: string;
  clinicianId: string;
  kind: "course" | "booster";
  starts: Date[];
  now: Date;
  appUrl: string;
}

/** The gate, asked inside the caller's transaction after the patient's schedule lock: refuses with its reasons. */
async function requireGate(trx: DatabaseTransaction, patientId: string, now: Date) {
  const gate = await engagementGateDetail(trx, patientId, now);
  if (!gate.allowed) throw new ScheduleError(gate.reasons);
  return gate;
}

/** A warning per visit dated after the current confirmation expires: it will need a renewal first. */
function beyondConfirmation(starts: Date[], confirmedUntil: Date | null): string[] {
  if (!confirmedUntil) return [];
  return starts
    .filter((s) => s > confirmedUntil)
    .sort((a, b) => a.getTime() - b.getTime())
    .map(
      (s) => `The visit on ${clinicDay(s)}: confirmation expires before this visit (on ${clinicDay(confirmedUntil)}).`,
    );
}

/**
 * Schedules a course (or booster visits) for a patient the engagement gate allows. Conflicts are
 * refused with every reason at once; an unusual course shape, or a visit after the current
 * confirmation expires, only warns.
 */
export async function scheduleCourse(
  db: Database,
  audit: AuditContext,
  input: CourseInput,
): Promise<{ courseId: string; warnings: string[]; notified: number }> {
  const clinician = await db
    .selectFrom("users")
    .select("id")
    .where("id", "=", input.clinicianId)
    .where("role", "=", "clinician")
    .where("status", "=", "active")
    .executeTakeFirst();
  if (!clinician) throw new ScheduleError(["Choose an active Ember clinician to supervise the visits."]);
  if (input.starts.some((s) => s <= input.now)) throw new ScheduleError(["Every visit must start in the future."]);
  const settings = await visitSettings(db);
  const hours = await locationHours(db, input.locationId);
  return db.transaction().execute(async (trx) => {
    await lockSchedules(trx, input.patientId, input.clinicianId);
    const gate = await requireGate(trx, input.patientId, input.now);
    const problems = [
      ...proposalConflicts(input.starts, settings, hours),
      ...(await existingConflicts(trx, {
        patientId: input.patientId,
        clinicianId: input.clinicianId,
        starts: input.starts,
        settings,
      })),
    ];
    if (problems.length) throw new ScheduleError(problems);
    const course = await trx
      .insertInto("infusion_courses")
      .values({
        patient_id: input.patientId,
        location_id: input.locationId,
        clinician_id: input.clinicianId,
        created_by: audit.actorId!,
        created_at: input.now,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    const visits = [...input.starts]
      .sort((a, b) => a.getTime() - b.getTime())
      .map((start) => {
        const t = visitTimes(start, settings);
        return {
          course_id: course.id,
          patient_id: input.patientId,
          location_id: input.locationId,
          clinician_id: input.clinicianId,
          kind: input.kind,
          starts_at: t.startsAt,
          ends_at: t.endsAt,
          infusion_minutes: settings.infusionMinutes,
          window_closes_at: t.windowClosesAt,
          updated_at: input.now,
        };
      });
    await trx.insertInto("infusion_visits").values(visits).execute();
    const notified = await notifyCareTeam(trx, input.patientId, "scheduled", input.appUrl, input.now, {
      to: visits[0]!.starts_at,
    });
    await recordAudit(trx, audit, {
      action: "infusion.schedule",
      entityType: "infusion_course",
      entityId: course.id,
      patientId: input.patientId,
      detail: { visits: visits.length, kind: input.kind },
    });
    return {
      courseId: course.id,
      warnings: [...courseWarnings(input.starts, input.kind), ...beyondConfirmation(input.starts, gate.confirmedUntil)],
      notified,
    };
  });
}

async function visitOf(db: Executor, patientId: string, visitId: string) {
  return db
    .selectFrom("infusion_visits")
    .selectAll()
    .where("id", "=", visitId)
    .where("patient_id", "=", patientId)
    .executeTakeFirst();
}

/**
 * Moves a visit, for a patient the engagement gate allows; its window moves with it, calendar
 * clients see a higher SEQUENCE, the team gets one notice.
 */
export async function rescheduleVisit(
  db: Database,
  audit: AuditContext,
  input: { patientId: string; visitId: string; startsAt: Date; now: Date; appUrl: string },
): Promise<{ sessionsNowOutside: number; warnings: string[] }> {
  const visit = await visitOf(db, input.patientId, input.visitId);
  if (!visit || visit.status !== "scheduled") throw new ScheduleError(["Only a scheduled visit can be moved."]);
  if (input.startsAt <= input.now) throw new ScheduleError(["The new time must be in the future."]);
  const settings = await visitSettings(db);
  const hours = await locationHours(db, visit.location_id);
  const t = visitTimes(input.startsAt, settings);
  return db.transaction().execute(async (trx) => {
    await lockSchedules(trx, input.patientId, visit.clinician_id);
    const gate = await requireGate(trx, input.patientId, input.now);
    const problems = [
      ...proposalConflicts([input.startsAt], settings, hours),
      ...(await existingConflicts(trx, {
        patientId: input.patientId,
        clinicianId: visit.clinician_id,
        starts: [input.startsAt],
        settings,
        ignoreVisitId: visit.id,
      })),
    ];
    if (problems.length) throw new ScheduleError(problems);
    await trx
      .updateTable("infusion_visits")
      .set((eb) => ({
        starts_at: t.startsAt,
        ends_at: t.endsAt,
        window_closes_at: t.windowClosesAt,
        sequence: eb("sequence", "+", 1),
        updated_at: input.now,
      }))
      .where("id", "=", visit.id)
      .where("status", "=", "scheduled")
      .execute();
    const outside = await trx
      .selectFrom("therapy_sessions")
      .select((eb) => eb.fn.countAll<string>().as("n"))
      .where("visit_id", "=", visit.id)
      .where("status", "=", "planned")
      .where((eb) => eb.or([eb("starts_at", "<", t.endsAt), eb("starts_at", ">=", t.windowClosesAt)]))
      .executeTakeFirstOrThrow();
    await notifyCareTeam(trx, input.patientId, "rescheduled", input.appUrl, input.now, {
      from: visit.starts_at,
      to: t.startsAt,
    });
    await recordAudit(trx, audit, {
      action: "infusion.reschedule",
      entityType: "infusion_visit",
      entityId: visit.id,
      patientId: input.patientId,
      detail: { from: visit.starts_at.toISOString(), to: t.startsAt.toISOString() },
    });
    return { sessionsNowOutside: Number(outside.n), warnings: beyondConfirmation([t.startsAt], gate.confirmedUntil) };
  });
}

export async function cancelVisit(
  db: Database,
  audit: AuditContext,
  input: { patientId: string; visitId: string; reason: string; now: Date; appUrl: string },
) {
  return db.transaction().execute(async (trx) => {
    const row = await trx
      .updateTable("infusion_visits")
      .set((eb) => ({
        status: "cancelled" as const,
        cancel_reason: input.reason,
        sequence: eb("sequence", "+", 1),
        updated_at: input.now,
      }))
      .where("id", "=", input.visitId)
      .where("patient_id", "=", input.patientId)
      .where("status", "=", "scheduled")
      .returning(["id", "starts_at"])
      .executeTakeFirst();
    if (!row) return false;
    await notifyCareTeam(trx, input.patientId, "cancelled", input.appUrl, input.now, { from: row.starts_at });
    await recordAudit(trx, audit, {
      action: "infusion.cancel",
      entityType: "infusion_visit",
      entityId: row.id,
      patientId: input.patientId,
    });
    return true;
  });
}
