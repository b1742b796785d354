/** PHQ-9 and PCL-5 scoring: pure functions, the single source of every computed figure. */

export type Instrument = "PHQ9" | "PCL5";

export const INSTRUMENTS = {
  PHQ9: { label: "PHQ-9", items: 9, max: 3 },
  PCL5: { label: "PCL-5", items: 20, max: 4 },
} as const;

export class ScoringError extends Error {}

/** Every item present, a whole number within range; anything else is refused, never guessed. */
export function validateItems(instrument: Instrument, items: readonly unknown[]): number[] {
  const spec = INSTRUMENTS[instrument];
  if (items.length !== spec.items)
    throw new ScoringError(`${spec.label} has ${spec.items} items; ${items.length} were given.`);
  // Array.from, not map: map skips the holes of a sparse array, which would let a missing answer through.
  return Array.from(items, (value, i) => {
    if (typeof value !== "number" || !Number.isInteger(value) || value < 0 || value > spec.max) {
      throw new ScoringError(`${spec.label} item ${i + 1} must be a whole number from 0 to ${spec.max}.`);
    }
    return value;
  });
}

export const total = (items: readonly number[]) => items.reduce((a, b) => a + b, 0);

export type Phq9Band = "minimal" | "mild" | "moderate" | "moderately severe" | "severe";

export function phq9Band(score: number): Phq9Band {
  if (score <= 4) return "minimal";
  if (score <= 9) return "mild";
  if (score <= 14) return "moderate";
  if (score <= 19) return "moderately severe";
  return "severe";
}

/** PHQ-9 item 9 (thoughts of self-harm) above 0 is a safety signal that must reach a clinician at once. */
export const phq9SafetySignal = (items: readonly number[]) => (items[8] ?? 0) > 0;

/** DSM-5 clusters: B intrusion (1–5), C avoidance (6–7), D negative cognitions and mood (8–14), E arousal and reactivity (15–20). */
export function pcl5Clusters(items: readonly number[]) {
  const sum = (from: number, to: number) => total(items.slice(from - 1, to));
  return { B: sum(1, 5), C: sum(6, 7), D: sum(8, 14), E: sum(15, 20) };
}

export interface MeasureSettings {
  pcl5Threshold: number;
  pcl5MeaningfulChange: number;
}

export const DEFAULT_MEASURE_SETTINGS: MeasureSettings = { pcl5Threshold: 33, pcl5MeaningfulChange: 10 };

export const probablePtsd = (score: number, settings: MeasureSettings = DEFAULT_MEASURE_SETTINGS) =>
  score >= settings.pcl5Threshold;

/** Response: a fall of this share of the baseline or more. */
export const RESPONSE_FALL = 0.5;
/** Remission: a PHQ-9 total under this. */
export const PHQ9_REMISSION_BELOW = 5;

/** A baseline of 0 cannot show response. */
export const isResponse = (baseline: number, score: number) => baseline > 0 && score <= baseline * (1 - RESPONSE_FALL);
export const isRemission = (instrument: Instrument, score: number) =>
  instrument === "PHQ9" && score < PHQ9_REMISSION_BELOW;

export interface Scored {
  id: string;
  instrument: Instrument;
  taken_on: string;
  total: number;
}

/** The last score of an instrument taken on or before the day of a course's first visit. */
export function baselineFor<T extends Scored>(
  scores: T[],
  instrument: Instrument,
  firstVisitDay: string,
): T | undefined {
  return scores
    .filter((s) => s.instrument === instrument && s.taken_on <= firstVisitDay)
    .sort((a, b) => (a.taken_on === b.taken_on ? 0 : a.taken_on < b.taken_on ? -1 : 1))
    .at(-1);
}

/** On both instruments a lower total is better: a fall is an improvement, a rise a worsening. */
export type Direction = "improved" | "worse" | "unchanged";

export interface Change {
  change: number;
  direction: Direction;
  meaningful: boolean;
  response: boolean;
  remission: boolean;
}

export function changeFromBaseline(
  instrument: Instrument,
  baseline: number,
  score: number,
  settings: MeasureSettings = DEFAULT_MEASURE_SETTINGS,
): Change {
  const change = score - baseline;
  return {
    change,
    direction: change < 0 ? "improved" : change > 0 ? "worse" : "unchanged",
    meaningful: instrument === "PCL5" ? Math.abs(change) >= settings.pcl5MeaningfulChange : false,
    response: isResponse(baseline, score),
    remission: isRemission(instrument, score),
  };
}

/** "improved by 12", "worse by 10": a signed number alone is too easy to read the wrong way. */
export function changeLabel(change: Pick<Change, "change">): string {
  if (change.change < 0) return `improved by ${-change.change}`;
  if (change.change > 0) return `worse by ${change.change}`;
  return "no change";
}

/** A PCL-5 rise from baseline of the clinic's meaningful change or more: flagged to the team like a loss of response. */
export const meaningfulWorsening = (
  instrument: Instrument,
  baseline: number,
  score: number,
  settings: MeasureSettings = DEFAULT_MEASURE_SETTINGS,
) => instrument === "PCL5" && score - baseline >= settings.pcl5MeaningfulChange;

/** The definitions the measures page reads scores by, from the same values the scoring uses. */
export function measureDefinitions(settings: MeasureSettings): { term: string; definition: string }[] {
  return [
    { term: "Baseline", definition: "the last score on or before the first visit of a course" },
    { term: "Response", definition: `a fall of ${RESPONSE_FALL * 100}% or more from baseline` },
    { term: "Remission", definition: `a PHQ-9 under ${PHQ9_REMISSION_BELOW}` },
    {
      term: "PCL-5 meaningful change",
      definition: `${settings.pcl5MeaningfulChange} points or more from baseline, either way`,
    },
    { term: "Probable PTSD", definition: `a PCL-5 of ${settings.pcl5Threshold} or more` },
  ];
}

/**
 * Loss of response: after the baseline, some score met response, and the latest score no longer
 * does. Scores are of one instrument, in date order.
 */
export function lostResponse(baseline: number, laterScores: number[]): boolean {
  const firstResponse = laterScores.findIndex((s) => isResponse(baseline, s));
  if (firstResponse === -1) return false;
  const latest = laterScores.at(-1)!;
  return laterScores.length - 1 > firstResponse && !isResponse(baseline, latest);
}
