import { clinicToday, wallTime } from "~/lib/time";
import type { Executor } from "../../../db/engine";
import { shortlistCandidates } from "./candidates.server";
import { rankCandidates, type ReferralNeeds } from "./matching";
import type { Referral } from "./referrals.server";

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
