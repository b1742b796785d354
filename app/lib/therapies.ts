/**
 * The three trauma-focused therapies Ember's evidence rests on. Other trauma-informed therapy is
 * possible but is not one of them.
 */
export const TRAUMA_MODALITIES = ["WET", "CPT", "PE"] as const;
export type TraumaModality = (typeof TRAUMA_MODALITIES)[number];

export const MODALITY_NAMES: Record<TraumaModality, string> = {
  WET: "Written Exposure Therapy",
  CPT: "Cognitive Processing Therapy",
  PE: "Prolonged Exposure",
};

/** How many sessions a protocol typically takes: PE is tailored, between 8 and 15. */
export const PROTOCOL_SESSIONS: Record<TraumaModality, { min: number; max: number }> = {
  WET: { min: 5, max: 5 },
  CPT: { min: 12, max: 12 },
  PE: { min: 8, max: 15 },
};

export const isTraumaModality = (value: string): value is TraumaModality =>
  (TRAUMA_MODALITIES as readonly string[]).includes(value);

/** A protocol's length as said: "5", or "8–15" for PE, which is tailored. */
export function protocolLength(modality: TraumaModality): string {
  const { min, max } = PROTOCOL_SESSIONS[modality];
  return min === max ? String(min) : `${min}–${max}`;
}

/** "Written Exposure Therapy (WET)". */
export const modalityLabel = (modality: TraumaModality) => `${MODALITY_NAMES[modality]} (${modality})`;

/** "Prolonged Exposure (PE, 8–15 sessions)". */
export function modalityWithProtocol(modality: TraumaModality): string {
  return `${MODALITY_NAMES[modality]} (${modality}, ${protocolLength(modality)} sessions)`;
}

export const OTHER_THERAPY_LABEL = "Other trauma-informed therapy";
