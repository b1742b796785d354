import type { Database, Executor } from "../../../db/engine";
import { recordAudit, type AuditContext } from "~/audit/audit.server";

export class ReviewSettingsError extends Error {
  constructor(
    message: string,
    public readonly field: string,
  ) {
    super(message);
  }
}

/** The clinic's review settings, with the psychiatrists an administrator may name as the fallback reviewer. */
export async function reviewSettings(db: Executor) {
  const [settings, psychiatrists] = await Promise.all([
    db.selectFrom("clinic_settings").select(["fallback_reviewer_id", "review_stale_days"]).executeTakeFirstOrThrow(),
    db
      .selectFrom("users")
      .select(["id", "name", "organisation"])
      .where("role", "=", "psychiatrist")
      .where("status", "=", "active")
      .orderBy("name")
      .execute(),
  ]);
  return { ...settings, psychiatrists };
}

/**
 * Names the psychiatrist who reviews notes on patients whose care team has no other psychiatrist
 * (or nobody), and the days after which a waiting review shows on the work list.
 */
export async function saveReviewSettings(
  db: Database,
  audit: AuditContext,
  input: { fallbackReviewerId: string | null; reviewStaleDays: number },
) {
  return db.transaction().execute(async (trx) => {
    if (input.fallbackReviewerId) {
      const reviewer = await trx
        .selectFrom("users")
        .select("id")
        .where("id", "=", input.fallbackReviewerId)
        .where("role", "=", "psychiatrist")
        .where("status", "=", "active")
        .executeTakeFirst();
      if (!reviewer) throw new ReviewSettingsError("Choose an active psychiatrist.", "fallbackReviewerId");
    }
    await trx
      .updateTable("clinic_settings")
      .set({ fallback_reviewer_id: input.fallbackReviewerId, review_stale_days: input.reviewStaleDays })
      .execute();
    await recordAudit(trx, audit, {
      action: "clinic_settings.review",
      entityType: "clinic_settings",
      detail: { fallbackReviewerId: input.fallbackReviewerId, reviewStaleDays: input.reviewStaleDays },
    });
  });
}
