import { sql } from "kysely";
import type { AuditOutcome, Patient } from "../../../db/schema";
import { type Actor } from "~/auth/actor";
import type { Database, Executor } from "../../../db/engine";
import { auditInsert, recordAudit, type AuditContext } from "~/audit/audit.server";
import { awaitingRelease, patientVisibleTo, releaseCurrent, scopesHeld, type ReleaseScope } from "./policy.server";
import { awaitingReleaseFor, awaitingReleaseResponse } from "./awaiting-release.server";
import type { PatientSummary } from "./labels";
import type { PatientInput } from "./schema";
import { isOutsideProvider } from "~/lib/roles";

export class PatientNotFound extends Response {
  constructor() {
    super("Not found", { status: 404 });
  }
}

declare const checkedScopes: unique symbol;

/**
 * A patient the access rule let this actor open, as only `requirePatient` makes one: the id, the
 * scopes the actor's releases cover today (every scope for Ember staff) and, in the type alone,
 * the scopes the gate checked. Patient-scoped reads take one of these instead of a bare id, so
 * they cannot run on an unchecked id; a read of scoped data asks for its scope
 * (`CheckedPatient<"care_notes">`), which only a gate that checked that scope hands out.
 */
export interface CheckedPatient<S extends ReleaseScope = never> {
  readonly id: string;
  readonly scopes: readonly ReleaseScope[];
  readonly [checkedScopes]: { readonly [K in S]: true };
}

/**
 * The patient, if this actor may see them today (with a release covering `scope`, when one is
 * named); otherwise a 404 whose attempt is audited as denied. Every patient-scoped loader and
 * action starts here, so a forged id finds nothing. With `auditRead`, the read itself is audited
 * too. Either audit row is written by the same statement that looks the patient up. An outside
 * provider waiting for the patient's release of information (`awaitingRelease`) gets the waiting
 * page instead of the 404, audited as denied with the reason "awaiting release"; asking what that
 * page shows is a statement on the refused path only.
 */
export async function requirePatient<S extends ReleaseScope = never>(
  db: Executor,
  actor: Actor,
  audit: AuditContext,
  patientId: string,
  today: string,
  action: string,
  options: { auditRead?: boolean; scope?: S } = {},
) {
  const patient = await db
    .with("found", (qc) =>
      qc
        .selectFrom("patients")
        .innerJoin("locations", "locations.id", "patients.preferred_location_id")
        .selectAll("patients")
        .select(["locations.name as location_name", scopesHeld(actor, sql.ref("patients.id"), today).as("scopes")])
        .where("patients.id", "=", patientId)
        .where(patientVisibleTo(actor, today, options.scope)),
    )
    .with("audited", (qc) => {
      const found = qc.selectFrom("found").select("found.id");
      const detail = options.scope ? { scope: options.scope } : {};
      const entry = {
        action,
        entityType: "patient",
        entityId: patientId,
        patientId,
        detail: isOutsideProvider(actor.role)
          ? sql`${JSON.stringify(detail)}::text::jsonb || case when not exists (${found})
              and ${awaitingRelease(patientId, actor.id, today)}
              then jsonb_build_object('reason', 'awaiting release') else '{}'::jsonb end`
          : detail,
      };
      return options.auditRead
        ? auditInsert(qc, audit, {
            ...entry,
            outcome: sql<AuditOutcome>`case when exists (${found}) then 'success' else 'denied' end`,
          })
        : auditInsert(qc, audit, { ...entry, outcome: "denied" }, sql<boolean>`not exists (${found})`);
    })
    .selectFrom("found")
    .selectAll()
    .executeTakeFirst();
  if (!patient) {
    const waiting = isOutsideProvider(actor.role) ? await awaitingReleaseFor(db, actor, patientId, today) : null;
    throw waiting ? awaitingReleaseResponse(waiting) : new PatientNotFound();
  }
  return patient as typeof patient & CheckedPatient<S>;
}

/** What of a patient's risk flags this provider may read: substance use only under a release that says so. */
export async function visibleRiskFlags(
  db: Executor,
  actor: Actor,
  patient: { id: string; risk_flags: string[] },
  today: string,
): Promise<string[]> {
  if (!isOutsideProvider(actor.role) || !patient.risk_flags.includes("substance_use")) return patient.risk_flags;
  const { covered } = await db
    .selectNoFrom(releaseCurrent(patient.id, actor.id, today, "substance_use").as("covered"))
    .executeTakeFirstOrThrow();
  return covered ? patient.risk_flags : patient.risk_flags.filter((f) => f !== "substance_use");
}

export async function createPatient(db: Database, audit: AuditContext, input: PatientInput): Promise<string> {
  return db.transaction().execute(async (trx) => {
    const { n } = await sql<{ n: string }>`select nextval('patient_record_number_seq')::text as n`
      .execute(trx)
      .then((r) => r.rows[0]!);
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
    await recordAudit(trx, audit, {
      action: "patient.create",
      entityType: "patient",
      entityId: row.id,
      patientId: row.id,
    });
    return row.id;
  });
}

export async function updatePatient(
  db: Database,
  audit: AuditContext,
  patientId: string,
  input: PatientInput,
  now: Date,
): Promise<boolean> {
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
    if (row)
      await recordAudit(trx, audit, {
        action: "patient.update",
        entityType: "patient",
        entityId: patientId,
        patientId,
      });
    return Boolean(row);
  });
}

/**
 * What a page header shows of a patient. Loaders send this, never the whole row, so fields the
 * viewer may not read (such as a substance-use flag outside their release) never reach the browser.
 */
export function patientSummary(patient: PatientSummary & Pick<Patient, "preferred_location_id">) {
  const {
    id,
    first_name,
    last_name,
    record_number,
    date_of_birth,
    location_name,
    insurance,
    preferred_location_id,
    calendar_code,
  } = patient;
  return {
    id,
    first_name,
    last_name,
    record_number,
    date_of_birth,
    location_name,
    insurance,
    preferred_location_id,
    calendar_code,
  };
}
