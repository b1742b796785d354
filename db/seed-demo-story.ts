import type { Transaction } from "kysely";
import { addDays, clinicToday, plusDays, plusHours, zonedToUtc } from "../app/lib/time";
import { DEFAULT_VISIT_SETTINGS, visitTimes } from "../app/modules/infusions/windows";
import type { DB, ReferralStatus } from "./schema";

/** Who the story is about: the demo accounts by role, the patients in seed order, the directory therapists. */
export interface StoryCast {
  now: Date;
  therapist: string;
  psychiatrist: string;
  coordinator: string;
  clinician: string;
  patients: string[];
  directory: string[];
}

/** PHQ-9 answers (nine items, 0–3) and PCL-5 answers (twenty items, 0–4) that add up to a total. */
function answers(count: number, max: number, total: number, itemNine = 0): number[] {
  const items = Array.from({ length: count }, () => 0);
  if (count === 9) items[8] = itemNine;
  let left = total - itemNine;
  for (let i = 0; left > 0; i = (i + 1) % count) {
    if (count === 9 && i === 8) continue;
    if (items[i]! < max) {
      items[i]! += 1;
      left -= 1;
    }
  }
  return items;
}

/**
 * The rest of a working clinic around the demo accounts, so every page has something real to show:
 * a care-note thread signed off with an addendum and an unread question, a note returned with comments, a PHQ-9 and PCL-5 series
 * that shows a response, an open (escalated) safety alert, referrals in each state (an offer waiting,
 * one accepted and waiting for its release, one loop closed), a booster review due, a confirmation
 * expiring within 14 days, and trauma-focused sessions held and planned inside a therapy window.
 */
