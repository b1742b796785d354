import type { Transaction } from "kysely";
import { clinicToday, plusDays, zonedToUtc } from "../app/lib/time";
import { DEFAULT_VISIT_SETTINGS, visitTimes } from "../app/modules/infusions/windows";
import { infusionSummaryText } from "../app/modules/visits/summary";
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
  const held: { visitId: string; patientId: string; startsAt: Date; endsAt: Date; windowClosesAt: Date }[] = [];
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
    const { id } = await trx
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
      .returning("id")
      .executeTakeFirstOrThrow();
    if (visit.status === "held")
      held.push({ visitId: id, patientId, startsAt: t.startsAt, endsAt: t.endsAt, windowClosesAt: t.windowClosesAt });
  }
  await seedSignedRecord(trx, input.clinicianId, held[0]!);
  // A medication on the clinic's list, not yet reviewed: it shows on the afternoon visit's check.
  await trx
    .insertInto("patient_medications")
    .values({
      patient_id: input.patientIds[0]!,
      name: "Clonazepam",
      dose: "0.5 mg at night",
      prescriber: "Dr. Ravi Castellano (demo)",
      started_on: clinicToday(plusDays(input.now, -120)),
      entered_by: input.clinicianId,
    })
    .execute();
}

/**
 * The morning's held visit, recorded and signed: a blood pressure before the infusion above the
 * clinic's 160/100 (flagged on its check and record), and its summary awaiting the psychiatrist.
 */
async function seedSignedRecord(
  trx: Transaction<DB>,
  clinicianId: string,
  visit: { visitId: string; patientId: string; startsAt: Date; endsAt: Date; windowClosesAt: Date },
) {
  const minutes = (n: number) => new Date(visit.startsAt.getTime() + n * 60_000);
  const record = {
    dose_mg_per_kg: "0.50",
    dose_mg: "34.0",
    route: "IV" as const,
    dissociation: 1,
    adverse_events: ["Nausea"],
    adverse_notes: null,
    discharged_at: minutes(85),
  };
  await trx
    .insertInto("infusion_records")
    .values({
      ...record,
      visit_id: visit.visitId,
      patient_id: visit.patientId,
      started_at: minutes(15),
      ended_at: minutes(55),
      systolic_before: 168,
      diastolic_before: 102,
      heart_rate_before: 84,
      systolic_during: 152,
      diastolic_during: 96,
      heart_rate_during: 90,
      systolic_after: 134,
      diastolic_after: 86,
      heart_rate_after: 76,
      spo2_lowest: 96,
      recovered_at: minutes(80),
      escort: "Sister (demo)",
      recorded_by: clinicianId,
      signed_by: clinicianId,
      signed_at: minutes(90),
    })
    .execute();
  const body = infusionSummaryText({
    visit: {
      starts_at: visit.startsAt,
      ends_at: visit.endsAt,
      window_closes_at: visit.windowClosesAt,
      location_name: "Chelsea",
      stopped_early_reason: null,
    },
    record,
    nextVisit: null,
    showDose: false,
  });
  await trx
    .insertInto("care_notes")
    .values({
      patient_id: visit.patientId,
      author_id: clinicianId,
      author_role: "clinician",
      author_organisation: "Ember Health",
      kind: "infusion_summary",
      body,
      review_requested: true,
      created_at: minutes(90),
      visit_id: visit.visitId,
    })
    .execute();
}
