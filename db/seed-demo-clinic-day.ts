import type { Transaction } from "kysely";
import { clinicToday, zonedToUtc } from "../app/lib/time";
import { DEFAULT_VISIT_SETTINGS, visitTimes } from "../app/modules/infusions/windows";
import type { DB, VisitStatus } from "./schema";

/**
 * Today at the demo clinician's clinic, in New York time: one visit in each state a day goes through.
 * Only patients whose engagement counts (the first, second and fifth) are booked, as the booking gate
 * demands; the demo's one lapsed patient stays the only "engagement lapsed with visits booked".
 */
const TODAY: { at: string; patient: number; status: VisitStatus; cancelReason?: string }[] = [
  { at: "08:00", patient: 1, status: "held" },
  { at: "10:00", patient: 4, status: "scheduled" },
  { at: "12:00", patient: 0, status: "missed" },
  { at: "14:00", patient: 1, status: "cancelled", cancelReason: "Patient asked to move the visit (demo)." },
  { at: "16:00", patient: 0, status: "scheduled" },
];

export const DEMO_CLINIC = "chelsea";

/**
 * The demo's clinic day: the demo clinician works at Chelsea, and today's schedule there has a held,
 * a missed, a cancelled and two scheduled visits (each its own single-visit course), so the clinic
 * schedule shows a real day with free time between the visits.
 */
export async function seedDemoClinicDay(
  trx: Transaction<DB>,
  input: { now: Date; clinicianId: string; patientIds: string[] },
) {
  await trx.updateTable("users").set({ home_location_id: DEMO_CLINIC }).where("id", "=", input.clinicianId).execute();
  const today = clinicToday(input.now);
  for (const visit of TODAY) {
    const patientId = input.patientIds[visit.patient]!;
    const course = await trx
      .insertInto("infusion_courses")
      .values({
        patient_id: patientId,
        location_id: DEMO_CLINIC,
        clinician_id: input.clinicianId,
        created_by: input.clinicianId,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    const t = visitTimes(zonedToUtc(`${today}T${visit.at}`)!, DEFAULT_VISIT_SETTINGS);
    await trx
      .insertInto("infusion_visits")
      .values({
        course_id: course.id,
        patient_id: patientId,
        location_id: DEMO_CLINIC,
        clinician_id: input.clinicianId,
        kind: "course",
        starts_at: t.startsAt,
        ends_at: t.endsAt,
        infusion_minutes: DEFAULT_VISIT_SETTINGS.infusionMinutes,
        window_closes_at: t.windowClosesAt,
        status: visit.status,
        cancel_reason: visit.cancelReason ?? null,
        updated_at: input.now,
      })
      .execute();
  }
}
