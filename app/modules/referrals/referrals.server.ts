import type { ReferralStatus } from "../../../db/schema";
import type { Actor } from "~/auth/actor";
import type { Database, DatabaseTransaction, Executor } from "../../../db/engine";
import { recordAudit, type AuditContext } from "~/audit/audit.server";
import type { z } from "zod";
import type { referralSchema } from "./schema";

export class ReferralError extends Error {
  constructor(
    message: string,
    public readonly status = 409,
  ) {
    super(message);
  }
}

export type Referral = Awaited<ReturnType<typeof referralRow>>;

async function referralRow(db: Executor, referralId: string) {
  return db.selectFrom("referrals").selectAll().where("id", "=", referralId).executeTakeFirst();
}

export async function getReferral(db: Executor, referralId: string) {
  return referralRow(db, referralId);
}

/** Every transition is a row: who moved the referral from what to what, and when. */
export async function transition(
  trx: DatabaseTransaction,
  referral: { id: string; status: ReferralStatus },
  to: ReferralStatus,
  actorId: string | null,
  now: Date,
  note?: string,
  extra: Partial<{ accepted_provider_id: string | null; cancel_reason: string }> = {},
) {
  await trx
    .updateTable("referrals")
    .set({ status: to, status_changed_at: now, ...extra })
    .where("id", "=", referral.id)
    .execute();
  await trx
    .insertInto("referral_events")
    .values({
      referral_id: referral.id,
      from_status: referral.status,
      to_status: to,
      actor_id: actorId,
      note: note ?? null,
      at: now,
    })
    .execute();
}

/** A coordinator's referral form, read: the patient it is for, and "needs a window" as a yes or no. */
export type ReferralInput = Omit<z.output<typeof referralSchema>, "needsWindow"> & {
  patientId: string;
  needsWindow: boolean;
};

export async function openReferral(
  db: Database,
  actor: Actor,
  audit: AuditContext,
  input: ReferralInput & { now: Date },
): Promise<string> {
  return db.transaction().execute(async (trx) => {
    const row = await trx
      .insertInto("referrals")
      .values({
        patient_id: input.patientId,
        modality: input.modality,
        setting: input.setting,
        borough: input.borough,
        insurance: input.insurance,
        language: input.language,
        urgency: input.urgency,
        needs_window: input.needsWindow,
        created_by: actor.id,
        created_at: input.now,
        status_changed_at: input.now,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    await trx
      .insertInto("referral_events")
      .values({ referral_id: row.id, from_status: null, to_status: "open", actor_id: actor.id, at: input.now })
      .execute();
    await recordAudit(trx, audit, {
      action: "referral.open",
      entityType: "referral",
      entityId: row.id,
      patientId: input.patientId,
    });
    return row.id;
  });
}

/** When the accepted provider confirms engagement, the loop reaches "engaged". Called inside that transaction. */
/** Reads the referral and holds it for the rest of the transaction, so two changes to it run one after the other. */
export async function lockReferral(trx: DatabaseTransaction, referralId: string) {
  const referral = await trx
    .selectFrom("referrals")
    .selectAll()
    .where("id", "=", referralId)
    .forUpdate()
    .executeTakeFirst();
  if (!referral) throw new ReferralError("Referral not found.", 404);
  return referral;
}

export async function markReferralsEngaged(
  trx: DatabaseTransaction,
  input: { patientId: string; providerId: string; now: Date },
) {
  const referrals = await trx
    .selectFrom("referrals")
    .select(["id", "status"])
    .where("patient_id", "=", input.patientId)
    .where("accepted_provider_id", "=", input.providerId)
    .where("status", "=", "accepted")
    .execute();
  for (const r of referrals) await transition(trx, r, "engaged", input.providerId, input.now);
  return referrals.length;
}

export async function closeReferral(
  db: Database,
  actor: Actor,
  audit: AuditContext,
  input: { referralId: string; now: Date },
) {
  return db.transaction().execute(async (trx) => {
    const referral = await lockReferral(trx, input.referralId);
    if (referral.status !== "engaged")
      throw new ReferralError("A referral is closed once the provider has confirmed engagement.");
    await transition(trx, referral, "closed", actor.id, input.now);
    await recordAudit(trx, audit, {
      action: "referral.close",
      entityType: "referral",
      entityId: referral.id,
      patientId: referral.patient_id,
    });
  });
}

export async function cancelReferral(
  db: Database,
  actor: Actor,
  audit: AuditContext,
  input: { referralId: string; reason: string; now: Date },
) {
  return db.transaction().execute(async (trx) => {
    const referral = await lockReferral(trx, input.referralId);
    if (referral.status === "closed" || referral.status === "cancelled")
      throw new ReferralError(`This referral is already ${referral.status}.`);
    await trx
      .updateTable("referral_offers")
      .set({ status: "withdrawn", responded_at: input.now })
      .where("referral_id", "=", referral.id)
      .where("status", "=", "open")
      .execute();
    await transition(trx, referral, "cancelled", actor.id, input.now, input.reason, { cancel_reason: input.reason });
    await recordAudit(trx, audit, {
      action: "referral.cancel",
      entityType: "referral",
      entityId: referral.id,
      patientId: referral.patient_id,
    });
  });
}
