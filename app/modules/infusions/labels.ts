import { isTraumaModality, PROTOCOL_SESSIONS, protocolLength } from "~/lib/therapies";

// What infusion pages offer; no zod here, so these reach the browser without the schemas.
export const BOOSTER_DECISIONS = [
  { value: "schedule_booster", label: "Schedule booster infusion(s)" },
  { value: "no_booster_now", label: "No booster now: keep monitoring" },
  { value: "refer_back", label: "Refer back to the outside team" },
] as const;

/** Why a booster review fell due, as the review's banner says it. */
export const BOOSTER_REVIEW_REASONS = {
  course_completed: "the course is complete",
  loss_of_response: "response was lost",
  meaningful_worsening: "the PCL-5 is meaningfully worse than baseline",
} as const;

/** "WET 2 of 5": a therapy session's modality and, when known, where it falls in its protocol. */
export function sessionLabel(s: { modality: string; protocol_number: number | null; protocol_total: number | null }) {
  const total = s.protocol_total ? ` of ${s.protocol_total}` : "";
  return `${s.modality}${s.protocol_number ? ` ${s.protocol_number}${total}` : ""}`;
}

interface CountedSession {
  modality: string;
  status: string;
  protocol_total: number | null;
}

/**
 * Progress per modality, "WET 3 of 5 held · 1 planned": cancelled and missed sessions do not count.
 * A tailored protocol (PE) counts against the total the provider gave, when it is within the protocol's range.
 */
export function protocolProgress(sessions: CountedSession[]): string[] {
  const modalities = [
    ...new Set(sessions.filter((s) => s.status === "held" || s.status === "planned").map((s) => s.modality)),
  ];
  return modalities.sort().map((modality) => {
    const own = sessions.filter((s) => s.modality === modality);
    const held = own.filter((s) => s.status === "held").length;
    const planned = own.filter((s) => s.status === "planned").length;
    const tail = planned ? ` · ${planned} planned` : "";
    if (!isTraumaModality(modality)) return `Other therapy: ${held} held${tail}`;
    const { min, max } = PROTOCOL_SESSIONS[modality];
    const given = own.map((s) => s.protocol_total).find((t) => t !== null && t >= min && t <= max);
    return `${modality} ${held} of ${given ?? protocolLength(modality)} held${tail}`;
  });
}
