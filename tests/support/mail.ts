import type { Database } from "../../db/engine";
import { composeEmail } from "~/email/outbox.server";
import { loadConfig } from "~/env.server";

/** The key a portal with the default (local) configuration seals secret-link messages with. */
export const TEST_SECRETS_KEY = loadConfig({}).secretsKey;

export async function outboxTo(db: Database, to: string) {
  return db
    .selectFrom("email_outbox")
    .selectAll()
    .where("to_address", "=", to)
    .orderBy("created_at")
    .orderBy("id")
    .execute();
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
 * address, oldest first, composed as the mail worker would before sending (the row holds the
 * link only sealed). Each message must carry exactly one such link, the same in both parts.
 */
export async function tokensSentTo(db: Database, to: string, pathPrefix: LinkPath): Promise<string[]> {
  const rows = (await outboxTo(db, to)).filter((r) => r.template === LINKS[pathPrefix]);
  const messages = await Promise.all(
    rows.map(async (r) => ({ id: r.id, ...(await composeEmail(TEST_SECRETS_KEY, r)) })),
  );
  return messages.flatMap((r) => {
    const fromText = tokensIn(r.text, pathPrefix);
    const fromHtml = tokensIn(r.html, pathPrefix);
    if (fromText.length !== 1 || fromHtml.join() !== fromText.join()) {
      throw new Error(
        `expected exactly one ${pathPrefix} link in message ${r.id}, found text=${fromText} html=${fromHtml}`,
      );
    }
    return fromText;
  });
}
