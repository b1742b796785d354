import { sql } from "kysely";
import { onCareTeam } from "~/modules/patients/policy.server";
import type { ReferralStatus } from "../../../db/schema";
import type { Actor } from "~/auth/actor";
import { queueEmail } from "~/email/outbox.server";
import { clinicToday, wallTime, elapsedDays, plusHours } from "~/lib/time";
import type { Database, DatabaseTransaction, Executor } from "../../../db/engine";
import { recordAudit, type AuditContext } from "~/audit/audit.server";
import { shortlistCandidates } from "./candidates.server";
import { rankCandidates, type ReferralNeeds } from "./matching";
import { OUTSIDE_PROVIDER_ROLES } from "~/lib/roles";
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

type Referral = Awaited<ReturnType<typeof referralRow>>;

async function referralRow(db: Executor, referralId: string) {
  return db.selectFrom("referrals").selectAll().where("id", "=", referralId).executeTakeFirst();
}

/** Every transition is a row: who moved the referral from what to what, and when. */
async function transition(
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

const WEEKDAYS = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"];

/** The weekdays of the therapy window after the patient's first planned infusion, if one is scheduled. */
async function windowDays(db: Executor, patientId: string, now: Date): Promise<string[] | null> {
  const visit = await db
    .selectFrom("infusion_visits")
    .select(["ends_at", "window_closes_at"])
    .where("patient_id", "=", patientId)
    .where("status", "=", "scheduled")
    .where("starts_at", ">", now)
    .orderBy("starts_at")
    .executeTakeFirst();
  if (!visit) return null;
  const days = new Set<string>();
  for (let t = visit.ends_at.getTime(); t < visit.window_closes_at.getTime(); t += 6 * 3_600_000) {
    days.add(WEEKDAYS[new Date(`${wallTime(new Date(t)).date}T12:00:00Z`).getUTCDay()]!);
  }
  return [...days];
}

/**
 * Ranks the providers who pass the hard filters for this referral. The database scores them all
 * and returns the best `limit` (with ties at the cut); `rankCandidates` then orders those and
 * writes the reasons shown.
 */
export async function matchReferral(db: Executor, referral: NonNullable<Referral>, now: Date, limit = 25) {
  const today = clinicToday(now);
  const needs: ReferralNeeds = {
    modality: referral.modality,
    setting: referral.setting,
    borough: referral.borough,
    insurance: referral.insurance,
    language: referral.language,
    windowDays: referral.needs_window ? await windowDays(db, referral.patient_id, now) : null,
  };
  const { considered, shortlist } = await shortlistCandidates(db, referral, needs, today, limit);
  const ranked = rankCandidates(
    shortlist.map((s) => s.candidate),
    needs,
    today,
  ).slice(0, limit);
  return { needs, ranked, considered };
}

export async function getReferral(db: Executor, referralId: string) {
  return referralRow(db, referralId);
}

export async function referralHistory(db: Executor, referralId: string) {
  const [events, offers] = await Promise.all([
    db
      .selectFrom("referral_events as e")
      .leftJoin("users as u", "u.id", "e.actor_id")
      .select(["e.id", "e.from_status", "e.to_status", "e.note", "e.at", "u.name as actor_name"])
      .where("e.referral_id", "=", referralId)
      .orderBy("e.at")
      .orderBy("e.id")
      .execute(),
    db
      .selectFrom("referral_offers as o")
      .innerJoin("users as u", "u.id", "o.provider_id")
      .select([
        "o.id",
        "o.provider_id",
        "o.status",
        "o.offered_at",
        "o.expires_at",
        "o.responded_at",
        "o.decline_reason",
        "u.name as provider_name",
      ])
      .where("o.referral_id", "=", referralId)
      .orderBy("o.offered_at")
      .execute(),
  ]);
  return { events, offers };
}

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
    const referral = await trx
      .selectFrom("referrals")
      .selectAll()
      .where("id", "=", input.referralId)
      .forUpdate()
      .executeTakeFirst();
    if (!referral) throw new ReferralError("Referral not found.", 404);
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
 * release of information is recorded) and withdraws other open offers; declining returns the
 * referral to open when no other offer is open.
 */
