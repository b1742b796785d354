import { sql, type Kysely } from "kysely";
import type { AuditOutcome, DB } from "../../../db/schema";
import { isOutsideProvider, type Actor } from "~/auth/actor";
import { auditInsert, recordAudit, type AuditContext, type Executor } from "~/modules/audit/audit.server";
import { patientVisibleTo, releaseCurrent } from "./policy.server";
import type { PatientInput } from "./schema";

export class PatientNotFound extends Response {
  constructor() {
    super("Not found", { status: 404 });
  }
}

/**
 * The patient, if this actor may see them today; otherwise a 404 whose attempt is audited as
 * denied. Every patient-scoped loader and action starts here, so a forged id finds nothing. With
 * `auditRead`, the read itself is audited too. Either audit row is written by the same statement
 * that looks the patient up.
 */
export async function requirePatient(db: Executor, actor: Actor, audit: AuditContext, patientId: string, today: string, action: string, options: { auditRead?: boolean } = {}) {
  const patient = await db
    .with("found", (qc) =>
      qc
        .selectFrom("patients")
        .innerJoin("locations", "locations.id", "patients.preferred_location_id")
        .selectAll("patients")
        .select(["locations.name as location_name"])
        .where("patients.id", "=", patientId)
        .where(patientVisibleTo(actor, today)),
    )
    .with("audited", (qc) => {
      const found = qc.selectFrom("found").select("found.id");
      const entry = { action, entityType: "patient", entityId: patientId, patientId };
      return options.auditRead
        ? auditInsert(qc, audit, { ...entry, outcome: sql<AuditOutcome>`case when exists (${found}) then 'success' else 'denied' end` })
        : auditInsert(qc, audit, { ...entry, outcome: "denied" }, sql<boolean>`not exists (${found})`);
    })
    .selectFrom("found")
    .selectAll()
    .executeTakeFirst();
  if (!patient) throw new PatientNotFound();
  return patient;
}

/** What of a patient's risk flags this provider may read: substance use only under a release that says so. */
export async function visibleRiskFlags(db: Executor, actor: Actor, patient: { id: string; risk_flags: string[] }, today: string): Promise<string[]> {
  if (!isOutsideProvider(actor.role) || !patient.risk_flags.includes("substance_use")) return patient.risk_flags;
  const { covered } = await db
    .selectNoFrom(releaseCurrent(patient.id, actor.id, today, "substance_use").as("covered"))
    .executeTakeFirstOrThrow();
  return covered ? patient.risk_flags : patient.risk_flags.filter((f) => f !== "substance_use");
}

export async function createPatient(db: Kysely<DB>, audit: AuditContext, input: PatientInput): Promise<string> {
  return db.transaction().execute(async (trx) => {
    const { n } = await sql<{ n: string }>`select nextval('patient_record_number_seq')::text as n`.execute(trx).then((r) => r.rows[0]!);
    const row = await trx
      .insertInto("patients")
      .values({
        record_number: `EMB-${n.padStart(6, "0")}`,
        first_name: input.firstName,
        last_name: input.lastName,
        date_of_birth: input.dateOfBirth,
        preferred_location_id: input.preferredLocationId,
        insurance: input.insurance,
        diagnoses: input.diagnoses,
        risk_flags: input.riskFlags,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    await recordAudit(trx, audit, { action: "patient.create", entityType: "patient", entityId: row.id, patientId: row.id });
    return row.id;
  });
}

export async function updatePatient(db: Kysely<DB>, audit: AuditContext, patientId: string, input: PatientInput, now: Date): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const row = await trx
      .updateTable("patients")
      .set({
        first_name: input.firstName,
        last_name: input.lastName,
        date_of_birth: input.dateOfBirth,
        preferred_location_id: input.preferredLocationId,
        insurance: input.insurance,
        diagnoses: input.diagnoses,
        risk_flags: input.riskFlags,
        updated_at: now,
      })
      .where("id", "=", patientId)
      .returning("id")
      .executeTakeFirst();
    if (row) await recordAudit(trx, audit, { action: "patient.update", entityType: "patient", entityId: patientId, patientId });
    return Boolean(row);
  });
}

export function initialsOf(patient: { first_name: string; last_name: string }): string {
  return `${patient.first_name.charAt(0)}.${patient.last_name.charAt(0)}.`.toUpperCase();
}

/**
 * What a page header shows of a patient. Loaders send this, never the whole row, so fields the
 * viewer may not read (such as a substance-use flag outside their release) never reach the browser.
 */
export function patientSummary(patient: {
  id: string;
  first_name: string;
  last_name: string;
  record_number: string;
  date_of_birth: string;
  location_name: string;
  insurance: string;
  preferred_location_id: string;
}) {
  const { id, first_name, last_name, record_number, date_of_birth, location_name, insurance, preferred_location_id } = patient;
  return { id, first_name, last_name, record_number, date_of_birth, location_name, insurance, preferred_location_id };
}
