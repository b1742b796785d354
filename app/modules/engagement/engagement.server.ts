import { sql } from "kysely";
import type { DB } from "../../../db/schema";
import type { Actor } from "~/auth/actor";
import { clinicToday, plusDays } from "~/lib/time";
import type { Database, Executor } from "../../../db/engine";
import { recordAudit, type AuditContext } from "~/audit/audit.server";
import { markReferralsEngaged } from "~/modules/referrals/referrals.server";
import { DEPRESSIVE_DIAGNOSES } from "~/modules/patients/labels";
import {
  confirmationCounts,
  onCareTeam,
  providerInGoodStanding,
  releaseCurrent,
} from "~/modules/patients/policy.server";

export async function clinicSettings(db: Executor) {
  return db.selectFrom("clinic_settings").selectAll().executeTakeFirstOrThrow();
}

export interface EngagementInput {
  treatmentStartedOn: string;
  lastSessionOn: string;
  cadence: DB["engagement_confirmations"]["cadence"];
  ptsdConfirmed: "yes" | "no";
  depression: DB["engagement_confirmations"]["depression"];
  traumaTherapy: DB["engagement_confirmations"]["trauma_therapy"];
  sessionsHeld: number;
  signature: string;
}

export class EngagementError extends Error {
  constructor(
    message: string,
    public readonly field: string,
  ) {
    super(message);
  }
}

/**
 * The typed signature is the account's name, whatever its case and spacing, with or without the
 * credential after its first comma ("Dana Whitfield" for "Dana Whitfield, LCSW").
 */
function signedAs(signature: string, accountName: string): boolean {
  const normalise = (s: string) => s.trim().replace(/\s+/g, " ").toLowerCase();
  const typed = normalise(signature);
  const [name] = accountName.split(",");
  return typed !== "" && (typed === normalise(accountName) || typed === normalise(name!));
}

/**
 * A provider's attestation that they actively treat this patient, signed with their typed name
 * and shown with their licence. Valid for the clinic's setting (90 days by default).
 */
