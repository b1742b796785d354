import type { Database, Executor } from "../../../db/engine";
import { recordAudit, type AuditContext } from "~/audit/audit.server";
import { OUTSIDE_PROVIDER_ROLES } from "~/lib/roles";

export async function getProfile(db: Executor, userId: string) {
  return db
    .selectFrom("users as u")
    .leftJoin("provider_profiles as p", "p.user_id", "u.id")
    .leftJoin("provider_credentials as c", "c.user_id", "u.id")
    .select([
      "u.id",
      "u.name",
      "u.role",
      "u.organisation",
      "c.licence_type",
      "c.licence_state",
      "c.licence_expires_on",
      "p.modalities",
      "p.certified_modalities",
      "p.licence_states",
      "p.boroughs",
      "p.practice_address",
      "p.telehealth",
      "p.insurances",
      "p.languages",
      "p.accepting_new",
      "p.open_slots_per_week",
      "p.available_days",
      "p.available_times",
      "p.updated_at",
    ])
    .where("u.id", "=", userId)
    .where("u.role", "in", OUTSIDE_PROVIDER_ROLES)
    .executeTakeFirst();
}

export interface ProfileInput {
  modalities: string[];
  certifiedModalities: string[];
  licenceStates: string[];
  boroughs: string[];
  practiceAddress: string;
  telehealth?: "yes";
  insurances: string[];
  languages: string[];
  acceptingNew?: "yes";
  openSlotsPerWeek: number;
  availableDays: string[];
  availableTimes: string[];
}

/** Kept by the provider; coordinators may edit it too. Certification implies training. */
export async function saveProfile(
  db: Database,
  audit: AuditContext,
  input: ProfileInput & { userId: string; now: Date },
) {
  const values = {
    modalities: [...new Set([...input.modalities, ...input.certifiedModalities])],
    certified_modalities: input.certifiedModalities,
    licence_states: input.licenceStates,
    boroughs: input.boroughs,
    practice_address: input.practiceAddress,
    telehealth: input.telehealth === "yes",
    insurances: input.insurances,
    languages: input.languages,
    accepting_new: input.acceptingNew === "yes",
    open_slots_per_week: input.openSlotsPerWeek,
    available_days: input.availableDays,
    available_times: input.availableTimes,
    updated_at: input.now,
    updated_by: audit.actorId,
  };
  await db.transaction().execute(async (trx) => {
    await trx
      .insertInto("provider_profiles")
      .values({ user_id: input.userId, ...values })
      .onConflict((oc) => oc.column("user_id").doUpdateSet(values))
      .execute();
    await recordAudit(trx, audit, { action: "provider_profile.save", entityType: "user", entityId: input.userId });
  });
}

export async function listProviderProfiles(db: Executor, options: { page: number; pageSize: number }) {
  const rows = await db
    .selectFrom("users as u")
    .leftJoin("provider_profiles as p", "p.user_id", "u.id")
    .select([
      "u.id",
      "u.name",
      "u.role",
      "u.organisation",
      "p.modalities",
      "p.boroughs",
      "p.telehealth",
      "p.accepting_new",
      "p.open_slots_per_week",
      "p.updated_at",
    ])
    .where("u.role", "in", OUTSIDE_PROVIDER_ROLES)
    .where("u.status", "=", "active")
    .orderBy("u.name")
    .orderBy("u.id")
    .limit(options.pageSize + 1)
    .offset((options.page - 1) * options.pageSize)
    .execute();
  return { rows: rows.slice(0, options.pageSize), hasNext: rows.length > options.pageSize };
}
