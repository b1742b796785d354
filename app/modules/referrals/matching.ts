/**
 * Ranking of referral candidates: deterministic, explained, pure. Hard filters (an unexpired New
 * York licence, accepting new patients, an open slot, the patient's insurance) are applied by the
 * query that loads candidates; `passesHardFilters` states them again for tests and for safety.
 */

export interface ReferralNeeds {
  modality: "WET" | "CPT" | "PE" | "any";
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

const TRAUMA_MODALITIES = ["WET", "CPT", "PE"];

export function passesHardFilters(c: Candidate, needs: ReferralNeeds, today: string): string[] {
  const failures: string[] = [];
  const licensedInNy = c.licenceState === "NY" || c.licenceStates.includes("NY");
  if (!licensedInNy) failures.push("no licence valid in New York");
  if (c.licenceExpiresOn < today) failures.push("licence expired");
  if (!c.acceptingNew) failures.push("not accepting new patients");
  if (c.openSlotsPerWeek <= 0) failures.push("no open slot");
  if (needs.insurance !== "Self-pay" && !c.insurances.includes(needs.insurance)) failures.push(`does not take ${needs.insurance}`);
  return failures;
}

function modalityScore(c: Candidate, needs: ReferralNeeds): [number, string] {
  const wanted = needs.modality === "any" ? TRAUMA_MODALITIES : [needs.modality];
  const certified = wanted.filter((m) => c.certifiedModalities.includes(m));
  const trained = wanted.filter((m) => c.modalities.includes(m));
  if (certified.length) return [30, `certified in ${certified.join(", ")}`];
  if (trained.length) return [24, `trained in ${trained.join(", ")}`];
  const other = TRAUMA_MODALITIES.filter((m) => c.modalities.includes(m));
  if (other.length) return [8, `trained in ${other.join(", ")}, not the modality asked for`];
  return [0, "no trauma-focused modality listed"];
}

function placeScore(c: Candidate, needs: ReferralNeeds): [number, string] {
  const sameBorough = needs.borough !== null && c.boroughs.includes(needs.borough);
  if (needs.setting === "telehealth") return c.telehealth ? [20, "offers telehealth"] : [0, "no telehealth"];
  if (needs.setting === "in_person") return sameBorough ? [20, `practises in ${needs.borough}`] : [0, needs.borough ? `not in ${needs.borough}` : "no borough asked"];
  if (sameBorough) return [20, `practises in ${needs.borough}${c.telehealth ? ", also telehealth" : ""}`];
  return c.telehealth ? [15, "offers telehealth"] : [0, "neither the borough nor telehealth"];
}

function languageScore(c: Candidate, needs: ReferralNeeds): [number, string] {
  return c.languages.some((l) => l.toLowerCase() === needs.language.toLowerCase()) ? [15, `speaks ${needs.language}`] : [0, `does not list ${needs.language}`];
}

function windowScore(c: Candidate, needs: ReferralNeeds): [number, string] {
  if (!needs.windowDays) return [5, "no timing constraint"];
  const days = needs.windowDays.filter((d) => c.availableDays.includes(d));
  return days.length ? [10, `available during the window (${days.join(", ")})`] : [0, "not usually available during the window"];
}

function loadScore(c: Candidate): [number, string] {
  const free = Math.max(0, c.openSlotsPerWeek - c.activePatients);
  const ratio = c.openSlotsPerWeek > 0 ? free / c.openSlotsPerWeek : 0;
  return [Math.round(ratio * 15), `${free} of ${c.openSlotsPerWeek} weekly slots free after ${c.activePatients} current Ember patients`];
}

function responsivenessScore(c: Candidate): [number, string] {
  if (c.offersAnswered === 0) return [5, "no past offers"];
  const rate = c.offersAccepted / c.offersAnswered;
  const speed = c.medianResponseHours === null ? 0 : c.medianResponseHours <= 24 ? 5 : c.medianResponseHours <= 72 ? 2 : 0;
  return [Math.round(rate * 5) + speed, `accepted ${c.offersAccepted} of ${c.offersAnswered} past offers${c.medianResponseHours === null ? "" : `, median reply ${Math.round(c.medianResponseHours)} h`}`];
}

/** Scores out of 100, highest first; ties broken by name then id so the order never varies. */
export function rankCandidates(candidates: Candidate[], needs: ReferralNeeds, today: string): Ranked[] {
  return candidates
    .filter((c) => passesHardFilters(c, needs, today).length === 0)
    .map((candidate) => {
      const parts = [modalityScore(candidate, needs), placeScore(candidate, needs), languageScore(candidate, needs), windowScore(candidate, needs), loadScore(candidate), responsivenessScore(candidate)];
      return { candidate, score: parts.reduce((sum, [points]) => sum + points, 0), reasons: parts.map(([points, why]) => `${why} (+${points})`) };
    })
    .sort((a, b) => b.score - a.score || a.candidate.name.localeCompare(b.candidate.name) || a.candidate.userId.localeCompare(b.candidate.userId));
}
