import { sql, type RawBuilder } from "kysely";
import type { Executor } from "../../../db/engine";
import { onCareTeam } from "~/modules/patients/policy.server";
import { REPLY_HOURS, WEIGHTS, wantedModalities, type Candidate, type ReferralNeeds } from "./matching";
import { OUTSIDE_PROVIDER_ROLES } from "~/lib/roles";
import { TRAUMA_MODALITIES } from "~/lib/therapies";

/** A provider who passes the hard filters, with the score the database gave them. */
export interface Shortlisted {
  candidate: Candidate;
  score: number;
}

/** Weights are our own constants: written into the SQL rather than bound, so every branch is an integer. */
const points = (n: number) => sql.lit(n);

/** Math.round for the non-negative values scored here (float8 `round` would round half to even). */
const roundHalfUp = (x: RawBuilder<number>) => sql<number>`floor(${x} + 0.5)`;

/**
 * The score of `rankCandidates`, factor by factor, over the columns of a candidate row `c`. The
 * arithmetic is float8 in the same order as the JS, so both round the same way.
 */
function scoreSql(needs: ReferralNeeds): RawBuilder<number> {
  const wanted = sql`${wantedModalities(needs)}::text[]`;
  const modality = sql`case
    when c.certified_modalities && ${wanted} then ${points(WEIGHTS.certified)}
    when c.modalities && ${wanted} then ${points(WEIGHTS.trained)}
    when c.modalities && ${TRAUMA_MODALITIES}::text[] then ${points(WEIGHTS.otherTraumaModality)}
    else 0 end`;

  const sameBorough = needs.borough === null ? sql`false` : sql`${needs.borough} = any(c.boroughs)`;
  const place =
    needs.setting === "telehealth"
      ? sql`case when c.telehealth then ${points(WEIGHTS.place)} else 0 end`
      : needs.setting === "in_person"
        ? sql`case when ${sameBorough} then ${points(WEIGHTS.place)} else 0 end`
        : sql`case when ${sameBorough} then ${points(WEIGHTS.place)} when c.telehealth then ${points(WEIGHTS.telehealthInstead)} else 0 end`;

  // Languages come from a fixed ASCII list, where SQL lower() and JS toLowerCase() agree.
  const language = sql`case when exists (select from unnest(c.languages) as l(name) where lower(l.name) = ${needs.language.toLowerCase()}) then ${points(WEIGHTS.language)} else 0 end`;

  const window =
    needs.windowDays === null
      ? points(WEIGHTS.noWindow)
      : sql`case when c.available_days && ${needs.windowDays}::text[] then ${points(WEIGHTS.window)} else 0 end`;

  const freeShare = sql<number>`(greatest(0, c.open_slots_per_week - c.active_patients)::float8 / c.open_slots_per_week) * ${points(WEIGHTS.load)}`;
  const load = sql`case when c.open_slots_per_week > 0 then ${roundHalfUp(freeShare)} else 0 end`;

  const acceptance = sql<number>`(c.offers_accepted::float8 / c.offers_answered) * ${points(WEIGHTS.acceptance)}`;
  const speed = sql`case
    when c.median_response_hours <= ${points(REPLY_HOURS.fast)} then ${points(WEIGHTS.replyWithinADay)}
    when c.median_response_hours <= ${points(REPLY_HOURS.slow)} then ${points(WEIGHTS.replyWithinThreeDays)}
    else 0 end`;
  const responsiveness = sql`case when c.offers_answered = 0 then ${points(WEIGHTS.noPastOffers)} else ${roundHalfUp(acceptance)} + ${speed} end`;

  return sql<number>`(${modality} + ${place} + ${language} + ${window} + ${load} + ${responsiveness})::int`;
}

/** A candidate row as the database returns it, inside the shortlist's JSON. */
interface CandidateRow {
  user_id: string;
  name: string;
  modalities: string[];
  certified_modalities: string[];
  licence_states: string[];
  licence_state: string;
  licence_expires_on: string;
  boroughs: string[];
  telehealth: boolean;
  insurances: string[];
  languages: string[];
  accepting_new: boolean;
  open_slots_per_week: number;
  available_days: string[];
  active_patients: number;
  offers_accepted: number;
  offers_answered: number;
  median_response_hours: number | null;
  score: number;
}

/**
 * The providers who pass the hard filters (an active outside provider, a licence valid in New York
 * today, accepting new patients, an open slot, the patient's insurance, not yet offered this
 * referral, not already on the patient's team), scored in the database.
 *
 * With a limit, only the best `limit` scores leave the database, together with everyone tied with
 * the last of them: the order among equal scores is settled by `rankCandidates` (names compared
 * the way the clinic reads them, which the database's byte-wise collation does not do).
 * `considered` counts every provider who passed the hard filters.
 *
 * The result is kept in `referral_matches` under a key made of everything it depends on: the
 * needs, the day, the limit, the directory's version (raised by any change to a provider's profile,
 * credentials, account or caseload) and this referral's offers and the patient's care team. A view
 * whose key matches reads it back instead of ranking the whole directory again; all of this is
 * one statement, so the answer is always what ranking now would give.
 */
