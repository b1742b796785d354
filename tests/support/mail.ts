import type { Database } from "../../db/engine";

export async function outboxTo(db: Database, to: string) {
  return db.selectFrom("email_outbox").selectAll().where("to_address", "=", to).orderBy("created_at").orderBy("id").execute();
}

const LINKS = { "/join/": "invitation", "/reset-password/": "password-reset" } as const;
type LinkPath = keyof typeof LINKS;

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** Every distinct token in links like `<appUrl>/join/<token>` found in a message part. */
export function tokensIn(text: string, pathPrefix: LinkPath): string[] {
  const pattern = new RegExp(`${escapeRegExp(pathPrefix)}([A-Za-z0-9_-]+)`, "g");
  return [...new Set([...text.matchAll(pattern)].map((m) => m[1]!))];
}

/**
 * The token of each invitation (`/join/`) or reset (`/reset-password/`) message queued to an
 * address, oldest first. Each message must carry exactly one such link, the same in both parts.
 */
export async function tokensSentTo(db: Database, to: string, pathPrefix: LinkPath): Promise<string[]> {
  const rows = (await outboxTo(db, to)).filter((r) => r.template === LINKS[pathPrefix]);
  return rows.flatMap((r) => {
    const fromText = tokensIn(r.text, pathPrefix);
    const fromHtml = tokensIn(r.html, pathPrefix);
    if (fromText.length !== 1 || fromHtml.join() !== fromText.join()) {
      throw new Error(`expected exactly one ${pathPrefix} link in message ${r.id}, found text=${fromText} html=${fromHtml}`);
    }
    return fromText;
  });
}
