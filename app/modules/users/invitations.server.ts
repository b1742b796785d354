import type { TeamRole } from "../../../db/schema";
import { hashPassword } from "~/auth/password.server";
import { queueEmail } from "~/email/outbox.server";
import { hashToken, newToken } from "~/lib/tokens.server";
import { formatDateTime } from "~/lib/time";
import type { Database, Executor } from "../../../db/engine";
import { recordAudit, type AuditContext } from "~/audit/audit.server";
import { type Role, ROLE_LABELS, isOutsideProvider } from "~/lib/roles";

export interface CareTeamInvite {
  patientId: string;
  teamRole: TeamRole;
  release?: { signedOn: string; expiresOn: string; scope: string[] };
}

export const INVITATION_VALID_MS = 7 * 24 * 60 * 60_000;

export class InvitationError extends Error {
  constructor(
    message: string,
    public readonly field?: string,
  ) {
    super(message);
  }
}

async function sendInvitationEmail(
  db: Executor,
  opts: {
    email: string;
    role: Role;
    token: string;
    inviterName: string;
    appUrl: string;
    secretsKey: Buffer;
    expiresAt: Date;
  },
) {
  await queueEmail(
    db,
    {
      template: "invitation",
      to: opts.email,
      props: {
        inviterName: opts.inviterName,
        roleLabel: ROLE_LABELS[opts.role].toLowerCase(),
        acceptUrl: `${opts.appUrl}/join/${opts.token}`,
        expiresOn: formatDateTime(opts.expiresAt),
      },
    },
    opts.secretsKey,
  );
}

/**
 * Who may invite whom: administrators invite anyone; coordinators invite outside providers only,
 * since an Ember staff account (clinician, coordinator, administrator) sees every patient.
 */
export function mayInvite(inviterRole: string | null, role: Role): boolean {
  if (inviterRole === "admin") return true;
  return inviterRole === "coordinator" && isOutsideProvider(role);
}

/**
 * Invites someone by email. The link carries 256 random bits; only their hash is stored. An
 * address that already has an account, or an open invitation, is refused with a reason, and so is
 * a role the inviter may not invite.
 */