export async function seedDemoStory(trx: Transaction<DB>, cast: StoryCast) {
  const { now, therapist, psychiatrist, coordinator, clinician, patients, directory } = cast;
  const today = clinicToday(now);
  const daysAgo = (n: number) => plusDays(now, -n);
  const [lindqvist, baptiste, nakamura, , feldstein, albescu, delacroix, szabo] = patients as [
    string,
    string,
    string,
    string,
    string,
    string,
    string,
    string,
  ];

  // Baptiste's thread: a progress update signed off, then corrected by an addendum; an unread question.
  const [update] = await trx
    .insertInto("care_notes")
    .values([
      {
        patient_id: baptiste,
        author_id: therapist,
        author_role: "therapist",
        author_organisation: "Hudson Trauma Therapy (demo)",
        kind: "progress_update",
        body: "CPT session 6 of 12 held. Patient completed the impact statement and reports fewer intrusive memories since the last infusion. Sleep improving; no safety concerns.",
        review_requested: true,
        created_at: daysAgo(9),
      },
      {
        patient_id: baptiste,
        author_id: coordinator,
        author_role: "coordinator",
        author_organisation: "Ember Health",
        kind: "question",
        body: "The patient asked to move next week's visit to an afternoon. Does Thursday 2 PM still leave room for your CPT session inside the window?",
        review_requested: false,
        created_at: daysAgo(1),
      },
    ])
    .returning("id")
    .execute();
  await trx
    .insertInto("note_sign_offs")
    .values({
      note_id: update!.id,
      psychiatrist_id: psychiatrist,
      comment: "Agree with the plan; keep the weekly cadence through the course.",
      signed_at: daysAgo(8),
    })
    .execute();
  await trx
    .insertInto("note_addenda")
    .values({
      note_id: update!.id,
      author_id: therapist,
      body: "Correction: session 6 was held by telehealth, not in person.",
      created_at: daysAgo(7),
    })
    .execute();
  await trx
    .insertInto("note_reads")
    .values({ user_id: therapist, note_id: update!.id, read_at: daysAgo(9) })
    .execute();

  /** A course whose visits, `agos` days ago at 11:00 New York time, were all held. */
  async function heldCourse(patientId: string, locationId: string, agos: number[]) {
    const course = await trx
      .insertInto("infusion_courses")
      .values({
        patient_id: patientId,
        location_id: locationId,
        clinician_id: clinician,
        created_by: clinician,
        created_at: daysAgo(agos[0]! + 5),
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    await trx
      .insertInto("infusion_visits")
      .values(
        agos.map((ago) => {
          const t = visitTimes(zonedToUtc(`${addDays(today, -ago)}T11:00`)!, DEFAULT_VISIT_SETTINGS);
          return {
            course_id: course.id,
            patient_id: patientId,
            location_id: locationId,
            clinician_id: clinician,
            kind: "course" as const,
            status: "held" as const,
            starts_at: t.startsAt,
            ends_at: t.endsAt,
            infusion_minutes: DEFAULT_VISIT_SETTINGS.infusionMinutes,
            window_closes_at: t.windowClosesAt,
            updated_at: t.endsAt,
          };
        }),
      )
      .execute();
    return course;
  }

  // Lindqvist's WET session summary came back from the psychiatrist with a question to answer.
  const returned = await trx
    .insertInto("care_notes")
    .values({
      patient_id: lindqvist,
      author_id: therapist,
      author_role: "therapist",
      author_organisation: "Hudson Trauma Therapy (demo)",
      kind: "session_summary",
      body: "WET session 1 of 5 held in person. Patient wrote about the index trauma for 30 minutes and tolerated it well; dissociation was low throughout.",
      review_requested: true,
      created_at: daysAgo(5),
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  await trx
    .insertInto("note_returns")
    .values({
      note_id: returned.id,
      psychiatrist_id: psychiatrist,
      comments:
        "Please add the distress ratings before and after the writing, so the team can follow them across the course.",
      returned_at: daysAgo(4),
    })
    .execute();

  // Baptiste's six-visit course ran five weeks ago; the scores since fall by more than half from the
  // baseline taken before it: a response on both instruments.
  await heldCourse(baptiste, "brooklyn-heights", [36, 34, 32, 30, 28, 26]);
  const series: ["PHQ9" | "PCL5", number, number][] = [
    ["PHQ9", 42, 19],
    ["PCL5", 42, 56],
    ["PHQ9", 26, 13],
    ["PCL5", 26, 41],
    ["PHQ9", 12, 8],
    ["PCL5", 12, 27],
  ];
  await trx
    .insertInto("measures")
    .values(
      series.map(([instrument, ago, total]) => ({
        patient_id: baptiste,
        instrument,
        taken_on: addDays(today, -ago),
        items: instrument === "PHQ9" ? answers(9, 3, total) : answers(20, 4, total),
        total,
        recorded_by: clinician,
        recorded_at: daysAgo(ago),
      })),
    )
    .execute();

  // Nakamura answered item 9 above 0 two days ago; nobody has acknowledged it, so it was escalated.
  const signal = await trx
    .insertInto("measures")
    .values({
      patient_id: nakamura,
      instrument: "PHQ9",
      taken_on: addDays(today, -2),
      items: answers(9, 3, 16, 1),
      total: 16,
      recorded_by: clinician,
      recorded_at: daysAgo(2),
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  const alert = await trx
    .insertInto("safety_alerts")
    .values({
      patient_id: nakamura,
      measure_id: signal.id,
      raised_at: daysAgo(2),
      escalated_at: plusHours(daysAgo(2), 1),
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  await trx
    .insertInto("safety_alert_measures")
    .values({ alert_id: alert.id, measure_id: signal.id, joined_at: daysAgo(2) })
    .execute();

  // Referrals: Albescu's offer waits for the demo therapist's answer; they accepted Delacroix's and
  // wait for the release; Szabo's loop is closed with an engaged directory therapist.
  const referral = (
    patientId: string,
    status: "offered" | "accepted" | "closed",
    acceptedBy: string | null,
    ago: number,
    insurance: string,
  ) =>
    trx
      .insertInto("referrals")
      .values({
        patient_id: patientId,
        modality: "any",
        setting: "either",
        borough: "Manhattan",
        insurance,
        language: "English",
        urgency: "soon",
        needs_window: true,
        status,
        accepted_provider_id: acceptedBy,
        created_by: coordinator,
        created_at: daysAgo(ago),
        status_changed_at: daysAgo(ago - 1),
      })
      .returning("id")
      .executeTakeFirstOrThrow();
  const offered = await referral(albescu, "offered", null, 1, "Cigna");
  const accepted = await referral(delacroix, "accepted", therapist, 4, "VA Community Care");
  const closed = await referral(szabo, "closed", directory[2]!, 30, "Medicaid");
  await trx
    .insertInto("referral_offers")
    .values([
      {
        referral_id: offered.id,
        provider_id: therapist,
        offered_by: coordinator,
        offered_at: daysAgo(1),
        expires_at: plusHours(daysAgo(1), 72),
      },
      {
        referral_id: accepted.id,
        provider_id: therapist,
        offered_by: coordinator,
        offered_at: daysAgo(4),
        expires_at: plusHours(daysAgo(4), 72),
        status: "accepted",
        responded_at: daysAgo(3),
      },
      {
        referral_id: closed.id,
        provider_id: directory[2]!,
        offered_by: coordinator,
        offered_at: daysAgo(30),
        expires_at: plusHours(daysAgo(30), 72),
        status: "accepted",
        responded_at: daysAgo(29),
      },
    ])
    .execute();
  // Each referral's history, a step at a time: opened, offered, then answered and followed up.
  const history = (referralId: string, path: ReferralStatus[], ago: number, provider: string | null) =>
    path.map((to, i) => ({
      referral_id: referralId,
      from_status: i === 0 ? null : path[i - 1]!,
      to_status: to,
      actor_id: to === "accepted" || to === "engaged" ? provider : coordinator,
      at: plusHours(daysAgo(ago), i * 20),
    }));
  await trx
    .insertInto("referral_events")
    .values([
      ...history(offered.id, ["open", "offered"], 1, null),
      ...history(accepted.id, ["open", "offered", "accepted"], 4, therapist),
      ...history(closed.id, ["open", "offered", "accepted", "engaged", "closed"], 30, directory[2]!),
    ])
    .execute();
  // The accepting therapist joins the care team at once; the release is the coordinator's next step.
  await trx
    .insertInto("care_team_members")
    .values([
      { patient_id: delacroix, user_id: therapist, team_role: "primary_therapist", added_by: coordinator },
      { patient_id: szabo, user_id: directory[2]!, team_role: "primary_therapist", added_by: coordinator },
    ])
    .execute();
  await trx
    .insertInto("releases_of_information")
    .values({
      patient_id: szabo,
      provider_id: directory[2]!,
      signed_on: addDays(today, -28),
      expires_on: addDays(today, 337),
      scope: ["care_coordination", "infusion_schedule", "care_notes", "symptom_measures"],
      recorded_by: coordinator,
    })
    .execute();
  await trx
    .insertInto("engagement_confirmations")
    .values({
      patient_id: szabo,
      provider_id: directory[2]!,
      treatment_started_on: addDays(today, -25),
      last_session_on: addDays(today, -4),
      cadence: "weekly",
      ptsd_confirmed: true,
      depression: "mdd",
      trauma_therapy: "PE",
      sessions_held: 3,
      agrees_to_coordinate: true,
      signature_name: "Directory therapist (demo)",
      signature_licence: "LCSW (NY)",
      confirmed_at: daysAgo(24),
      expires_at: plusDays(now, 66),
    })
    .execute();

  // Feldstein finished a five-visit course 24 days ago: the booster review is due now.
  const course = await heldCourse(feldstein, "williamsburg", [35, 33, 30, 27, 24]);
  await trx
    .insertInto("booster_reviews")
    .values({
      patient_id: feldstein,
      course_id: course.id,
      reason: "course_completed",
      due_from: addDays(today, -3),
      due_to: addDays(today, 4),
      created_at: daysAgo(24),
    })
    .execute();

  // Baptiste's engagement confirmation runs out in ten days: the coordinator's "expiring" list.
  await trx
    .updateTable("engagement_confirmations")
    .set({ expires_at: plusDays(now, 10) })
    .where("patient_id", "=", baptiste)
    .where("provider_id", "=", therapist)
    .execute();

  // Lindqvist's WET: session 1 held last week, session 2 planned the day after the first course visit.
  const firstVisit = await trx
    .selectFrom("infusion_visits")
    .select(["id", "ends_at"])
    .where("patient_id", "=", lindqvist)
    .where("status", "=", "scheduled")
    .where("starts_at", ">", now)
    .orderBy("starts_at")
    .executeTakeFirstOrThrow();
  await trx
    .insertInto("therapy_sessions")
    .values([
      {
        patient_id: lindqvist,
        provider_id: therapist,
        visit_id: null,
        starts_at: daysAgo(6),
        modality: "WET",
        protocol_number: 1,
        protocol_total: 5,
        mode: "in_person",
        status: "held",
        created_at: daysAgo(13),
        updated_at: daysAgo(6),
      },
      {
        patient_id: lindqvist,
        provider_id: therapist,
        visit_id: firstVisit.id,
        starts_at: plusHours(new Date(firstVisit.ends_at), 24),
        modality: "WET",
        protocol_number: 2,
        protocol_total: 5,
        mode: "telehealth",
        created_at: daysAgo(1),
        updated_at: daysAgo(1),
      },
    ])
    .execute();
}
