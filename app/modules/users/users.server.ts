import type { Database, DatabaseTransaction, Executor } from "../../../db/engine";
import { recordAudit, type AuditContext } from "~/audit/audit.server";
import { endCalendarFeeds } from "~/modules/infusions/calendar.server";
import { lockPatientSchedules } from "~/modules/patients/locks.server";
import type { Role } from "~/lib/roles";

export async function listUsers(
  db: Executor,
  options: { page: number; pageSize: number; role?: Role; status?: "active" | "deactivated" },
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
  input: { userId: string; status: "active" | "deactivated"; now: Date },
): Promise<"changed" | "unchanged" | "self"> {
  if (input.userId === audit.actorId && input.status === "deactivated") return "self";
  return db.transaction().execute(async (trx) => {
    const row = await trx
      .updateTable("users")
      .set({
        status: input.status,
        updated_at: input.now,
        deactivated_at: input.status === "deactivated" ? input.now : null,
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
    });
    return "changed";
  });
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
