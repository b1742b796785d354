import { createHash, randomBytes } from "node:crypto";

/** 256 bits of randomness, URL-safe: used for invitation, reset and calendar links. */
export function newToken(): string {
  return randomBytes(32).toString("base64url");
}

/** What the database keeps of a token or session id: a copy of a table opens nothing. */
export function hashToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}
