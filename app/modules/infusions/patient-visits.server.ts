import type { Executor } from "../../../db/engine";
import type { CheckedPatient } from "~/modules/patients/patients.server";

export async function listPatientVisits(db: Executor, patient: CheckedPatient<"infusion_schedule">) {
  const patientId = patient.id;
  return db
    .selectFrom("infusion_visits as v")
    .innerJoin("locations as l", "l.id", "v.location_id")
    .innerJoin("users as c", "c.id", "v.clinician_id")
    .leftJoin("users as o", "o.id", "v.gate_override_by")
    .select([
      "v.id",
      "v.course_id",
      "v.kind",
      "v.starts_at",
      "v.ends_at",
      "v.window_closes_at",
      "v.infusion_minutes",
      "v.status",
      "v.cancel_reason",
      "v.sequence",
      "v.gate_override_reason",
      "v.gate_override_at",
      "v.gate_override_refusals",
      "l.name as location_name",
      "l.opens_at as location_opens_at",
      "l.closes_at as location_closes_at",
      "c.name as clinician_name",
      "o.name as gate_override_by_name",
    ])
    .where("v.patient_id", "=", patientId)
    .orderBy("v.starts_at")
    .limit(500)
    .execute();
}

export async function listClinicians(db: Executor) {
  return db
    .selectFrom("users")
    .select(["id", "name"])
    .where("role", "=", "clinician")
    .where("status", "=", "active")
    .orderBy("name")
    .execute();
}

/** Every clinic with its opening hours (wall-clock times of its zone), for the booking forms. */
export async function listClinics(db: Executor) {
  return db
    .selectFrom("locations")
    .select(["id", "name", "opens_at", "closes_at", "time_zone"])
    .orderBy("name")
    .execute();
}
