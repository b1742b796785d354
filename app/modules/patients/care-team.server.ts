import { sql, type Expression } from "kysely";
import type { TeamRole } from "../../../db/schema";
import type { Database, DatabaseTransaction, Executor } from "../../../db/engine";
import { queueEmail } from "~/email/outbox.server";
import { clinicToday } from "~/lib/time";
import { recordAudit, type AuditContext } from "~/audit/audit.server";
import { type Actor } from "~/auth/actor";
import { lockPatientSchedules } from "~/modules/patients/locks.server";
import type { CheckedPatient } from "./patients.server";
import { onCareTeam, releaseCurrent, type ReleaseScope } from "./policy.server";
import { isOutsideProvider, OUTSIDE_PROVIDER_ROLES } from "~/lib/roles";

export class CareTeamError extends Error {
  constructor(
    message: string,
    public readonly field: string,
  ) {
    super(message);
  }
}

export type ReleaseState = "current" | "expired" | "revoked" | "not_yet_signed" | "missing";

export function releaseState(
  release: { signed_on: string; expires_on: string; revoked_at: Date | null } | undefined,
  today: string,
): ReleaseState {
  if (!release) return "missing";
  if (release.revoked_at) return "revoked";
  if (release.expires_on < today) return "expired";
  if (release.signed_on > today) return "not_yet_signed";
  return "current";
}

/**
 * The care team with each member's releases, newest first. An outside provider gets the other
 * members' names and roles but not their email addresses, and only their own releases: neither
 * is selected for them.
 */
export async function listCareTeam(db: Executor, viewer: Pick<Actor, "id" | "role">, patient: CheckedPatient) {
  const patientId = patient.id;
  const outside = isOutsideProvider(viewer.role);
  const members = await db
    .selectFrom("care_team_members as m")
    .innerJoin("users as u", "u.id", "m.user_id")
    .leftJoin("provider_credentials as c", "c.user_id", "u.id")
    .select([
      "m.id",
      "m.user_id",
      "m.team_role",
      "m.started_at",
      "m.ended_at",
      "m.end_reason",
      "u.name",
      outside ? sql<string | null>`null`.as("email") : "u.email",
      "u.role",
      "u.organisation",
      "u.status",
      "c.licence_type",
      "c.licence_state",
    ])
    .where("m.patient_id", "=", patientId)
    .orderBy("m.ended_at", (ob) => ob.desc().nullsFirst())
    .orderBy("m.started_at")
    .execute();
  let releases = db
    .selectFrom("releases_of_information")
    .select(["id", "provider_id", "signed_on", "expires_on", "scope", "revoked_at"])
    .where("patient_id", "=", patientId);
  if (outside) releases = releases.where("provider_id", "=", viewer.id);
  const rows = await releases.orderBy("recorded_at", "desc").execute();
  return members.map((m) => ({ ...m, releases: rows.filter((r) => r.provider_id === m.user_id) }));
}

/** Active outside providers not on this patient's team yet: who can be added. */
export async function listAddableProviders(db: Executor, patientId: string) {
  return db
    .selectFrom("users as u")
    .select(["u.id", "u.name", "u.role", "u.organisation"])
    .where("u.role", "in", OUTSIDE_PROVIDER_ROLES)
    .where("u.status", "=", "active")
    .where((eb) => eb.not(onCareTeam(patientId, sql.ref<string>("u.id"))))
    .orderBy("u.name")
    .limit(500)
    .execute();
}

/** A release of information as the coordinator records it from the signed form. */
export interface ReleaseInput {
  signedOn: string;
  expiresOn: string;
  scope: string[];
}

/**
 * Adds an outside provider to the team, with the release of information naming them when the
 * patient has signed one: both in one transaction, so a refused release adds no member. The
 * provider is told by email (a link to the patient only): that the record is open, when the
 * release is current, or that they joined the team.
 */
export async function addCareTeamMember(
  db: Database,
  audit: AuditContext,
  input: {
    patientId: string;
    providerId: string;
    teamRole: TeamRole;
    release?: ReleaseInput;
    now: Date;
    appUrl: string;
  },
): Promise<string> {
  return db.transaction().execute(async (trx) => {
    const provider = await trx
      .selectFrom("users")
      .select(["id", "email"])
      .where("id", "=", input.providerId)
      .where("role", "in", OUTSIDE_PROVIDER_ROLES)
      .where("status", "=", "active")
      .executeTakeFirst();
    if (!provider) throw new CareTeamError("Choose an active outside provider.", "providerId");
    const { existing } = await trx
      .selectNoFrom(onCareTeam(input.patientId, input.providerId).as("existing"))
      .executeTakeFirstOrThrow();
    if (existing) throw new CareTeamError("This provider is already on the care team.", "providerId");
    const row = await trx
      .insertInto("care_team_members")
      .values({
        patient_id: input.patientId,
        user_id: input.providerId,
        team_role: input.teamRole,
        added_by: audit.actorId,
        started_at: input.now,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    await recordAudit(trx, audit, {
      action: "care_team.add",
      entityType: "care_team_member",
      entityId: row.id,
      patientId: input.patientId,
      detail: { providerId: input.providerId, teamRole: input.teamRole },
    });
    const release = input.release ? await insertRelease(trx, audit, { ...input, ...input.release }) : null;
    if (!release?.opens)
      await queueEmail(trx, {
        template: "care-team-added",
        to: provider.email,
        props: { patientUrl: `${input.appUrl}/patients/${input.patientId}` },
      });
    return row.id;
  });
}

export async function endCareTeamMembership(
  db: Database,
  audit: AuditContext,
  input: { patientId: string; memberId: string; reason: string; now: Date },
): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    // Ending a membership can close the engagement gate: bookings in flight finish first.
    await lockPatientSchedules(trx, [input.patientId]);
    const row = await trx
      .updateTable("care_team_members")
      .set({ ended_at: input.now, end_reason: input.reason })
      .where("id", "=", input.memberId)
      .where("patient_id", "=", input.patientId)
      .where("ended_at", "is", null)
      .returning("id")
      .executeTakeFirst();
    if (row)
      await recordAudit(trx, audit, {
        action: "care_team.end",
        entityType: "care_team_member",
        entityId: row.id,
        patientId: input.patientId,
      });
    return Boolean(row);
  });
}

