import { randomBytes } from "node:crypto";
import type { Role } from "../../db/schema";
import type { Database } from "../../db/engine";
import { LOCATIONS } from "../../db/seed-demo";
import { hashPassword } from "~/auth/password.server";
import type { AuditContext } from "~/modules/audit/audit.server";

export const TEST_PASSWORD = "correct horse battery staple";

// argon2id at 19 MiB costs ~50 ms a hash: reuse one per distinct password across a file.
const hashes = new Map<string, Promise<string>>();
function cachedHash(password: string): Promise<string> {
  let hashed = hashes.get(password);
  if (!hashed) {
    hashed = hashPassword(password);
    hashes.set(password, hashed);
  }
  return hashed;
}

export interface TestUser {
  id: string;
  email: string;
  name: string;
  role: Role;
  password: string;
}

export const uniqueEmail = (label = "user") => `${label}-${randomBytes(4).toString("hex")}@example.test`;

/** A user of the given role with a real argon2id password hash. Synthetic data only. */
export async function createUser(
  db: Database,
  options: { role: Role; email?: string; name?: string; password?: string; status?: "active" | "deactivated" },
): Promise<TestUser> {
  const password = options.password ?? TEST_PASSWORD;
  const email = (options.email ?? uniqueEmail(options.role)).toLowerCase();
  const name = options.name ?? `Test ${options.role}`;
  const row = await db
    .insertInto("users")
    .values({
      email,
      name,
      role: options.role,
      organisation: options.role === "therapist" || options.role === "psychiatrist" ? "Test Practice" : "Ember Health",
      password_hash: await cachedHash(password),
      status: options.status ?? "active",
      deactivated_at: options.status === "deactivated" ? new Date() : null,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  return { id: row.id, email, name, role: options.role, password };
}

/** The five clinics of the demo data. */
export async function insertLocations(db: Database): Promise<void> {
  await db
    .insertInto("locations")
    .values(LOCATIONS.map((l) => ({ ...l, opens_at: "08:00", closes_at: "19:00" })))
    .onConflict((oc) => oc.column("id").doNothing())
    .execute();
}

/** The audit context a request made by `actor` would carry. */
export function auditContextFor(actor: { id: string; role: string } | null, request: { ip?: string; requestId?: string } = {}): AuditContext {
  return {
    actorId: actor?.id ?? null,
    actorRole: actor?.role ?? null,
    ip: request.ip ?? "127.0.0.1",
    requestId: request.requestId ?? `req-${randomBytes(4).toString("hex")}`,
  };
}
