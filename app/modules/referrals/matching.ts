import { TRAUMA_MODALITIES, type TraumaModality } from "~/lib/therapies";
/**
 * Ranking of referral candidates: deterministic, explained, pure. Hard filters (an unexpired New
 * York licence, accepting new patients, an open slot, the patient's insurance) are applied by the
 * query that loads candidates; `passesHardFilters` states them again for tests and for safety.
 * The candidate query scores with the same weights (see `candidates.server.ts`) to keep only the
 * best few; the score and reasons shown are always the ones computed here.
 */

export interface ReferralNeeds {
  modality: TraumaModality | "any";
  setting: "in_person" | "telehealth" | "either";
  borough: string | null;
  insurance: string;
  language: string;
  /** Weekdays ("mon" … "sun") of the therapy window after the first planned infusion, when one is scheduled and needed. */
  windowDays: string[] | null;
}

export interface Candidate {
  userId: string;
  name: string;
  modalities: string[];
  certifiedModalities: string[];
  licenceState: string;
  licenceStates: string[];
  licenceExpiresOn: string;
  boroughs: string[];
  telehealth: boolean;
  insurances: string[];
  languages: string[];
  acceptingNew: boolean;
  openSlotsPerWeek: number;
  availableDays: string[];
  activePatients: number;
  offersAccepted: number;
  offersAnswered: number;
  medianResponseHours: number | null;
}

export interface Ranked {
  candidate: Candidate;
  score: number;
  reasons: string[];
}

/** Points per factor, out of 100 in all. */
export const WEIGHTS = {
  certified: 30,
  trained: 24,
  otherTraumaModality: 8,
  place: 20,
  telehealthInstead: 15,
  language: 15,
  window: 10,
  noWindow: 5,
  load: 15,
  noPastOffers: 5,
  acceptance: 5,
  replyWithinADay: 5,
  replyWithinThreeDays: 2,
} as const;

/** A median reply within a day earns more than one within three days. */
export const REPLY_HOURS = { fast: 24, slow: 72 } as const;

export const wantedModalities = (needs: ReferralNeeds): readonly string[] =>
  needs.modality === "any" ? TRAUMA_MODALITIES : [needs.modality];

export function passesHardFilters(c: Candidate, needs: ReferralNeeds, today: string): string[] {
  const failures: string[] = [];
  const licensedInNy = c.licenceState === "NY" || c.licenceStates.includes("NY");
  if (!licensedInNy) failures.push("no licence valid in New York");
  if (c.licenceExpiresOn < today) failures.push("licence expired");
  if (!c.acceptingNew) failures.push("not accepting new patients");
  if (c.openSlotsPerWeek <= 0) failures.push("no open slot");
  if (needs.insurance !== "Self-pay" && !c.insurances.includes(needs.insurance))
    failures.push(`does not take ${needs.insurance}`);
  return failures;
}

function modalityScore(c: Candidate, needs: ReferralNeeds): [number, string] {
  const wanted = wantedModalities(needs);
  const certified = wanted.filter((m) => c.certifiedModalities.includes(m));
  const trained = wanted.filter((m) => c.modalities.includes(m));
  if (certified.length) return [WEIGHTS.certified, `certified in ${certified.join(", ")}`];
  if (trained.length) return [WEIGHTS.trained, `trained in ${trained.join(", ")}`];
  const other = TRAUMA_MODALITIES.filter((m) => c.modalities.includes(m));
  if (other.length) return [WEIGHTS.otherTraumaModality, `trained in ${other.join(", ")}, not the modality asked for`];
  return [0, "no trauma-focused modality listed"];
}

function placeScore(c: Candidate, needs: ReferralNeeds): [number, string] {
  const sameBorough = needs.borough !== null && c.boroughs.includes(needs.borough);
  if (needs.setting === "telehealth") return c.telehealth ? [WEIGHTS.place, "offers telehealth"] : [0, "no telehealth"];
  if (needs.setting === "in_person")
    return sameBorough
      ? [WEIGHTS.place, `practises in ${needs.borough}`]
      : [0, needs.borough ? `not in ${needs.borough}` : "no borough asked"];
  if (sameBorough) return [WEIGHTS.place, `practises in ${needs.borough}${c.telehealth ? ", also telehealth" : ""}`];
  return c.telehealth ? [WEIGHTS.telehealthInstead, "offers telehealth"] : [0, "neither the borough nor telehealth"];
}

function languageScore(c: Candidate, needs: ReferralNeeds): [number, string] {
  return c.languages.some((l) => l.toLowerCase() === needs.language.toLowerCase())
    ? [WEIGHTS.language, `speaks ${needs.language}`]
    : [0, `does not list ${needs.language}`];
}

function windowScore(c: Candidate, needs: ReferralNeeds): [number, string] {
  if (!needs.windowDays) return [WEIGHTS.noWindow, "no timing constraint"];
  const days = needs.windowDays.filter((d) => c.availableDays.includes(d));
  return days.length
    ? [WEIGHTS.window, `available during the window (${days.join(", ")})`]
    : [0, "not usually available during the window"];
}

function loadScore(c: Candidate): [number, string] {
  const free = Math.max(0, c.openSlotsPerWeek - c.activePatients);
  const ratio = c.openSlotsPerWeek > 0 ? free / c.openSlotsPerWeek : 0;
  return [
    Math.round(ratio * WEIGHTS.load),
    `${free} of ${c.openSlotsPerWeek} weekly slots free after ${c.activePatients} current Ember patients`,
  ];
}

function responsivenessScore(c: Candidate): [number, string] {
  if (c.offersAnswered === 0) return [WEIGHTS.noPastOffers, "no past offers"];
  const rate = c.offersAccepted / c.offersAnswered;
  const hours = c.medianResponseHours;
  const speed =
    hours === null
      ? 0
      : hours <= REPLY_HOURS.fast
        ? WEIGHTS.replyWithinADay
        : hours <= REPLY_HOURS.slow
          ? WEIGHTS.replyWithinThreeDays
          : 0;
  return [
    Math.round(rate * WEIGHTS.acceptance) + speed,
    `accepted ${c.offersAccepted} of ${c.offersAnswered} past offers${c.medianResponseHours === null ? "" : `, median reply ${Math.round(c.medianResponseHours)} h`}`,
  ];
}

/** Scores out of 100, highest first; ties broken by name then id so the order never varies. */
export function rankCandidates(candidates: Candidate[], needs: ReferralNeeds, today: string): Ranked[] {
  return candidates
    .filter((c) => passesHardFilters(c, needs, today).length === 0)
    .map((candidate) => {
      const parts = [
        modalityScore(candidate, needs),
        placeScore(candidate, needs),
        languageScore(candidate, needs),
        windowScore(candidate, needs),
        loadScore(candidate),
        responsivenessScore(candidate),
      ];
      return {
        candidate,
        score: parts.reduce((sum, [points]) => sum + points, 0),
        reasons: parts.map(([points, why]) => `${why} (+${points})`),
      };
    })
    .sort(
      (a, b) =>
        b.score - a.score ||
        a.candidate.name.localeCompare(b.candidate.name) ||
        a.candidate.userId.localeCompare(b.candidate.userId),
    );
}
