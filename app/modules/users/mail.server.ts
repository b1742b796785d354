import type { Executor } from "../../../db/engine";

/** Messages that need a person: given up on after repeated failures, or still retrying. */
export async function listUndeliveredMail(db: Executor, options: { page: number; pageSize: number }) {
  const rows = await db
    .selectFrom("email_outbox")
    .select(["id", "template", "to_address", "status", "attempts", "last_error", "created_at", "next_attempt_at"])
    .where("status", "in", ["review", "pending"])
    .where("attempts", ">", 0)
    .orderBy("created_at")
    .limit(options.pageSize + 1)
    .offset((options.page - 1) * options.pageSize)
    .execute();
  return { rows: rows.slice(0, options.pageSize), hasNext: rows.length > options.pageSize };
}
