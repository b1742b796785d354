import { sql, type Kysely } from "kysely";

// Frozen in time: a rendered invitation or password-reset email held a working link, in the
// outbox until it was pruned and in the local mailbox for good. Such messages now keep only their
// props sealed under SECRETS_KEY, erased once sent; the local mailbox lives in the server's memory.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("email_outbox").addColumn("sealed_props", "text").execute();
  // Rows written before hold the link in their bodies: blank them. One not yet sent cannot be
  // composed any more and goes to review; the person asks again (re-send, or a new reset).
  await sql`
    update email_outbox set html = '', text = '',
      status = case when status = 'pending' then 'review' else status end,
      last_error = case when status = 'pending' then 'withdrawn when links stopped being stored: send it again' else last_error end
    where template in ('invitation', 'password-reset')`.execute(db);
  await db.schema.dropTable("dev_mailbox").execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("dev_mailbox")
    .addColumn("id", "bigserial", (c) => c.primaryKey())
    .addColumn("outbox_id", "uuid", (c) => c.notNull().unique())
    .addColumn("to_address", "text", (c) => c.notNull())
    .addColumn("subject", "text", (c) => c.notNull())
    .addColumn("html", "text", (c) => c.notNull())
    .addColumn("text", "text", (c) => c.notNull())
    .addColumn("delivered_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.alterTable("email_outbox").dropColumn("sealed_props").execute();
}
