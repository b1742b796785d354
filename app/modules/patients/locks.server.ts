import { sql } from "kysely";
import type { DatabaseTransaction } from "../../../db/engine";

const patientKey = (patientId: string) => `visits:patient:${patientId}`;
const clinicianKey = (clinicianId: string) => `visits:clinician:${clinicianId}`;

async function lockKeys(trx: DatabaseTransaction, keys: string[]) {
  // Keys are taken in one global order, so two holders never wait on each other in a circle.
  for (const key of [...new Set(keys)].sort()) await sql`select pg_advisory_xact_lock(hashtext(${key}))`.execute(trx);
}

/**
 * Holds, until the transaction ends, the schedules of one patient and one clinician: two requests
 * booking the same patient's day or the same clinician's hour cannot both pass the conflict check.
 */
export async function lockSchedules(trx: DatabaseTransaction, patientId: string, clinicianId: string) {
  await lockKeys(trx, [clinicianKey(clinicianId), patientKey(patientId)]);
}

/**
 * Holds these patients' schedules: a change that can close the engagement gate (a release revoked,
 * a membership ended, an account deactivated) takes them, so a booking, move or "held" in flight
 * either finished before it or reads the change when its gate is asked.
 */
export async function lockPatientSchedules(trx: DatabaseTransaction, patientIds: string[]) {
  await lockKeys(trx, patientIds.map(patientKey));
}
