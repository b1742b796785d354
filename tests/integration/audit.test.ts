import { randomBytes } from "node:crypto";
import { sql } from "kysely";
import postgres from "postgres";
import { expect, it } from "vitest";
import { signIn } from "~/auth/sign-in.server";
import { deliverDueEmails } from "~/email/worker.server";
import type { MailTransport, OutgoingEmail } from "~/email/transport.server";
import { recordAudit } from "~/audit/audit.server";
import {
  acceptInvitation,
  createInvitation,
  InvitationError,
  resendInvitation,
  revokeInvitation,
} from "~/modules/users/invitations.server";
import { requestPasswordReset, resetPassword } from "~/modules/users/password-reset.server";
import { setUserStatus } from "~/modules/users/users.server";
import { openDatabase } from "../../db/engine";
import { migrationsAreCurrent } from "../../db/migrator";
import { migrateAsOwner } from "../../db/roles";
import { MINUTE } from "../support/clock";
import { buildLoadContext } from "../support/context";
import { describeEachEngine } from "../support/db";
import { auditContextFor, createUser, uniqueEmail } from "../support/factories";
import { TEST_SECRETS_KEY, tokensSentTo } from "../support/mail";

const APP_URL = "https://portal.ember.test";
const PASSWORD = "a long enough password 1";

function recordingTransport() {
  const sent: OutgoingEmail[] = [];
  const transport: MailTransport = {
    name: "recording",
    send: async (email) => (sent.push(email), { ok: true, providerMessageId: null }),
  };
  return { transport, sent };
}

