import type { Kysely } from "kysely";

// Frozen in time: an invitation that was accepted, revoked or let expire keeps its row (the
// invitations list shows it) but loses its link's hash, which the scheduler clears.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("invitations").alterColumn("token_hash", (c) => c.dropNotNull()).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.deleteFrom("invitations").where("token_hash", "is", null).execute();
  await db.schema.alterTable("invitations").alterColumn("token_hash", (c) => c.setNotNull()).execute();
}
