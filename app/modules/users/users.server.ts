import { jsonArrayFrom } from "kysely/helpers/postgres";
import type { Database, DatabaseTransaction, Executor } from "../../../db/engine";
import { recordAudit, type AuditContext } from "~/audit/audit.server";
import { endCalendarFeeds } from "~/modules/infusions/calendar.server";
import { lockPatientSchedules } from "~/modules/patients/locks.server";
import type { Role } from "~/lib/roles";
import { containsPattern } from "~/lib/search";

export async function listUsers(
  db: Executor,
  options: { page: number; pageSize: number; role?: Role; status?: "active" | "deactivated"; query?: string },
) {
  let query = db
    .selectFrom("users as u")
    .leftJoin("provider_credentials as c", "c.user_id", "u.id")
    .select([
      "u.id",
      "u.name",
      "u.email",
      "u.role",
      "u.organisation",
      "u.status",
      "u.created_at",
      "c.licence_type",
      "c.npi",
      "c.licence_expires_on",
    ]);
  if (options.role) query = query.where("u.role", "=", options.role);
  if (options.status) query = query.where("u.status", "=", options.status);
  const term = options.query?.trim();
  if (term) {
    const like = containsPattern(term);
    query = query.where((eb) =>
      eb.or([eb(eb.fn("lower", ["u.name"]), "like", like), eb(eb.fn("lower", ["u.email"]), "like", like)]),
    );
  }
  const rows = await query
    .orderBy("u.name")
    .orderBy("u.id")
    .limit(options.pageSize + 1)
    .offset((options.page - 1) * options.pageSize)
    .execute();
  return { rows: rows.slice(0, options.pageSize), hasNext: rows.length > options.pageSize };
}

export const DEACTIVATION_END_REASON = "Account deactivated";

async function endMemberships(trx: DatabaseTransaction, audit: AuditContext, userId: string, now: Date) {
  const open = await trx
    .selectFrom("care_team_members")
    .select("patient_id")
    .where("user_id", "=", userId)
    .where("ended_at", "is", null)
    .execute();
  if (open.length === 0) return;
  await lockPatientSchedules(
    trx,
    open.map((m) => m.patient_id),
  );
  const ended = await trx
    .updateTable("care_team_members")
    .set({ ended_at: now, end_reason: DEACTIVATION_END_REASON })
    .where("user_id", "=", userId)
    .where("ended_at", "is", null)
    .returning(["id", "patient_id"])
    .execute();
  for (const m of ended) {
    await recordAudit(trx, audit, {
      action: "care_team.end",
      entityType: "care_team_member",
      entityId: m.id,
      patientId: m.patient_id,
      detail: { reason: "deactivated" },
    });
  }
}

/**
 * Deactivating ends every session, calendar feed address and care-team membership of that user
 * (each membership with the reason, audited) in the same transaction: an open browser stops
 * working on its very next request, the feed for good, and every affected patient's engagement
 * stops counting their confirmation at once. The patients' schedule locks are taken first, so no
 * booking or "held" in flight reads the user as still engaged after this commits. Admins cannot
 * deactivate themselves.
 */
export async function setUserStatus(
  db: Database,
  audit: AuditContext,
  input: { userId: string; status: "active" | "deactivated"; reason?: string; now: Date },
): Promise<"changed" | "unchanged" | "self"> {
  if (input.userId === audit.actorId && input.status === "deactivated") return "self";
  return db.transaction().execute(async (trx) => {
    const row = await trx
      .updateTable("users")
      .set({
        status: input.status,
        updated_at: input.now,
        deactivated_at: input.status === "deactivated" ? input.now : null,
        deactivation_reason: input.status === "deactivated" ? (input.reason ?? null) : null,
      })
      .where("id", "=", input.userId)
      .where("status", "!=", input.status)
      .returning("id")
      .executeTakeFirst();
    if (!row) return "unchanged";
    if (input.status === "deactivated") {
      await trx.deleteFrom("sessions").where("user_id", "=", row.id).execute();
      await endCalendarFeeds(trx, row.id, input.now);
      await endMemberships(trx, audit, row.id, input.now);
    }
    await recordAudit(trx, audit, {
      action: input.status === "deactivated" ? "user.deactivate" : "user.reactivate",
      entityType: "user",
      entityId: row.id,
      detail: input.reason ? { reason: input.reason } : undefined,
    });
    return "changed";
  });
}

/**
 * What deactivating a user would touch, for the administrator to read before confirming: the
 * patients whose care team they are on (each membership ends), the visits they supervise still
 * booked, and the referral offers waiting for their answer. Null for an unknown user.
 */
export async function deactivationImpact(db: Executor, userId: string, now: Date) {
  const user = await db
    .selectFrom("users as u")
    .select((eb) => [
      "u.id",
      "u.name",
      "u.email",
      "u.role",
      "u.status",
      jsonArrayFrom(
        eb
          .selectFrom("care_team_members as m")
          .innerJoin("patients as p", "p.id", "m.patient_id")
          .select(["p.id", "p.first_name", "p.last_name", "p.record_number", "m.team_role"])
          .whereRef("m.user_id", "=", "u.id")
          .where("m.ended_at", "is", null)
          .orderBy("p.last_name")
          .orderBy("p.first_name")
          .orderBy("p.id"),
      ).as("patients"),
      eb
        .selectFrom("infusion_visits as v")
        .select((v) => v.fn.countAll<string>().as("n"))
        .whereRef("v.clinician_id", "=", "u.id")
        .where("v.status", "=", "scheduled")
        .where("v.starts_at", ">", now)
        .as("booked_visits"),
      eb
        .selectFrom("referral_offers as o")
        .select((o) => o.fn.countAll<string>().as("n"))
        .whereRef("o.provider_id", "=", "u.id")
        .where("o.status", "=", "open")
        .where("o.expires_at", ">", now)
        .as("open_offers"),
    ])
    .where("u.id", "=", userId)
    .executeTakeFirst();
  if (!user) return null;
  return { ...user, booked_visits: Number(user.booked_visits ?? 0), open_offers: Number(user.open_offers ?? 0) };
}

/** The name and licence a provider signs an attestation with, as the form shows them before signing. */
export async function signerOf(db: Executor, userId: string) {
  return db
    .selectFrom("users")
    .leftJoin("provider_credentials as c", "c.user_id", "users.id")
    .select(["users.name", "c.licence_type", "c.licence_number", "c.licence_state", "c.npi"])
    .where("users.id", "=", userId)
    .executeTakeFirstOrThrow();
}