describeEachEngine("audit log", (getDb, engine) => {
  const rows = () => getDb().selectFrom("audit_events").selectAll().orderBy("id").execute();

  it("is append-only: UPDATE, DELETE and TRUNCATE raise an error", async () => {
    const db = getDb();
    const admin = await createUser(db, { role: "admin" });
    await recordAudit(db, auditContextFor(admin), { action: "test.event", entityType: "user", entityId: admin.id });
    const before = await rows();
    expect(before).toHaveLength(1);

    await expect(db.updateTable("audit_events").set({ outcome: "failure" }).execute()).rejects.toThrow(/append-only/);
    await expect(
      db.updateTable("audit_events").set({ actor_id: null }).where("id", "=", before[0]!.id).execute(),
    ).rejects.toThrow(/append-only/);
    await expect(db.deleteFrom("audit_events").where("id", "=", before[0]!.id).execute()).rejects.toThrow(
      /append-only/,
    );
    await expect(sql`delete from audit_events`.execute(db)).rejects.toThrow(/append-only/);
    await expect(sql`truncate audit_events`.execute(db)).rejects.toThrow(/append-only/);
    await expect(sql`truncate users, audit_events cascade`.execute(db)).rejects.toThrow(/append-only/);

    expect(await rows()).toEqual(before);
  });

  it("stores detail as a JSON object that SQL can query, on every engine", async () => {
    const db = getDb();
    await recordAudit(db, auditContextFor(null), {
      action: "test.detail",
      outcome: "failure",
      detail: { reason: "wrong_password", attempt: 3 },
    });
    await recordAudit(db, auditContextFor(null), { action: "test.empty" });
    const { rows: stored } = await sql<{ action: string; kind: string; reason: string | null }>`
      select action, jsonb_typeof(detail) as kind, detail->>'reason' as reason from audit_events order by id`.execute(
      db,
    );
    expect(stored).toEqual([
      { action: "test.detail", kind: "object", reason: "wrong_password" },
      { action: "test.empty", kind: "object", reason: null },
    ]);
    expect((await rows()).map((r) => r.detail)).toEqual([{ reason: "wrong_password", attempt: 3 }, {}]);
  });

  it("accepts new rows while refusing changes inside the same transaction", async () => {
    const db = getDb();
    await expect(
      db.transaction().execute(async (trx) => {
        await recordAudit(trx, auditContextFor(null), { action: "test.first" });
        await trx.deleteFrom("audit_events").execute();
      }),
    ).rejects.toThrow(/append-only/);
    // The failed delete rolled back the whole transaction, its insert included.
    expect(await rows()).toEqual([]);
  });

  it("records every invitation, sign-in, reset and account change", async () => {
    const db = getDb();
    const admin = await createUser(db, { role: "admin" });
    const adminAudit = auditContextFor(admin, { ip: "192.0.2.1", requestId: "req-admin" });
    const now = new Date();

    const email = uniqueEmail("therapist");
    const invitation = await createInvitation(db, adminAudit, {
      email,
      role: "therapist",
      inviterName: admin.name,
      appUrl: APP_URL,
      secretsKey: TEST_SECRETS_KEY,
      now,
    });
    await resendInvitation(db, adminAudit, {
      id: invitation.id,
      inviterName: admin.name,
      appUrl: APP_URL,
      secretsKey: TEST_SECRETS_KEY,
      now,
    });
    const other = await createInvitation(db, adminAudit, {
      email: uniqueEmail("other"),
      role: "coordinator",
      inviterName: admin.name,
      appUrl: APP_URL,
      secretsKey: TEST_SECRETS_KEY,
      now,
    });
    await revokeInvitation(db, adminAudit, { id: other.id, now });
    const token = (await tokensSentTo(db, email, "/join/")).at(-1)!;
    const accepted = await acceptInvitation(db, {
      token,
      now,
      ip: "198.51.100.4",
      requestId: "req-accept",
      name: "Dana Whitfield",
      organisation: "Hudson Trauma Therapy",
      password: PASSWORD,
      licenceType: "LCSW",
      licenceNumber: "R-1",
      licenceState: "NY",
      licenceExpiresOn: "2027-12-31",
      npi: "1234567893",
    });
    const therapistId = accepted!.userId;

    const context = buildLoadContext(db, { engine, ip: "198.51.100.4" });
    const attempt = (password: string) =>
      signIn(context, { email, password, previousSessionId: null, userAgent: null });
    expect((await attempt(PASSWORD)).ok).toBe(true);
    for (let i = 0; i < context.config.throttle.perAccount; i++) await attempt("wrong password");
    expect(await attempt(PASSWORD)).toEqual({ ok: false, reason: "throttled" });

    await requestPasswordReset(db, auditContextFor(null), {
      email,
      appUrl: APP_URL,
      secretsKey: TEST_SECRETS_KEY,
      now,
    });
    await requestPasswordReset(db, auditContextFor(null), {
      email: uniqueEmail("nobody"),
      appUrl: APP_URL,
      secretsKey: TEST_SECRETS_KEY,
      now,
    });
    const resetToken = (await tokensSentTo(db, email, "/reset-password/")).at(-1)!;
    expect(
      await resetPassword(db, auditContextFor(null), {
        token: resetToken,
        password: "a new long password 2",
        now: new Date(now.getTime() + MINUTE),
      }),
    ).toBe("done");

    expect(await setUserStatus(db, adminAudit, { userId: therapistId, status: "deactivated", now })).toBe("changed");
    expect(await setUserStatus(db, adminAudit, { userId: therapistId, status: "active", now })).toBe("changed");

    const log = await rows();
    const find = (action: string, outcome = "success") =>
      log.filter((r) => r.action === action && r.outcome === outcome);

    const byAdmin = { actor_id: admin.id, actor_role: "admin", ip: "192.0.2.1", request_id: "req-admin" };
    expect(find("invitation.create")).toEqual([
      expect.objectContaining({
        ...byAdmin,
        entity_type: "invitation",
        entity_id: invitation.id,
        detail: expect.objectContaining({ role: "therapist" }),
      }),
      expect.objectContaining({
        ...byAdmin,
        entity_type: "invitation",
        entity_id: other.id,
        detail: expect.objectContaining({ role: "coordinator" }),
      }),
    ]);
    expect(find("invitation.resend")).toEqual([expect.objectContaining({ ...byAdmin, entity_id: invitation.id })]);
    expect(find("invitation.revoke")).toEqual([expect.objectContaining({ ...byAdmin, entity_id: other.id })]);
    expect(find("invitation.accept")).toEqual([
      expect.objectContaining({
        actor_id: therapistId,
        actor_role: "therapist",
        entity_id: invitation.id,
        ip: "198.51.100.4",
        request_id: "req-accept",
      }),
    ]);

    expect(find("auth.sign_in")).toEqual([
      expect.objectContaining({ actor_id: therapistId, entity_id: therapistId, ip: "198.51.100.4" }),
    ]);
    expect(find("auth.sign_in", "failure")).toHaveLength(context.config.throttle.perAccount);
    expect(find("auth.sign_in", "failure")[0]).toMatchObject({
      actor_id: therapistId,
      detail: { reason: "wrong_password" },
    });
    expect(find("auth.sign_in", "denied")).toEqual([
      expect.objectContaining({ actor_id: null, detail: { reason: "throttled" } }),
    ]);

    expect(find("auth.reset_request")).toEqual([
      expect.objectContaining({ actor_id: therapistId, entity_id: therapistId }),
    ]);
    expect(find("auth.reset_request", "failure")).toEqual([
      expect.objectContaining({ actor_id: null, entity_id: null, detail: { reason: "unknown_account" } }),
    ]);
    expect(find("auth.password_reset")).toEqual([
      expect.objectContaining({ actor_id: therapistId, entity_type: "user", entity_id: therapistId }),
    ]);

    expect(find("user.deactivate")).toEqual([
      expect.objectContaining({ ...byAdmin, entity_type: "user", entity_id: therapistId }),
    ]);
    expect(find("user.reactivate")).toEqual([
      expect.objectContaining({ ...byAdmin, entity_type: "user", entity_id: therapistId }),
    ]);

    // In the order things happened, each with its time.
    expect(log.map((r) => r.action)).toEqual([
      "invitation.create",
      "invitation.resend",
      "invitation.create",
      "invitation.revoke",
      "invitation.accept",
      "auth.sign_in",
      ...Array(context.config.throttle.perAccount).fill("auth.sign_in"),
      "auth.sign_in",
      "auth.reset_request",
      "auth.reset_request",
      "auth.password_reset",
      "user.deactivate",
      "user.reactivate",
    ]);
    for (const row of log) expect(row.at).toBeInstanceOf(Date);

    // Identifiers and reasons only: no email address, password or token in any row.
    const everything = JSON.stringify(log);
    for (const secret of [email, PASSWORD, "wrong password", token, resetToken])
      expect(everything).not.toContain(secret);
  });

  it("writes nothing when the change it records rolls back", async () => {
    const db = getDb();
    const admin = await createUser(db, { role: "admin" });
    const email = uniqueEmail("taken");
    const now = new Date();
    const invitation = await createInvitation(db, auditContextFor(admin), {
      email,
      role: "coordinator",
      inviterName: admin.name,
      appUrl: APP_URL,
      secretsKey: TEST_SECRETS_KEY,
      now,
    });
    const token = (await tokensSentTo(db, email, "/join/"))[0]!;
    // Someone made an account with this address after the invitation went out.
    await createUser(db, { role: "coordinator", email });

    const accept = acceptInvitation(db, {
      token,
      now,
      ip: "198.51.100.4",
      requestId: "req",
      name: "X",
      organisation: "",
      password: PASSWORD,
    });
    await expect(accept).rejects.toBeInstanceOf(InvitationError);

    const row = await db
      .selectFrom("invitations")
      .select(["accepted_at", "accepted_user_id"])
      .where("id", "=", invitation.id)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ accepted_at: null, accepted_user_id: null });
    expect((await rows()).map((r) => r.action)).toEqual(["invitation.create"]);
  });

  // Roles belong to a database server; the embedded engine has one user, so this case exists on
  // PostgreSQL alone.
  if (engine === "postgres") {
    it("runs the portal as a runtime role that can append to and read the audit log but never change, empty or alter it", async () => {
      const suffix = randomBytes(4).toString("hex");
      const [ownerRole, runtimeRole, database] = [`it_owner_${suffix}`, `it_runtime_${suffix}`, `it_roles_${suffix}`];
      const server = postgres(process.env.DATABASE_URL!, { max: 1, onnotice: () => {} });
      const urlFor = (user: string) => {
        const url = new URL(process.env.DATABASE_URL!);
        url.username = user;
        url.pathname = `/${database}`;
        return url.toString();
      };
      // The README's two-role setup: an owner that is not a superuser, and a runtime role that owns nothing.
      await server.unsafe(`create role ${ownerRole} login; create role ${runtimeRole} login`);
      await server.unsafe(`create database ${database} owner ${ownerRole}`);
      const runtime = openDatabase({ url: urlFor(runtimeRole), poolSize: 2 });
      try {
        await migrateAsOwner(urlFor(ownerRole), urlFor(runtimeRole));
        const db = runtime.db;
        expect(await migrationsAreCurrent(db)).toBe(true);

        // The portal works: an account, a reset request (throttle row, token, sealed email, audit row), its delivery.
        const member = await createUser(db, { role: "therapist" });
        await requestPasswordReset(db, auditContextFor(null), {
          email: member.email,
          appUrl: APP_URL,
          secretsKey: TEST_SECRETS_KEY,
          now: new Date(Date.now() - MINUTE),
        });
        await recordAudit(db, auditContextFor(member), { action: "test.event" });
        const { transport, sent } = recordingTransport();
        expect(
          await deliverDueEmails(db, transport, {
            from: "portal@ember.test",
            secretsKey: TEST_SECRETS_KEY,
            now: new Date(),
          }),
        ).toMatchObject({ sent: 1 });
        expect(sent).toHaveLength(1);
        const audit = await db.selectFrom("audit_events").select("action").orderBy("id").execute();
        expect(audit.map((r) => r.action)).toEqual(["auth.reset_request", "test.event"]);

        // It may not change, empty or alter the audit log, nor switch its trigger off.
        for (const statement of [
          sql`update audit_events set action = 'tampered'`,
          sql`delete from audit_events`,
          sql`truncate audit_events`,
          sql`alter table audit_events disable trigger audit_events_no_change`,
          sql`alter table audit_events add column note text`,
          sql`drop trigger audit_events_no_truncate on audit_events`,
          sql`drop table audit_events`,
          sql`delete from kysely_migration`,
        ]) {
          await expect(statement.execute(db)).rejects.toThrow(/permission denied|must be (the )?owner/);
        }
        expect(await db.selectFrom("audit_events").select("action").orderBy("id").execute()).toEqual(audit);
      } finally {
        await runtime.close();
        await server.unsafe(`drop database if exists ${database} with (force)`);
        await server.unsafe(`drop role if exists ${runtimeRole}; drop role if exists ${ownerRole}`);
        await server.end();
      }
    });
  }
});