export async function confirmEngagement(
  db: Database,
  actor: Actor,
  audit: AuditContext,
  input: EngagementInput & { patientId: string; now: Date },
): Promise<string> {
  return db.transaction().execute(async (trx) => {
    const provider = await trx
      .selectFrom("users")
      .leftJoin("provider_credentials as c", "c.user_id", "users.id")
      .select(["users.name", "c.licence_type", "c.licence_number", "c.licence_state"])
      .where("users.id", "=", actor.id)
      .executeTakeFirstOrThrow();
    if (!signedAs(input.signature, provider.name)) {
      throw new EngagementError(
        `Sign by typing your full name as on your account: ${provider.name} (the credential after the comma may be left out).`,
        "signature",
      );
    }
    const settings = await clinicSettings(trx);
    const licence = provider.licence_type
      ? `${provider.licence_type} ${provider.licence_number} (${provider.licence_state})`
      : "No licence on file";
    const row = await trx
      .insertInto("engagement_confirmations")
      .values({
        patient_id: input.patientId,
        provider_id: actor.id,
        treatment_started_on: input.treatmentStartedOn,
        last_session_on: input.lastSessionOn,
        cadence: input.cadence,
        ptsd_confirmed: input.ptsdConfirmed === "yes",
        depression: input.depression,
        trauma_therapy: input.traumaTherapy,
        sessions_held: input.sessionsHeld,
        agrees_to_coordinate: true,
        signature_name: input.signature.trim(),
        signature_licence: licence,
        confirmed_at: input.now,
        expires_at: plusDays(input.now, settings.engagement_valid_days),
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    await recordAudit(trx, audit, {
      action: "engagement.confirm",
      entityType: "engagement_confirmation",
      entityId: row.id,
      patientId: input.patientId,
    });
    await markReferralsEngaged(trx, { patientId: input.patientId, providerId: actor.id, now: input.now });
    return row.id;
  });
}

/**
 * Each outside provider's newest confirmation for this patient, with whether it is unexpired now,
 * whether its provider can currently be relied on (account active, licence unexpired, still on the
 * team, release current) and so whether it `counts` (the one rule, `confirmationCounts`).
 */
export async function engagementByProvider(db: Executor, patientId: string, now: Date) {
  return newestPerProvider(await engagementRowsQuery(db, patientId, now).execute(), now, clinicToday(now));
}

/** Every confirmation of this patient with its provider's standing, newest first: a query to run or nest. */
export function engagementRowsQuery(db: Executor, patientId: string, now: Date) {
  const today = clinicToday(now);
  const provider = sql.ref<string>("e.provider_id");
  return db
    .selectFrom("engagement_confirmations as e")
    .innerJoin("users as u", "u.id", "e.provider_id")
    .leftJoin("provider_credentials as c", "c.user_id", "e.provider_id")
    .selectAll("e")
    .select([
      "u.name as provider_name",
      "u.role as provider_role",
      "u.status as provider_status",
      "c.licence_expires_on",
    ])
    .select([
      onCareTeam(patientId, provider).as("on_team"),
      releaseCurrent(patientId, provider, today).as("release_current"),
      providerInGoodStanding(provider, today).as("in_good_standing"),
      confirmationCounts(now).as("counts"),
    ])
    .where("e.patient_id", "=", patientId)
    .orderBy("e.confirmed_at", "desc");
}

type EngagementRow = Awaited<ReturnType<ReturnType<typeof engagementRowsQuery>["execute"]>>[number];

/** Each provider's newest confirmation, read as the gate reads it. */
export function newestPerProvider(rows: EngagementRow[], now: Date, today: string) {
  const newest = new Map<string, EngagementRow>();
  for (const row of rows) if (!newest.has(row.provider_id)) newest.set(row.provider_id, row);
  return [...newest.values()].map((row) => ({
    ...row,
    active: row.expires_at > now,
    on_team: Boolean(row.on_team),
    release_current: Boolean(row.release_current),
    account_active: row.provider_status === "active",
    licence_current: row.licence_expires_on !== null && row.licence_expires_on >= today,
    counts: Boolean(row.counts),
  }));
}

export type EngagementRecord = Awaited<ReturnType<typeof engagementByProvider>>[number];

export type EngagementStatus = "engaged" | "lapsed" | "none";

/**
 * Engaged while a confirmation counts; lapsed when a provider still on the team confirmed before
 * but no confirmation counts now (the roster and the work list read it the same way).
 */
export function engagementStatus(records: EngagementRecord[]): EngagementStatus {
  if (records.some((r) => r.counts)) return "engaged";
  return records.some((r) => r.on_team) ? "lapsed" : "none";
}

/** Why a confirmation does not count, in the clinic's words; null when it does. */
export function whyNotCounting(r: EngagementRecord): string | null {
  if (r.counts) return null;
  if (!r.account_active) return "account deactivated";
  if (!r.on_team) return "no longer on the care team";
  if (!r.licence_current)
    return r.licence_expires_on ? `licence expired ${r.licence_expires_on}` : "no licence on file";
  if (!r.release_current) return "release of information not current";
  return "confirmation expired";
}

export type EligibilityKind = "comorbid" | "ptsd_only" | "depression_only" | "no_indication" | "not_eligible";

export interface Eligibility {
  kind: EligibilityKind;
  headline: string;
  discussionRequired: boolean;
  discussionDocumented: boolean;
}

export const NO_INDICATION =
  "Neither PTSD nor depression is on file: Ember treats depression, and PTSD when depression comes with it. Record the diagnosis before scheduling.";

/** Derived, never typed: from the diagnoses on file, what engaged providers attest, and discussions recorded. */
export function eligibilitySummary(
  patient: { diagnoses: string[] },
  records: EngagementRecord[],
  discussionCount: number,
): Eligibility {
  const engaged = records.filter((r) => r.counts);
  const documented = discussionCount > 0;
  if (engaged.length === 0) {
    return {
      kind: "not_eligible",
      headline: "No active licensed provider — not eligible",
      discussionRequired: false,
      discussionDocumented: documented,
    };
  }
  const ptsd = patient.diagnoses.includes("ptsd") || engaged.some((r) => r.ptsd_confirmed);
  const depression =
    patient.diagnoses.some((d) => DEPRESSIVE_DIAGNOSES.includes(d)) || engaged.some((r) => r.depression !== "none");
  if (ptsd && depression) {
    return {
      kind: "comorbid",
      headline: "PTSD with comorbid depression — evidence most consistent",
      discussionRequired: false,
      discussionDocumented: documented,
    };
  }
  if (ptsd) {
    return {
      kind: "ptsd_only",
      headline: "PTSD without depression — evidence mixed: a documented discussion is required",
      discussionRequired: true,
      discussionDocumented: documented,
    };
  }
  if (depression) {
    return {
      kind: "depression_only",
      headline: "Depression without a PTSD diagnosis — Ember's depression pathway",
      discussionRequired: false,
      discussionDocumented: documented,
    };
  }
  return {
    kind: "no_indication",
    headline: "Neither PTSD nor depression on file — not eligible",
    discussionRequired: false,
    discussionDocumented: documented,
  };
}

export interface GateAnswer {
  allowed: boolean;
  reasons: string[];
}

export interface GateDetail extends GateAnswer {
  /** When the newest counting confirmation expires: visits after it need a renewal first. */
  confirmedUntil: Date | null;
}

/**
 * The engagement gate: may infusions be booked, moved or held for this patient now, and if not,
 * why not. The only place that answers it; scheduling asks here, inside its own transaction and
 * after the patient's schedule lock, so what it read still holds when the write commits.
 */
export async function engagementGate(db: Executor, patientId: string, now: Date): Promise<GateAnswer> {
  const { allowed, reasons } = await engagementGateDetail(db, patientId, now);
  return { allowed, reasons };
}

/** The gate's answer with the date the current engagement runs to, for flagging visits after it. */
export async function engagementGateDetail(db: Executor, patientId: string, now: Date): Promise<GateDetail> {
  const [patient, records, discussions] = await Promise.all([
    db.selectFrom("patients").select(["diagnoses"]).where("id", "=", patientId).executeTakeFirst(),
    engagementByProvider(db, patientId, now),
    db
      .selectFrom("eligibility_discussions")
      .select((eb) => eb.fn.countAll<string>().as("n"))
      .where("patient_id", "=", patientId)
      .executeTakeFirstOrThrow(),
  ]);
  if (!patient) return { allowed: false, reasons: ["Patient not found."], confirmedUntil: null };
  return gateAnswer(patient, records, Number(discussions.n));
}

/** The gate's rule on what it read: the diagnoses on file, each provider's newest confirmation, discussions recorded. */
export function gateAnswer(
  patient: { diagnoses: string[] },
  records: EngagementRecord[],
  discussionCount: number,
): GateDetail {
  const reasons: string[] = [];
  const counting = records.filter((r) => r.counts);
  if (counting.length === 0) {
    const activeOnTeam = records.filter((r) => r.active && r.on_team && r.account_active && r.licence_current);
    if (activeOnTeam.length > 0) {
      reasons.push("Release of information missing: no engaged provider has a current, unrevoked release on file.");
    } else {
      reasons.push(
        "No active engagement confirmation: an outside licensed provider on the care team must confirm they actively treat the patient.",
      );
      for (const r of records) {
        const why = whyNotCounting(r);
        if (r.active && r.on_team && why) reasons.push(`${r.provider_name}'s confirmation no longer counts: ${why}.`);
      }
    }
  }
  const eligibility = eligibilitySummary(patient, records, discussionCount);
  const onFile = patient.diagnoses.includes("ptsd") || patient.diagnoses.some((d) => DEPRESSIVE_DIAGNOSES.includes(d));
  if (eligibility.kind === "no_indication" || (counting.length === 0 && !onFile)) reasons.push(NO_INDICATION);
  if (eligibility.discussionRequired && !eligibility.discussionDocumented) {
    reasons.push(
      "PTSD without depression: a clinician must document the discussion of the mixed evidence before scheduling.",
    );
  }
  const confirmedUntil = counting.length ? new Date(Math.max(...counting.map((r) => r.expires_at.getTime()))) : null;
  return { allowed: reasons.length === 0, reasons, confirmedUntil };
}

export async function listDiscussions(db: Executor, patientId: string) {
  return db
    .selectFrom("eligibility_discussions as d")
    .innerJoin("users as u", "u.id", "d.clinician_id")
    .select(["d.id", "d.discussed_on", "d.note", "d.recorded_at", "u.name as clinician_name"])
    .where("d.patient_id", "=", patientId)
    .orderBy("d.recorded_at", "desc")
    .execute();
}

export async function recordDiscussion(
  db: Database,
  audit: AuditContext,
  input: { patientId: string; clinicianId: string; discussedOn: string; note: string; now: Date },
): Promise<string> {
  return db.transaction().execute(async (trx) => {
    const row = await trx
      .insertInto("eligibility_discussions")
      .values({
        patient_id: input.patientId,
        clinician_id: input.clinicianId,
        discussed_on: input.discussedOn,
        note: input.note,
        recorded_at: input.now,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    await recordAudit(trx, audit, {
      action: "eligibility.discussion",
      entityType: "eligibility_discussion",
      entityId: row.id,
      patientId: input.patientId,
    });
    return row.id;
  });
}
