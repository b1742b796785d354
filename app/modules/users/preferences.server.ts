import type { Database, Executor } from "../../../db/engine";
import { recordAudit, type AuditContext } from "~/audit/audit.server";

export async function notificationPreferences(db: Executor, userId: string) {
  return db.selectFrom("users").select(["notify_notes"]).where("id", "=", userId).executeTakeFirstOrThrow();
}

export async function setNoteDigests(
  db: Database,
  audit: AuditContext,
  input: { userId: string; enabled: boolean; now: Date },
) {
  await db.transaction().execute(async (trx) => {
    // Turning digests back on starts from now: no backlog of old notes arrives at once.
    await trx
      .updateTable("users")
      .set({ notify_notes: input.enabled, notes_digest_cursor: input.now, updated_at: input.now })
      .where("id", "=", input.userId)
      .execute();
    await recordAudit(trx, audit, {
      action: "user.preferences",
      entityType: "user",
      entityId: input.userId,
      detail: { noteDigests: input.enabled },
    });
  });
}