export async function respondToOffer(
  db: Database,
  actor: Actor,
  audit: AuditContext,
  input: { offerId: string; accept: boolean; reason?: string; now: Date },
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
    const referral = await trx
      .selectFrom("referrals")
      .selectAll()
      .where("id", "=", offer.referral_id)
      .forUpdate()
      .executeTakeFirstOrThrow();
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
    } else {
      const stillOpen = await trx
        .selectFrom("referral_offers")
        .select("id")
        .where("referral_id", "=", referral.id)
        .where("status", "=", "open")
        .executeTakeFirst();
      if (!stillOpen && referral.status === "offered")
        await transition(trx, referral, "open", actor.id, input.now, `declined: ${input.reason ?? ""}`.trim());
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

/** When the accepted provider confirms engagement, the loop reaches "engaged". Called inside that transaction. */
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
    const referral = await trx
      .selectFrom("referrals")
      .selectAll()
      .where("id", "=", input.referralId)
      .forUpdate()
      .executeTakeFirst();
    if (!referral) throw new ReferralError("Referral not found.", 404);
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
    const referral = await trx
      .selectFrom("referrals")
      .selectAll()
      .where("id", "=", input.referralId)
      .forUpdate()
      .executeTakeFirst();
    if (!referral) throw new ReferralError("Referral not found.", 404);
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
      const referral = await trx
        .selectFrom("referrals")
        .selectAll()
        .where("id", "=", offer.referral_id)
        .forUpdate()
        .executeTakeFirstOrThrow();
      const stillOpen = await trx
        .selectFrom("referral_offers")
        .select("id")
        .where("referral_id", "=", referral.id)
        .where("status", "=", "open")
        .executeTakeFirst();
      if (!stillOpen && referral.status === "offered")
        await transition(trx, referral, "open", null, options.now, "offer expired");
      const coordinator = await trx
        .selectFrom("users")
        .select("email")
        .where("id", "=", referral.created_by)
        .where("status", "=", "active")
        .executeTakeFirst();
      if (coordinator)
        await queueEmail(trx, {
          template: "offer-expired",
          to: coordinator.email,
          props: { referralUrl: `${options.appUrl}/referrals/${referral.id}` },
        });
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
 * with an accepted one.
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
    patient: r.patient_id && r.patient_name ? { id: r.patient_id, name: r.patient_name } : null,
  }));
}

const STATES: ReferralStatus[] = ["open", "offered", "accepted", "engaged", "closed", "cancelled"];

/** Counts per state, time in the current state, and the referrals waiting longest. */
export async function referralPipeline(db: Executor, now: Date) {
  const [counts, waiting] = await Promise.all([
    db
      .selectFrom("referrals")
      .select(["status", (eb) => eb.fn.countAll<string>().as("n"), (eb) => eb.fn.min("status_changed_at").as("oldest")])
      .groupBy("status")
      .execute(),
    db
      .selectFrom("referrals as r")
      .innerJoin("patients as p", "p.id", "r.patient_id")
      .select([
        "r.id",
        "r.status",
        "r.status_changed_at",
        "r.created_at",
        "r.modality",
        "r.urgency",
        "p.first_name",
        "p.last_name",
        "p.record_number",
      ])
      .where("r.status", "in", ["open", "offered", "accepted", "engaged"])
      .orderBy("r.status_changed_at")
      .limit(50)
      .execute(),
  ]);
  const byState = new Map(counts.map((c) => [c.status, c]));
  return {
    states: STATES.map((s) => ({
      status: s,
      count: Number(byState.get(s)?.n ?? 0),
      longestDays: byState.get(s)?.oldest
        ? Math.floor(elapsedDays(new Date(byState.get(s)!.oldest as unknown as string), now))
        : null,
    })),
    waiting: waiting.map((w) => ({
      ...w,
      daysInState: Math.floor(elapsedDays(w.status_changed_at, now)),
    })),
  };
}

export async function referralsForExport(db: Executor) {
  return db
    .selectFrom("referrals as r")
    .innerJoin("patients as p", "p.id", "r.patient_id")
    .leftJoin("users as u", "u.id", "r.accepted_provider_id")
    .select([
      "r.id",
      "p.record_number",
      "r.status",
      "r.modality",
      "r.setting",
      "r.borough",
      "r.insurance",
      "r.language",
      "r.urgency",
      "r.created_at",
      "r.status_changed_at",
      "u.name as provider_name",
    ])
    .orderBy("r.created_at")
    .limit(50_000)
    .execute();
}

export async function patientReferrals(db: Executor, patientId: string) {
  return db
    .selectFrom("referrals")
    .select(["id", "status", "modality", "setting", "urgency", "created_at", "status_changed_at"])
    .where("patient_id", "=", patientId)
    .orderBy("created_at", "desc")
    .execute();
}
