import { sql } from "kysely";
import { jsonArrayFrom, jsonObjectFrom } from "kysely/helpers/postgres";
import { plusDays, wallTime, zonedToUtc } from "~/lib/time";
import type { Executor } from "../../../db/engine";
import { engagementGateDetail } from "~/modules/engagement/engagement.server";
import { clinicDay, courseWarnings, DEFAULT_VISIT_SETTINGS, overlaps, visitTimes, withinClinicHours } from "./windows";

export interface CourseProposal {
  patientId: string;
  locationId: string;
  clinicianId: string;
  kind: "course" | "booster";
  /** Each visit's start as a New York wall-clock reading, "YYYY-MM-DDTHH:MM", in the order proposed. */
  visits: string[];
  now: Date;
}

export interface ProposedVisit {
  local: string;
  startsAt: string | null;
  endsAt: string | null;
  windowClosesAt: string | null;
  /** Why this visit cannot be booked as it stands: each names what it clashes with. */
  conflicts: string[];
  /** What to confirm but does not stop the booking. */
  warnings: string[];
}

export interface CoursePreview {
  clinic: { id: string; name: string; opens_at: string; closes_at: string; time_zone: string } | null;
  clinicianName: string | null;
  visits: ProposedVisit[];
  /** What stops the whole booking: the engagement gate, a supervising clinician who cannot be booked. */
  refusals: string[];
  /** About the course as a whole (its length, its span). */
  warnings: string[];
  bookable: boolean;
}

const span = (from: Date, to: Date, timeZone: string) =>
  `${wallTime(from, timeZone).time}–${wallTime(to, timeZone).time}`;

/**
 * What a proposed course would meet if booked now, read in one statement: the clinic's hours, the
 * visit length, the supervising clinician, and the visits of this patient or of that clinician
 * near the proposal. Another patient's visit is read as its times only, never whose it is.
 */
async function proposalContext(db: Executor, input: CourseProposal, starts: Date[]) {
  const times = starts.map((s) => s.getTime());
  const from = times.length ? plusDays(new Date(Math.min(...times)), -1) : input.now;
  const to = times.length ? plusDays(new Date(Math.max(...times)), 2) : input.now;
  return db
    .selectNoFrom((eb) => [
      jsonObjectFrom(
        eb
          .selectFrom("locations")
          .select(["id", "name", "opens_at", "closes_at", "time_zone"])
          .where("id", "=", input.locationId),
      ).as("clinic"),
      jsonObjectFrom(
        eb.selectFrom("clinic_settings").select(["visit_minutes", "infusion_minutes", "therapy_window_hours"]).limit(1),
      ).as("settings"),
      eb
        .selectFrom("users")
        .select("name")
        .where("id", "=", input.clinicianId)
        .where("role", "=", "clinician")
        .where("status", "=", "active")
        .as("clinician_name"),
      jsonArrayFrom(
        eb
          .selectFrom("infusion_visits as v")
          .innerJoin("locations as l", "l.id", "v.location_id")
          .select([
            "v.starts_at",
            "v.ends_at",
            "l.name as location_name",
            sql<boolean>`v.patient_id = ${input.patientId}`.as("this_patient"),
            sql<boolean>`v.clinician_id = ${input.clinicianId}`.as("same_clinician"),
          ])
          .where("v.status", "!=", "cancelled")
          .where("v.starts_at", "<", to)
          .where("v.ends_at", ">", from)
          .where((w) => w.or([w("v.patient_id", "=", input.patientId), w("v.clinician_id", "=", input.clinicianId)]))
          .orderBy("v.starts_at"),
      ).as("nearby"),
    ])
    .executeTakeFirstOrThrow();
}

/**
 * The preview of a course before it is booked: each proposed visit with its therapy window and
 * every conflict explained (the patient's other visit that day, the clinician busy with another
 * visit, the clinic's hours), the warnings booking would give, and the engagement gate's answer.
 * Booking checks the same rules again inside its transaction.
 */
export async function previewCourse(db: Executor, input: CourseProposal): Promise<CoursePreview> {
  const starts = input.visits.map((local) => zonedToUtc(local));
  const valid = starts.filter((s): s is Date => s !== null);
  const [gate, context] = await Promise.all([
    engagementGateDetail(db, input.patientId, input.now),
    proposalContext(db, input, valid),
  ]);
  const s = context.settings;
  const settings = s
    ? { visitMinutes: s.visit_minutes, infusionMinutes: s.infusion_minutes, windowHours: s.therapy_window_hours }
    : DEFAULT_VISIT_SETTINGS;
  const clinic = context.clinic;
  const zone = clinic?.time_zone ?? "America/New_York";
  const nearby = context.nearby.map((v) => ({ ...v, startsAt: new Date(v.starts_at), endsAt: new Date(v.ends_at) }));
  const confirmedUntil = gate.confirmedUntil ? new Date(gate.confirmedUntil) : null;
  const clinician = context.clinician_name ?? "The supervising clinician";

  const visits = input.visits.map((local, i): ProposedVisit => {
    const start = starts[i];
    if (!start) {
      const [day, time] = local.split("T");
      return {
        local,
        startsAt: null,
        endsAt: null,
        windowClosesAt: null,
        conflicts: [`${time} on ${day} does not exist in New York: the clocks skip that hour.`],
        warnings: [],
      };
    }
    const t = visitTimes(start, settings);
    const conflicts: string[] = [];
    if (start <= input.now) conflicts.push("This time has already passed: every visit must start in the future.");
    if (clinic && !withinClinicHours(t.startsAt, t.endsAt, clinic))
      conflicts.push(
        `Outside ${clinic.name}'s hours (${clinic.opens_at}–${clinic.closes_at} New York time): this visit would run ${span(t.startsAt, t.endsAt, zone)}.`,
      );
    const day = clinicDay(start, zone);
    const twin = starts.findIndex((other, j) => j !== i && other !== null && clinicDay(other, zone) === day);
    if (twin !== -1)
      conflicts.push(`Same day as visit ${twin + 1} of this proposal: a patient has at most one infusion visit a day.`);
    for (const v of nearby) {
      if (v.this_patient && clinicDay(v.startsAt, zone) === day) {
        conflicts.push(
          `Same day as this patient's visit ${span(v.startsAt, v.endsAt, zone)} at ${v.location_name}: at most one infusion visit a day.`,
        );
      } else if (!v.this_patient && v.same_clinician && overlaps(t, v)) {
        conflicts.push(
          `${clinician} is busy: another patient's visit ${span(v.startsAt, v.endsAt, zone)}. Care is one clinician to one patient.`,
        );
      }
    }
    const warnings =
      confirmedUntil && start > confirmedUntil
        ? [`Confirmation expires before this visit (on ${clinicDay(confirmedUntil)}): it needs a renewal first.`]
        : [];
    return {
      local,
      startsAt: t.startsAt.toISOString(),
      endsAt: t.endsAt.toISOString(),
      windowClosesAt: t.windowClosesAt.toISOString(),
      conflicts,
      warnings,
    };
  });
  const refusals = [
    ...(gate.allowed ? [] : gate.reasons),
    ...(context.clinician_name ? [] : ["Choose an active Ember clinician to supervise the visits."]),
    ...(clinic ? [] : ["Choose the clinic."]),
  ];
  return {
    clinic,
    clinicianName: context.clinician_name ?? null,
    visits,
    refusals,
    warnings: courseWarnings(valid, input.kind),
    bookable: refusals.length === 0 && visits.length > 0 && visits.every((v) => v.conflicts.length === 0),
  };
}
