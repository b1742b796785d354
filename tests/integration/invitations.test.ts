import { expect, it } from "vitest";
import { verifyPassword } from "~/auth/password.server";
import { composeEmail } from "~/email/outbox.server";
import { hashToken } from "~/lib/tokens.server";
import {
  type AcceptInput,
  acceptInvitation,
  createInvitation,
  findOpenInvitation,
  INVITATION_VALID_MS,
  InvitationError,
  resendInvitation,
  revokeInvitation,
} from "~/modules/users/invitations.server";
import { DAY, HOUR } from "../support/clock";
import { describeEachEngine } from "../support/db";
import { auditContextFor, createUser, uniqueEmail } from "../support/factories";
import { outboxTo, TEST_SECRETS_KEY, tokensSentTo } from "../support/mail";
import type { Role } from "~/lib/roles";

const APP_URL = "https://portal.ember.test";

const providerDetails = {
  name: "Dana Whitfield, LCSW",
  organisation: "Hudson Trauma Therapy",
  password: "a long enough password 1",
  licenceType: "LCSW",
  licenceNumber: "R-081234",
  licenceState: "NY",
  licenceExpiresOn: "2027-12-31",
  npi: "1234567893",
};

describeEachEngine("invitations", (getDb) => {
  async function invite(role: Role = "therapist", now = new Date()) {
    const db = getDb();
    const admin = await createUser(db, { role: "admin" });
    const email = uniqueEmail("invitee");
    const { id } = await createInvitation(db, auditContextFor(admin), {
      email,
      role,
      inviterName: admin.name,
      appUrl: APP_URL,
      secretsKey: TEST_SECRETS_KEY,
      now,
    });
    const tokens = await tokensSentTo(db, email, "/join/");
    expect(tokens).toHaveLength(1);
    return { admin, email, id, token: tokens[0]!, now };
  }

  const accept = (token: string, now: Date, details: AcceptInput = providerDetails) =>
    acceptInvitation(getDb(), { token, now, ip: "198.51.100.7", requestId: "req-accept", ...details });

  it("stores only the SHA-256 of the link's token", async () => {
    const { id, token } = await invite();
    expect(token.length).toBeGreaterThanOrEqual(43); // 256 bits in base64url
    const rows = await getDb().selectFrom("invitations").selectAll().execute();
    expect(rows).toHaveLength(1);
    const row = rows[0]!;
    expect(row.id).toBe(id);
    expect(row.token_hash).toBe(hashToken(token));
    for (const [column, value] of Object.entries(row)) {
      const stored = value instanceof Date ? value.toISOString() : JSON.stringify(value);
      expect(stored, `invitations.${column}`).not.toContain(token);
    }
  });

  it("sends the link to the invited address only", async () => {
    const { email, token } = await invite();
    const all = await getDb().selectFrom("email_outbox").selectAll().execute();
    expect(all).toEqual([expect.objectContaining({ to_address: email, template: "invitation" })]);
    // The row holds the link sealed; the message the worker composes from it carries the link.
    expect((await composeEmail(TEST_SECRETS_KEY, all[0]!)).text).toContain(`${APP_URL}/join/${token}`);
  });

  it("can be accepted once", async () => {
    const { email, token, now } = await invite();
    const first = await accept(token, new Date(now.getTime() + HOUR));
    expect(first).toEqual({ userId: expect.any(String), role: "therapist" });

    const second = await accept(token, new Date(now.getTime() + 2 * HOUR), {
      ...providerDetails,
      password: "another password 22",
    });
    expect(second).toBeNull();

    const users = await getDb()
      .selectFrom("users")
      .select(["id", "email", "password_hash"])
      .where("email", "=", email)
      .execute();
    expect(users).toHaveLength(1);
    expect(users[0]!.id).toBe(first!.userId);
    expect(await verifyPassword(users[0]!.password_hash!, providerDetails.password)).toBe(true);
    expect(await findOpenInvitation(getDb(), token, new Date(now.getTime() + 2 * HOUR))).toBeNull();
  });

  it("lets only one of two simultaneous accepts succeed", async () => {
    const { token, now } = await invite();
    const results = await Promise.allSettled([accept(token, now), accept(token, now)]);
    const accepted = results.filter((r) => r.status === "fulfilled" && r.value !== null);
    expect(accepted).toHaveLength(1);
    const users = await getDb().selectFrom("users").select("id").where("role", "=", "therapist").execute();
    expect(users).toHaveLength(1);
  });

  it("expires after 7 days", async () => {
    const { token, now } = await invite();
    const justBefore = new Date(now.getTime() + INVITATION_VALID_MS - 1);
    const justAfter = new Date(now.getTime() + 7 * DAY + 1);
    expect(await findOpenInvitation(getDb(), token, justBefore)).not.toBeNull();
    expect(await accept(token, justAfter)).toBeNull();
    expect(await getDb().selectFrom("users").select("id").where("role", "=", "therapist").execute()).toHaveLength(0);
    const row = await getDb()
      .selectFrom("invitations")
      .select(["accepted_at", "accepted_user_id"])
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ accepted_at: null, accepted_user_id: null });
  });

  it("cannot be accepted once revoked", async () => {
    const { admin, id, token, now } = await invite();
    expect(await revokeInvitation(getDb(), auditContextFor(admin), { id, now })).toBe(true);
    expect(await revokeInvitation(getDb(), auditContextFor(admin), { id, now })).toBe(false);
    expect(await accept(token, now)).toBeNull();
    expect(await getDb().selectFrom("users").select("id").where("role", "=", "therapist").execute()).toHaveLength(0);
  });

  it("re-sending replaces the link: the old one stops working, the new one works", async () => {
    const { admin, email, id, token: oldToken, now } = await invite();
    const later = new Date(now.getTime() + 6 * DAY);
    expect(
      await resendInvitation(getDb(), auditContextFor(admin), {
        id,
        inviterName: admin.name,
        appUrl: APP_URL,
        secretsKey: TEST_SECRETS_KEY,
        now: later,
      }),
    ).toBe(true);

    const tokens = await tokensSentTo(getDb(), email, "/join/");
    expect(tokens).toHaveLength(2);
    const newToken = tokens.find((t) => t !== oldToken)!;
    expect(newToken).toBeDefined();

    const row = await getDb()
      .selectFrom("invitations")
      .select(["token_hash", "sent_count", "expires_at"])
      .executeTakeFirstOrThrow();
    expect(row.token_hash).toBe(hashToken(newToken));
    expect(row.sent_count).toBe(2);
    // A fresh 7 days from the re-send.
    expect(row.expires_at.getTime()).toBe(later.getTime() + INVITATION_VALID_MS);

    expect(await accept(oldToken, later)).toBeNull();
    // Past the first link's 7 days, within the new link's.
    expect(await accept(newToken, new Date(now.getTime() + 8 * DAY))).toEqual({
      userId: expect.any(String),
      role: "therapist",
    });
  });

  it("cannot re-send a revoked or accepted invitation", async () => {
    const revoked = await invite();
    await revokeInvitation(getDb(), auditContextFor(revoked.admin), { id: revoked.id, now: revoked.now });
    const resend = (i: typeof revoked) =>
      resendInvitation(getDb(), auditContextFor(i.admin), {
        id: i.id,
        inviterName: "x",
        appUrl: APP_URL,
        secretsKey: TEST_SECRETS_KEY,
        now: i.now,
      });
    expect(await resend(revoked)).toBe(false);

    const accepted = await invite();
    await accept(accepted.token, accepted.now);
    expect(await resend(accepted)).toBe(false);

    expect(await outboxTo(getDb(), revoked.email)).toHaveLength(1);
    expect(await outboxTo(getDb(), accepted.email)).toHaveLength(1);
  });

  it.each(["therapist", "psychiatrist"] as const)("gives an accepted %s provider credentials", async (role) => {
    const { token, now, email } = await invite(role);
    const npi = role === "therapist" ? "1234567893" : "1245319599";
    const result = await accept(token, now, {
      ...providerDetails,
      npi,
      licenceType: role === "therapist" ? "LCSW" : "MD/DO",
    });
    expect(result?.role).toBe(role);
    const user = await getDb()
      .selectFrom("users")
      .selectAll()
      .where("id", "=", result!.userId)
      .executeTakeFirstOrThrow();
    expect(user).toMatchObject({
      email,
      role,
      name: providerDetails.name,
      organisation: providerDetails.organisation,
      status: "active",
    });
    const credentials = await getDb()
      .selectFrom("provider_credentials")
      .selectAll()
      .where("user_id", "=", result!.userId)
      .execute();
    expect(credentials).toEqual([
      expect.objectContaining({
        licence_type: role === "therapist" ? "LCSW" : "MD/DO",
        licence_number: "R-081234",
        licence_state: "NY",
        licence_expires_on: "2027-12-31",
        npi,
      }),
    ]);
    const invitation = await getDb()
      .selectFrom("invitations")
      .select(["accepted_at", "accepted_user_id"])
      .executeTakeFirstOrThrow();
    expect(invitation.accepted_user_id).toBe(result!.userId);
    expect(invitation.accepted_at?.getTime()).toBe(now.getTime());
  });

  it("gives an accepted staff member no provider credentials", async () => {
    const { token, now } = await invite("coordinator");
    const result = await accept(token, now, {
      name: "Maya Okafor",
      organisation: "",
      password: "a long enough password 1",
    });
    expect(result?.role).toBe("coordinator");
    const user = await getDb()
      .selectFrom("users")
      .select("organisation")
      .where("id", "=", result!.userId)
      .executeTakeFirstOrThrow();
    expect(user.organisation).toBe("Ember Health");
    expect(await getDb().selectFrom("provider_credentials").selectAll().execute()).toEqual([]);
  });

  it("refuses to invite an address that already has an account or an open invitation", async () => {
    const db = getDb();
    const { admin, email, now } = await invite();
    const again = createInvitation(db, auditContextFor(admin), {
      email,
      role: "therapist",
      inviterName: admin.name,
      appUrl: APP_URL,
      secretsKey: TEST_SECRETS_KEY,
      now,
    });
    await expect(again).rejects.toBeInstanceOf(InvitationError);
    const existing = await createUser(db, { role: "psychiatrist" });
    const duplicate = createInvitation(db, auditContextFor(admin), {
      email: existing.email,
      role: "psychiatrist",
      inviterName: admin.name,
      appUrl: APP_URL,
      secretsKey: TEST_SECRETS_KEY,
      now,
    });
    await expect(duplicate).rejects.toThrow(/already has a portal account/);
    // Neither refusal left an invitation or an email behind.
    expect(await db.selectFrom("invitations").select("id").execute()).toHaveLength(1);
    expect(await db.selectFrom("email_outbox").select("id").execute()).toHaveLength(1);
  });

  it("lets only administrators invite Ember staff; coordinators invite outside providers only; nobody else invites", async () => {
    const db = getDb();
    const now = new Date();
    const inviters = Object.fromEntries(
      await Promise.all(
        (["admin", "coordinator", "clinician", "therapist", "psychiatrist"] as const).map(
          async (role) => [role, await createUser(db, { role })] as const,
        ),
      ),
    );
    const attempt = (inviter: Role, role: Role) =>
      createInvitation(db, auditContextFor(inviters[inviter]!), {
        email: uniqueEmail(`${inviter}-invites-${role}`),
        role,
        inviterName: "x",
        appUrl: APP_URL,
        secretsKey: TEST_SECRETS_KEY,
        now,
      }).then(
        () => "invited",
        (error: unknown) =>
          error instanceof InvitationError && error.field === "role" ? "refused" : Promise.reject(error),
      );
    const outcomes: Record<string, string> = {};
    for (const inviter of ["admin", "coordinator", "clinician", "therapist", "psychiatrist"] as const) {
      for (const role of ["therapist", "psychiatrist", "coordinator", "clinician", "admin"] as const)
        outcomes[`${inviter} -> ${role}`] = await attempt(inviter, role);
    }
    const invited = Object.entries(outcomes)
      .filter(([, outcome]) => outcome === "invited")
      .map(([pair]) => pair);
    expect(invited.sort()).toEqual(
      [
        "admin -> therapist",
        "admin -> psychiatrist",
        "admin -> coordinator",
        "admin -> clinician",
        "admin -> admin",
        "coordinator -> therapist",
        "coordinator -> psychiatrist",
      ].sort(),
    );
    // A refusal leaves neither an invitation nor an email behind.
    expect(await db.selectFrom("invitations").select("id").execute()).toHaveLength(invited.length);
    expect(await db.selectFrom("email_outbox").select("id").execute()).toHaveLength(invited.length);
  });
});
