import type { Kysely } from "kysely";
import type { DB, Role } from "../../../db/schema";
import { recordAudit, type AuditContext, type Executor } from "~/modules/audit/audit.server";
import { endCalendarFeeds } from "~/modules/infusions/calendar.server";

export async function listUsers(db: Executor, options: { page: number; pageSize: number; role?: Role; status?: "active" | "deactivated" }) {
  let query = db
    .selectFrom("users as u")
    .leftJoin("provider_credentials as c", "c.user_id", "u.id")
    .select(["u.id", "u.name", "u.email", "u.role", "u.organisation", "u.status", "u.created_at", "c.licence_type", "c.npi", "c.licence_expires_on"]);
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

/**
 * Deactivating ends every session and calendar feed address of that user in the same
 * transaction, so an open browser stops working on its very next request, and the feed for good. Admins cannot deactivate themselves.
 */
export async function setUserStatus(
  db: Kysely<DB>,
  audit: AuditContext,
  input: { userId: string; status: "active" | "deactivated"; now: Date },
): Promise<"changed" | "unchanged" | "self"> {
  if (input.userId === audit.actorId && input.status === "deactivated") return "self";
  return db.transaction().execute(async (trx) => {
    const row = await trx
      .updateTable("users")
      .set({ status: input.status, updated_at: input.now, deactivated_at: input.status === "deactivated" ? input.now : null })
      .where("id", "=", input.userId)
      .where("status", "!=", input.status)
      .returning("id")
      .executeTakeFirst();
    if (!row) return "unchanged";
    if (input.status === "deactivated") {
      await trx.deleteFrom("sessions").where("user_id", "=", row.id).execute();
      await endCalendarFeeds(trx, row.id, input.now);
    }
    await recordAudit(trx, audit, {
      action: input.status === "deactivated" ? "user.deactivate" : "user.reactivate",
      entityType: "user",
      entityId: row.id,
    });
    return "changed";
  });
}
