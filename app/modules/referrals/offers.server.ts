import { sql } from "kysely";
import { onCareTeam, releaseCurrent } from "~/modules/patients/policy.server";
import type { Actor } from "~/auth/actor";
import { queueEmail } from "~/email/outbox.server";
import { clinicToday, plusHours } from "~/lib/time";
import type { Database, DatabaseTransaction, Executor } from "../../../db/engine";
import type { ReferralStatus } from "../../../db/schema";
import { recordAudit, type AuditContext } from "~/audit/audit.server";
import { OUTSIDE_PROVIDER_ROLES } from "~/lib/roles";
import { lockReferral, ReferralError, transition } from "./referrals.server";

/**
 * Offers the referral to a provider, who gets a notice without patient data. One open offer at a
 * time unless the coordinator chooses to offer to several.
 */
export async function offerReferral(
  db: Database,
  actor: Actor,
  audit: AuditContext,
  input: { referralId: string; providerId: string; allowSeveral: boolean; now: Date; appUrl: string },
) {
  return db.transaction().execute(async (trx) => {
    const referral = await lockReferral(trx, input.referralId);
    if (referral.status !== "open" && referral.status !== "offered")
      throw new ReferralError(`This referral is ${referral.status}: it can no longer be offered.`);
    const open = await trx
      .selectFrom("referral_offers")
      .select("id")
      .where("referral_id", "=", referral.id)
      .where("status", "=", "open")
      .execute();
    if (open.length && !input.allowSeveral)
      throw new ReferralError(
        "An offer is already open. Wait for its answer, or choose to offer to several providers at once.",
      );
    const already = await trx
      .selectFrom("referral_offers")
      .select("id")
      .where("referral_id", "=", referral.id)
      .where("provider_id", "=", input.providerId)
      .executeTakeFirst();
    if (already) throw new ReferralError("This provider was already offered this referral.");
    const provider = await trx
      .selectFrom("users")
      .select(["id", "email"])
      .where("id", "=", input.providerId)
      .where("role", "in", OUTSIDE_PROVIDER_ROLES)
      .where("status", "=", "active")
      .executeTakeFirst();
    if (!provider) throw new ReferralError("Choose an active outside provider.", 400);
    const { offer_expiry_hours } = await trx
      .selectFrom("clinic_settings")
      .select("offer_expiry_hours")
      .executeTakeFirstOrThrow();
    const offer = await trx
      .insertInto("referral_offers")
      .values({
        referral_id: referral.id,
        provider_id: provider.id,
        offered_by: actor.id,
        offered_at: input.now,
        expires_at: plusHours(input.now, offer_expiry_hours),
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    if (referral.status === "open") await transition(trx, referral, "offered", actor.id, input.now);
    await queueEmail(trx, {
      template: "referral-offer",
      to: provider.email,
      props: { offersUrl: `${input.appUrl}/offers`, expiresIn: `${offer_expiry_hours} hours` },
    });
    await recordAudit(trx, audit, {
      action: "referral.offer",
      entityType: "referral_offer",
      entityId: offer.id,
      patientId: referral.patient_id,
      detail: { providerId: provider.id },
    });
    return offer.id;
  });
}

/**
 * The provider's answer. Accepting adds them to the care team (they see the patient once the
 * release of information is recorded), withdraws other open offers and tells the coordinator who
 * made the referral, with a link to it only; declining returns the referral to open when no other
 * offer is open.
 */
export async function respondToOffer(
  db: Database,
  actor: Actor,
  audit: AuditContext,
  input: { offerId: string; accept: boolean; reason?: string; now: Date; appUrl: string },
) {
  return db.transaction().execute(async (trx) => {
    const offer = await trx
      .updateTable("referral_offers")
      .set({
        status: input.accept ? "accepted" : "declined",
        responded_at: input.now,
        decline_reason: input.accept ? null : (input.reason ?? null),
      })
      .where("id", "=", input.offerId)
      .where("provider_id", "=", actor.id)
      .where("status", "=", "open")
      .where("expires_at", ">", input.now)
      .returning(["id", "referral_id"])
      .executeTakeFirst();
    if (!offer) throw new ReferralError("This offer is no longer open: it was answered, withdrawn or it expired.", 404);
    const referral = await lockReferral(trx, offer.referral_id);
    if (input.accept) {
      await trx
        .updateTable("referral_offers")
        .set({ status: "withdrawn", responded_at: input.now })
        .where("referral_id", "=", referral.id)
        .where("status", "=", "open")
        .execute();
      await transition(trx, referral, "accepted", actor.id, input.now, undefined, { accepted_provider_id: actor.id });
      const { onTeam } = await trx
        .selectNoFrom(onCareTeam(referral.patient_id, actor.id).as("onTeam"))
        .executeTakeFirstOrThrow();
      if (!onTeam) {
        await trx
          .insertInto("care_team_members")
          .values({
            patient_id: referral.patient_id,
            user_id: actor.id,
            team_role: actor.role === "psychiatrist" ? "psychiatrist" : "primary_therapist",
            added_by: referral.created_by,
            started_at: input.now,
          })
          .execute();
      }
      await tellCoordinator(trx, referral, "offer-accepted", input.appUrl);
    } else {
      await reopenWithoutOpenOffers(trx, referral, actor.id, input.now, `declined: ${input.reason ?? ""}`.trim());
    }
    await recordAudit(trx, audit, {
      action: input.accept ? "referral.accept" : "referral.decline",
      entityType: "referral_offer",
      entityId: offer.id,
      patientId: referral.patient_id,
    });
    return { referralId: referral.id, patientId: referral.patient_id };
  });
}

/** An offered referral whose last open offer was declined or expired is open again, with why. */
async function reopenWithoutOpenOffers(
  trx: DatabaseTransaction,
  referral: { id: string; status: ReferralStatus },
  actorId: string | null,
  now: Date,
  note: string,
) {
  const stillOpen = await trx
    .selectFrom("referral_offers")
    .select("id")
    .where("referral_id", "=", referral.id)
    .where("status", "=", "open")
    .executeTakeFirst();
  if (!stillOpen && referral.status === "offered") await transition(trx, referral, "open", actorId, now, note);
}

/** A notice to the coordinator who made the referral (while their account is active), a link to it only. */
async function tellCoordinator(
  trx: DatabaseTransaction,
  referral: { id: string; created_by: string },
  template: "offer-accepted" | "offer-expired",
  appUrl: string,
) {
  const coordinator = await trx
    .selectFrom("users")
    .select("email")
    .where("id", "=", referral.created_by)
    .where("status", "=", "active")
    .executeTakeFirst();
  if (coordinator)
    await queueEmail(trx, {
      template,
      to: coordinator.email,
      props: { referralUrl: `${appUrl}/referrals/${referral.id}` },
    });
}

/** Offers unanswered past their expiry: expired, the referral reopened when none is left open, and its coordinator told. */
export async function expireOffers(db: Database, options: { now: Date; appUrl: string }): Promise<number> {
  const due = await db
    .selectFrom("referral_offers")
    .select(["id"])
    .where("status", "=", "open")
    .where("expires_at", "<=", options.now)
    .limit(500)
    .execute();
  let expired = 0;
  for (const { id } of due) {
    await db.transaction().execute(async (trx) => {
      const offer = await trx
        .updateTable("referral_offers")
        .set({ status: "expired" })
        .where("id", "=", id)
        .where("status", "=", "open")
        .returning(["referral_id", "provider_id"])
        .executeTakeFirst();
      if (!offer) return;
      const referral = await lockReferral(trx, offer.referral_id);
      await reopenWithoutOpenOffers(trx, referral, null, options.now, "offer expired");
      await tellCoordinator(trx, referral, "offer-expired", options.appUrl);
      await recordAudit(
        trx,
        { actorId: null, actorRole: "system", ip: null, requestId: null },
        {
          action: "referral.offer_expired",
          entityType: "referral_offer",
          entityId: id,
          patientId: referral.patient_id,
        },
      );
      expired++;
    });
  }
  return expired;
}

/**
 * Offers made to this provider. Before acceptance an offer shows only what a therapist needs to
 * decide: modality, setting, borough, coverage, language, urgency and the window timing. The
 * patient's name, diagnoses, risk flags and date of birth are never selected for an open,
 * declined, expired or withdrawn offer; the name (and the patient's id, for the link) comes only
 * with an accepted one, and whether the patient's record is open to them yet (a current release).
 */
export async function offersForProvider(db: Executor, actor: Actor, now: Date) {
  const rows = await db
    .selectFrom("referral_offers as o")
    .innerJoin("referrals as r", "r.id", "o.referral_id")
    .leftJoin("patients as p", (join) => join.onRef("p.id", "=", "r.patient_id").on("o.status", "=", "accepted"))
    .select([
      "o.id",
      "o.status",
      "o.offered_at",
      "o.expires_at",
      "o.responded_at",
      "r.modality",
      "r.setting",
      "r.borough",
      "r.insurance",
      "r.language",
      "r.urgency",
      "r.needs_window",
      "p.id as patient_id",
      sql<string | null>`p.last_name || ', ' || p.first_name`.as("patient_name"),
      releaseCurrent(sql.ref<string>("p.id"), actor.id, clinicToday(now)).as("access_open"),
    ])
    .where("o.provider_id", "=", actor.id)
    .orderBy("o.offered_at", "desc")
    .limit(100)
    .execute();
  return rows.map((r) => ({
    id: r.id,
    status: r.status === "open" && r.expires_at <= now ? ("expired" as const) : r.status,
    offered_at: r.offered_at,
    expires_at: r.expires_at,
    responded_at: r.responded_at,
    summary: {
      modality: r.modality,
      setting: r.setting,
      borough: r.borough,
      insurance: r.insurance,
      language: r.language,
      urgency: r.urgency,
      needsWindow: r.needs_window,
    },
    patient:
      r.patient_id && r.patient_name
        ? { id: r.patient_id, name: r.patient_name, accessOpen: Boolean(r.access_open) }
        : null,
  }));
}