export async function createInvitation(
  db: Database,
  audit: AuditContext,
  input: {
    email: string;
    role: Role;
    inviterName: string;
    appUrl: string;
    secretsKey: Buffer;
    now: Date;
    careTeam?: CareTeamInvite;
  },
): Promise<{ id: string }> {
  if (!mayInvite(audit.actorRole, input.role)) {
    throw new InvitationError(
      "Only an administrator can invite Ember staff (clinicians, coordinators and administrators).",
      "role",
    );
  }
  const token = newToken();
  const expiresAt = new Date(input.now.getTime() + INVITATION_VALID_MS);
  return db.transaction().execute(async (trx) => {
    const existingUser = await trx
      .selectFrom("users")
      .select("id")
      .where((eb) => eb(eb.fn("lower", ["email"]), "=", input.email))
      .executeTakeFirst();
    if (existingUser) {
      throw new InvitationError(
        input.careTeam
          ? "This provider already has a portal account: add them from the list of existing providers."
          : "This person already has a portal account.",
        "email",
      );
    }
    const open = await trx
      .selectFrom("invitations")
      .select("id")
      .where((eb) => eb(eb.fn("lower", ["email"]), "=", input.email))
      .where("accepted_at", "is", null)
      .where("revoked_at", "is", null)
      .where("expires_at", ">", input.now)
      .executeTakeFirst();
    if (open)
      throw new InvitationError(
        "An invitation to this address is already open: re-send it from the list below.",
        "email",
      );

    const row = await trx
      .insertInto("invitations")
      .values({
        email: input.email,
        role: input.role,
        token_hash: hashToken(token),
        invited_by: audit.actorId!,
        expires_at: expiresAt,
        created_at: input.now,
        patient_id: input.careTeam?.patientId ?? null,
        team_role: input.careTeam?.teamRole ?? null,
        release_signed_on: input.careTeam?.release?.signedOn ?? null,
        release_expires_on: input.careTeam?.release?.expiresOn ?? null,
        release_scope: input.careTeam?.release?.scope ?? null,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    await sendInvitationEmail(trx, { ...input, token, expiresAt });
    await recordAudit(trx, audit, {
      action: "invitation.create",
      entityType: "invitation",
      entityId: row.id,
      patientId: input.careTeam?.patientId ?? null,
      detail: { role: input.role, teamRole: input.careTeam?.teamRole ?? null },
    });
    return row;
  });
}

/** A fresh link (the old one stops working) and a fresh 7 days. */
export async function resendInvitation(
  db: Database,
  audit: AuditContext,
  input: { id: string; inviterName: string; appUrl: string; secretsKey: Buffer; now: Date },
): Promise<boolean> {
  const token = newToken();
  const expiresAt = new Date(input.now.getTime() + INVITATION_VALID_MS);
  return db.transaction().execute(async (trx) => {
    const invitation = await trx
      .updateTable("invitations")
      .set((eb) => ({ token_hash: hashToken(token), expires_at: expiresAt, sent_count: eb("sent_count", "+", 1) }))
      .where("id", "=", input.id)
      .where("accepted_at", "is", null)
      .where("revoked_at", "is", null)
      .returning(["id", "email", "role"])
      .executeTakeFirst();
    if (!invitation) return false;
    await sendInvitationEmail(trx, {
      email: invitation.email,
      role: invitation.role,
      token,
      inviterName: input.inviterName,
      appUrl: input.appUrl,
      secretsKey: input.secretsKey,
      expiresAt,
    });
    await recordAudit(trx, audit, { action: "invitation.resend", entityType: "invitation", entityId: invitation.id });
    return true;
  });
}

export async function revokeInvitation(
  db: Database,
  audit: AuditContext,
  input: { id: string; now: Date },
): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const row = await trx
      .updateTable("invitations")
      .set({ revoked_at: input.now })
      .where("id", "=", input.id)
      .where("accepted_at", "is", null)
      .where("revoked_at", "is", null)
      .returning("id")
      .executeTakeFirst();
    if (row) await recordAudit(trx, audit, { action: "invitation.revoke", entityType: "invitation", entityId: row.id });
    return Boolean(row);
  });
}

export type InvitationState = "open" | "accepted" | "revoked" | "expired";

export function invitationState(
  inv: { accepted_at: Date | null; revoked_at: Date | null; expires_at: Date },
  now: Date,
): InvitationState {
  if (inv.accepted_at) return "accepted";
  if (inv.revoked_at) return "revoked";
  return inv.expires_at <= now ? "expired" : "open";
}

export async function listInvitations(db: Executor, options: { page: number; pageSize: number }) {
  const rows = await db
    .selectFrom("invitations as i")
    .innerJoin("users as u", "u.id", "i.invited_by")
    .select([
      "i.id",
      "i.email",
      "i.role",
      "i.created_at",
      "i.expires_at",
      "i.accepted_at",
      "i.revoked_at",
      "i.sent_count",
      "u.name as invited_by_name",
    ])
    .orderBy("i.created_at", "desc")
    .orderBy("i.id")
    .limit(options.pageSize + 1)
    .offset((options.page - 1) * options.pageSize)
    .execute();
  return { rows: rows.slice(0, options.pageSize), hasNext: rows.length > options.pageSize };
}

/** The open invitation behind a link, or null when the link is unknown, used, revoked or expired. */
export async function findOpenInvitation(db: Executor, token: string, now: Date) {
  const row = await db
    .selectFrom("invitations")
    .select(["id", "email", "role", "expires_at"])
    .where("token_hash", "=", hashToken(token))
    .where("accepted_at", "is", null)
    .where("revoked_at", "is", null)
    .where("expires_at", ">", now)
    .executeTakeFirst();
  return row ?? null;
}