/** Records a release for a provider on the team; when it opens the record to them, they are emailed a link to the patient. */
export async function recordRelease(
  db: Database,
  audit: AuditContext,
  input: { patientId: string; providerId: string; now: Date; appUrl: string } & ReleaseInput,
): Promise<string> {
  return db.transaction().execute(async (trx) => {
    const { member } = await trx
      .selectNoFrom(onCareTeam(input.patientId, input.providerId).as("member"))
      .executeTakeFirstOrThrow();
    if (!member)
      throw new CareTeamError("A release is recorded for a provider on the care team: add them first.", "providerId");
    const { id } = await insertRelease(trx, audit, input);
    return id;
  });
}

/**
 * The release row and its audit; a release current today that finds the provider without one
 * opens the patient's record to them, and queues their notice (no patient data: a link only).
 */
async function insertRelease(
  trx: DatabaseTransaction,
  audit: AuditContext,
  input: { patientId: string; providerId: string; now: Date; appUrl: string } & ReleaseInput,
) {
  const today = clinicToday(input.now);
  const { hadAccess } = await trx
    .selectNoFrom(releaseCurrent(input.patientId, input.providerId, today).as("hadAccess"))
    .executeTakeFirstOrThrow();
  const row = await trx
    .insertInto("releases_of_information")
    .values({
      patient_id: input.patientId,
      provider_id: input.providerId,
      signed_on: input.signedOn,
      expires_on: input.expiresOn,
      scope: input.scope,
      recorded_by: audit.actorId!,
      recorded_at: input.now,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  await recordAudit(trx, audit, {
    action: "release.record",
    entityType: "release",
    entityId: row.id,
    patientId: input.patientId,
    detail: { providerId: input.providerId, scope: input.scope },
  });
  const opens = !hadAccess && input.signedOn <= today && input.expiresOn >= today;
  if (opens) {
    const provider = await trx
      .selectFrom("users")
      .select("email")
      .where("id", "=", input.providerId)
      .where("status", "=", "active")
      .executeTakeFirst();
    if (provider)
      await queueEmail(trx, {
        template: "patient-access-opened",
        to: provider.email,
        props: { patientUrl: `${input.appUrl}/patients/${input.patientId}` },
      });
  }
  return { id: row.id, opens };
}

/** Revoking takes effect on the provider's very next request: access is checked on every one. */
export async function revokeRelease(
  db: Database,
  audit: AuditContext,
  input: { patientId: string; releaseId: string; reason: string; now: Date },
): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    // Revoking can close the engagement gate: bookings in flight finish first.
    await lockPatientSchedules(trx, [input.patientId]);
    const row = await trx
      .updateTable("releases_of_information")
      .set({ revoked_at: input.now, revoked_by: audit.actorId, revoke_reason: input.reason })
      .where("id", "=", input.releaseId)
      .where("patient_id", "=", input.patientId)
      .where("revoked_at", "is", null)
      .returning("id")
      .executeTakeFirst();
    if (row)
      await recordAudit(trx, audit, {
        action: "release.revoke",
        entityType: "release",
        entityId: row.id,
        patientId: input.patientId,
      });
    return Boolean(row);
  });
}

/**
 * The query of `careTeamWithAccess`, for a patient id or a patient column of an outer query; with
 * `scope`, only members whose release covers it.
 */
export function careTeamWithAccessQuery(
  db: Executor,
  patientId: string | Expression<string>,
  today: string,
  scope?: ReleaseScope,
) {
  return db
    .selectFrom("care_team_members as m")
    .innerJoin("users as u", "u.id", "m.user_id")
    .select(["u.id", "u.email", "u.role", "m.team_role"])
    .where("m.patient_id", "=", patientId)
    .where("m.ended_at", "is", null)
    .where("u.status", "=", "active")
    .where(releaseCurrent(sql.ref<string>("m.patient_id"), sql.ref<string>("m.user_id"), today, scope));
}

/** The outside providers who may see this patient today: active members with a current release. */
export async function careTeamWithAccess(db: Executor, patientId: string, today: string) {
  return careTeamWithAccessQuery(db, patientId, today).execute();
}
