import type { ReferralStatus } from "../../../db/schema";
import { elapsedDays } from "~/lib/time";
import type { Executor } from "../../../db/engine";

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
