import {
  generateIdFromEntropySize,
  Lucia,
  TimeSpan,
  type Adapter,
  type DatabaseSession,
  type DatabaseUser,
} from "lucia";
import type { QueryCreator } from "kysely";
import type { DB } from "../../db/schema";
import { hashToken } from "~/lib/tokens.server";
import type { Database, Executor } from "../../db/engine";
import type { Role } from "~/lib/roles";

/**
 * An active session's idle deadline is moved forward at most once a minute, so an active user is
 * never cut off. A short idle timeout (under ten minutes) is extended more often, at a tenth of
 * its length.
 */
const TOUCH_EVERY_MS = 60_000;

export interface SessionPolicy {
  idleMs: number;
  absoluteMs: number;
  secureCookie: boolean;
}

/**
 * lucia's storage, kept in our own `sessions` table. Only a SHA-256 of each session id is stored;
 * a session past its absolute lifetime, or of a deactivated user, is not found. Requests check
 * their session with `validateSession` below; lucia's own check is the same lookup.
 */
export class KyselySessionAdapter implements Adapter {
  constructor(
    private readonly db: Database,
    private readonly absoluteMs: number,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async getSessionAndUser(sessionId: string): Promise<[DatabaseSession | null, DatabaseUser | null]> {
    const row = await this.sessionAndUser(this.db, hashToken(sessionId), this.now()).executeTakeFirst();
    if (!row) return [null, null];
    return [
      {
        id: sessionId,
        userId: row.user_id,
        expiresAt: row.expires_at,
        attributes: { createdAt: row.created_at, needsMfaEnrolment: row.needs_mfa_enrolment },
      },
      { id: row.user_id, attributes: { email: row.email, name: row.name, role: row.role } },
    ];
  }

  /**
   * A request's session check in one statement: the session and its user, or undefined. A session
   * past its idle deadline is deleted; an active one has its deadline moved to `now + idleMs`
   * (see TOUCH_EVERY_MS).
   */
  async validateSession(sessionId: string, idleMs: number) {
    const now = this.now();
    const deadline = new Date(now.getTime() + idleMs);
    const touchBefore = new Date(deadline.getTime() - Math.min(TOUCH_EVERY_MS, idleMs / 10));
    return this.db
      .with("found", (db) => this.sessionAndUser(db, hashToken(sessionId), now))
      .with("touched", (db) =>
        db
          .updateTable("sessions")
          .from("found")
          .set({ expires_at: deadline })
          .whereRef("sessions.id_hash", "=", "found.id_hash")
          .where("found.expires_at", ">", now)
          .where("found.expires_at", "<", touchBefore)
          .returning("sessions.expires_at"),
      )
      .with("ended", (db) =>
        db
          .deleteFrom("sessions")
          .using("found")
          .whereRef("sessions.id_hash", "=", "found.id_hash")
          .where("found.expires_at", "<=", now),
      )
      .selectFrom("found")
      .select(["user_id", "created_at", "needs_mfa_enrolment", "email", "name", "role"])
      .select((eb) =>
        eb.fn.coalesce(eb.selectFrom("touched").select("expires_at"), "found.expires_at").as("expires_at"),
      )
      .where("found.expires_at", ">", now)
      .executeTakeFirst();
  }

  /** The session of this id hash with its user: not past its absolute lifetime, of an active user. */
  private sessionAndUser(db: QueryCreator<DB>, idHash: string, now: Date) {
    return db
      .selectFrom("sessions as s")
      .innerJoin("users as u", "u.id", "s.user_id")
      .select([
        "s.id_hash",
        "s.user_id",
        "s.expires_at",
        "s.created_at",
        "s.needs_mfa_enrolment",
        "u.email",
        "u.name",
        "u.role",
      ])
      .where("s.id_hash", "=", idHash)
      .where("u.status", "=", "active")
      .where("s.created_at", ">", new Date(now.getTime() - this.absoluteMs));
  }

  async getUserSessions(userId: string): Promise<DatabaseSession[]> {
    // Raw ids are never stored, so listed sessions carry their hash as id.
    const rows = await this.db.selectFrom("sessions").selectAll().where("user_id", "=", userId).execute();
    return rows.map((r) => ({
      id: r.id_hash,
      userId,
      expiresAt: r.expires_at,
      attributes: { createdAt: r.created_at },
    }));
  }

  async setSession(session: DatabaseSession): Promise<void> {
    await this.db
      .insertInto("sessions")
      .values({
        id_hash: hashToken(session.id),
        user_id: session.userId,
        expires_at: session.expiresAt,
        created_at: this.now(),
        ip: session.attributes.ip ?? null,
        user_agent: session.attributes.userAgent ?? null,
        needs_mfa_enrolment: session.attributes.needsMfaEnrolment ?? false,
        authenticated_at: this.now(),
      })
      .execute();
  }

  async updateSessionExpiration(sessionId: string, expiresAt: Date): Promise<void> {
    await this.db
      .updateTable("sessions")
      .set({ expires_at: expiresAt })
      .where("id_hash", "=", hashToken(sessionId))
      .execute();
  }

  async deleteSession(sessionId: string): Promise<void> {
    await this.db.deleteFrom("sessions").where("id_hash", "=", hashToken(sessionId)).execute();
  }

  async deleteUserSessions(userId: string): Promise<void> {
    await this.db.deleteFrom("sessions").where("user_id", "=", userId).execute();
  }

  async deleteExpiredSessions(): Promise<void> {
    const now = this.now();
    await this.db
      .deleteFrom("sessions")
      .where((eb) =>
        eb.or([eb("expires_at", "<=", now), eb("created_at", "<=", new Date(now.getTime() - this.absoluteMs))]),
      )
      .execute();
  }
}

/**
 * Moves a signed-in browser to a new session id after a change to how its user signs in, and ends
 * every other session of the user, the old id included: an id that leaked before the change (a
 * shared computer, a copied cookie) opens nothing after it. The new session keeps the old one's
 * start, so its absolute lifetime does not grow. Null when the old session no longer exists.
 */
export async function rotateSession(
  db: Executor,
  input: { userId: string; currentSessionHash: string; now: Date; needsMfaEnrolment?: boolean },
): Promise<string | null> {
  const sessionId = generateIdFromEntropySize(25);
  const idHash = hashToken(sessionId);
  const moved = await db
    .insertInto("sessions")
    .columns([
      "id_hash",
      "user_id",
      "created_at",
      "expires_at",
      "ip",
      "user_agent",
      "needs_mfa_enrolment",
      "authenticated_at",
    ])
    .expression((eb) =>
      eb
        .selectFrom("sessions")
        .select((s) => [
          s.val(idHash).as("id_hash"),
          "user_id",
          "created_at",
          "expires_at",
          "ip",
          "user_agent",
          input.needsMfaEnrolment === undefined
            ? "needs_mfa_enrolment"
            : s.val(input.needsMfaEnrolment).as("needs_mfa_enrolment"),
          s.val(input.now).as("authenticated_at"),
        ])
        .where("id_hash", "=", input.currentSessionHash)
        .where("user_id", "=", input.userId),
    )
    .returning("id_hash")
    .executeTakeFirst();
  await db.deleteFrom("sessions").where("user_id", "=", input.userId).where("id_hash", "!=", idHash).execute();
  return moved ? sessionId : null;
}

export function createLucia(adapter: KyselySessionAdapter, policy: SessionPolicy) {
  return new Lucia(adapter, {
    sessionExpiresIn: new TimeSpan(Math.max(1, Math.round(policy.idleMs / 1000)), "s"),
    sessionCookie: {
      // Over https the __Host- prefix makes the browser refuse the cookie unless it is Secure,
      // host-only and for path /: no subdomain or plain-http page can set or shadow it.
      name: policy.secureCookie ? "__Host-ember_session" : "ember_session",
      // A browser-session cookie: closing the browser ends it (sessionCookieHeader also drops the
      // Max-Age lucia adds); the server enforces idle and absolute expiry.
      expires: false,
      attributes: { secure: policy.secureCookie, sameSite: "lax", path: "/" },
    },
    getUserAttributes: (attributes) => attributes,
    getSessionAttributes: (attributes) => attributes,
  });
}

export type PortalLucia = ReturnType<typeof createLucia>;

declare module "lucia" {
  interface Register {
    Lucia: PortalLucia;
    DatabaseUserAttributes: { email: string; name: string; role: Role };
    DatabaseSessionAttributes: {
      createdAt?: Date;
      ip?: string | null;
      userAgent?: string | null;
      needsMfaEnrolment?: boolean;
    };
  }
}