export interface AcceptInput {
  name: string;
  organisation: string;
  password: string;
  licenceType?: string;
  licenceNumber?: string;
  licenceState?: string;
  licenceExpiresOn?: string;
  npi?: string;
}

/**
 * Turns an invitation into an account. The invitation is claimed with a conditional update, so
 * two submissions of the same link cannot both succeed: the link works once.
 */
export async function acceptInvitation(
  db: Database,
  input: { token: string; now: Date; ip: string; requestId: string } & AcceptInput,
): Promise<{ userId: string; role: Role } | null> {
  const passwordHash = await hashPassword(input.password);
  return db.transaction().execute(async (trx) => {
    const invitation = await trx
      .updateTable("invitations")
      .set({ accepted_at: input.now })
      .where("token_hash", "=", hashToken(input.token))
      .where("accepted_at", "is", null)
      .where("revoked_at", "is", null)
      .where("expires_at", ">", input.now)
      .returning([
        "id",
        "email",
        "role",
        "patient_id",
        "team_role",
        "invited_by",
        "release_signed_on",
        "release_expires_on",
        "release_scope",
      ])
      .executeTakeFirst();
    if (!invitation) return null;
    const taken = await trx
      .selectFrom("users")
      .select("id")
      .where((eb) => eb(eb.fn("lower", ["email"]), "=", invitation.email.toLowerCase()))
      .executeTakeFirst();
    if (taken) throw new InvitationError("An account with this email already exists: sign in instead.");
    const user = await trx
      .insertInto("users")
      .values({
        email: invitation.email,
        name: input.name,
        role: invitation.role,
        organisation: isOutsideProvider(invitation.role) ? input.organisation : input.organisation || "Ember Health",
        password_hash: passwordHash,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    if (isOutsideProvider(invitation.role)) {
      await trx
        .insertInto("provider_credentials")
        .values({
          user_id: user.id,
          licence_type: input.licenceType!,
          licence_number: input.licenceNumber!,
          licence_state: input.licenceState!,
          licence_expires_on: input.licenceExpiresOn!,
          npi: input.npi!,
        })
        .execute();
    }
    await trx.updateTable("invitations").set({ accepted_user_id: user.id }).where("id", "=", invitation.id).execute();
    if (invitation.patient_id && invitation.team_role && isOutsideProvider(invitation.role)) {
      // Joining the team does not open the patient's record: that still waits for the release of information.
      await trx
        .insertInto("care_team_members")
        .values({
          patient_id: invitation.patient_id,
          user_id: user.id,
          team_role: invitation.team_role,
          added_by: invitation.invited_by,
          started_at: input.now,
        })
        .execute();
      if (invitation.release_signed_on && invitation.release_expires_on && invitation.release_scope?.length) {
        await trx
          .insertInto("releases_of_information")
          .values({
            patient_id: invitation.patient_id,
            provider_id: user.id,
            signed_on: invitation.release_signed_on,
            expires_on: invitation.release_expires_on,
            scope: invitation.release_scope,
            recorded_by: invitation.invited_by,
            recorded_at: input.now,
          })
          .execute();
      }
    }
    await recordAudit(
      trx,
      { actorId: user.id, actorRole: invitation.role, ip: input.ip, requestId: input.requestId },
      {
        action: "invitation.accept",
        entityType: "invitation",
        entityId: invitation.id,
        patientId: invitation.patient_id,
      },
    );
    return { userId: user.id, role: invitation.role };
  });
}

export async function countOpenInvitations(db: Executor, now: Date): Promise<number> {
  const row = await db
    .selectFrom("invitations")
    .select((eb) => eb.fn.countAll<string>().as("n"))
    .where("accepted_at", "is", null)
    .where("revoked_at", "is", null)
    .where("expires_at", ">", now)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