export async function shortlistCandidates(
  db: Executor,
  referral: { id: string; patient_id: string },
  needs: ReferralNeeds,
  today: string,
  limit: number | null,
): Promise<{ considered: number; shortlist: Shortlisted[] }> {
  const asked = JSON.stringify({ needs, today, limit });
  const notKept = sql<boolean>`not exists (select from kept)`;
  const row = await db
    .with("key", (qb) =>
      qb.selectNoFrom(
        sql<string>`md5(concat_ws('|', ${asked}::text,
          coalesce((select version from directory_version), 0)::text,
          (select string_agg(o.provider_id::text || ':' || o.status, ',' order by o.provider_id, o.status) from referral_offers o where o.referral_id = ${referral.id}),
          (select string_agg(m.user_id::text, ',' order by m.user_id) from care_team_members m where m.patient_id = ${referral.patient_id} and m.ended_at is null)))`.as(
          "value",
        ),
      ),
    )
    .with("kept", (qb) =>
      qb
        .selectFrom("referral_matches as r")
        .innerJoin("key", "key.value", "r.key")
        .select(["r.considered", "r.shortlist"])
        .where("r.referral_id", "=", referral.id),
    )
    .with("candidates", (qb) =>
      qb
        .selectFrom("provider_profiles as p")
        .innerJoin("users as u", "u.id", "p.user_id")
        .innerJoin("provider_credentials as cr", "cr.user_id", "p.user_id")
        .leftJoin("provider_stats as st", "st.user_id", "p.user_id")
        .select([
          "p.user_id",
          "u.name",
          "p.modalities",
          "p.certified_modalities",
          "p.licence_states",
          "cr.licence_state",
          "cr.licence_expires_on",
          "p.boroughs",
          "p.telehealth",
          "p.insurances",
          "p.languages",
          "p.accepting_new",
          "p.open_slots_per_week",
          "p.available_days",
          sql<number>`coalesce(st.active_patients, 0)`.as("active_patients"),
          sql<number>`coalesce(st.offers_accepted, 0)`.as("offers_accepted"),
          sql<number>`coalesce(st.offers_answered, 0)`.as("offers_answered"),
          "st.median_response_hours",
        ])
        .where(notKept)
        .where("u.status", "=", "active")
        .where("u.role", "in", OUTSIDE_PROVIDER_ROLES)
        .where("p.accepting_new", "=", true)
        .where("p.open_slots_per_week", ">", 0)
        .where("cr.licence_expires_on", ">=", today)
        .where((eb) => eb.or([eb("cr.licence_state", "=", "NY"), sql<boolean>`'NY' = any(p.licence_states)`]))
        .where((eb) =>
          needs.insurance === "Self-pay" ? eb.lit(true) : sql<boolean>`${needs.insurance} = any(p.insurances)`,
        )
        .where((eb) =>
          eb.not(
            eb.exists(
              eb
                .selectFrom("referral_offers as o")
                .select("o.id")
                .whereRef("o.provider_id", "=", "p.user_id")
                .where("o.referral_id", "=", referral.id)
                .where("o.status", "in", ["open", "declined", "expired", "accepted"]),
            ),
          ),
        )
        .where((eb) => eb.not(onCareTeam(referral.patient_id, sql.ref<string>("p.user_id")))),
    )
    .with("scored", (qb) => qb.selectFrom("candidates as c").selectAll().select(scoreSql(needs).as("score")))
    .with("ranked", (qb) =>
      qb
        .selectFrom("scored")
        .selectAll()
        .select(sql<number>`rank() over (order by score desc)`.as("place")),
    )
    .with("computed", (qb) =>
      qb
        .selectFrom("ranked")
        .select([
          sql<number>`count(*)::int`.as("considered"),
          sql<unknown>`coalesce(jsonb_agg(to_jsonb(ranked) - 'place' order by score desc, name, user_id) filter (where ${limit === null ? sql`true` : sql`place <= ${limit}`}), '[]'::jsonb)`.as(
            "shortlist",
          ),
        ])
        .where(notKept),
    )
    .with("saved", (qb) =>
      qb
        .insertInto("referral_matches")
        .columns(["referral_id", "key", "considered", "shortlist"])
        .expression((eb) =>
          eb
            .selectFrom(["computed", "key"])
            .select([sql.lit(referral.id).as("referral_id"), "key.value", "computed.considered", "computed.shortlist"])
            .where(notKept),
        )
        .onConflict((oc) =>
          oc.column("referral_id").doUpdateSet((eb) => ({
            key: eb.ref("excluded.key"),
            considered: eb.ref("excluded.considered"),
            shortlist: eb.ref("excluded.shortlist"),
            computed_at: sql`now()`,
          })),
        ),
    )
    .selectFrom("kept")
    .select(["kept.considered", "kept.shortlist"])
    .unionAll((qb) => qb.selectFrom("computed").select(["computed.considered", "computed.shortlist"]).where(notKept))
    .executeTakeFirstOrThrow();

  const shortlist = (row.shortlist as CandidateRow[]).map((r) => ({
    score: r.score,
    candidate: {
      userId: r.user_id,
      name: r.name,
      modalities: r.modalities,
      certifiedModalities: r.certified_modalities,
      licenceState: r.licence_state,
      licenceStates: r.licence_states,
      licenceExpiresOn: r.licence_expires_on,
      boroughs: r.boroughs,
      telehealth: r.telehealth,
      insurances: r.insurances,
      languages: r.languages,
      acceptingNew: r.accepting_new,
      openSlotsPerWeek: r.open_slots_per_week,
      availableDays: r.available_days,
      activePatients: Number(r.active_patients),
      offersAccepted: Number(r.offers_accepted),
      offersAnswered: Number(r.offers_answered),
      medianResponseHours: r.median_response_hours === null ? null : Number(r.median_response_hours),
    },
  }));
  return { considered: Number(row.considered), shortlist };
}
