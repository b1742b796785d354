import type { NOTE_KINDS } from "../../../db/schema";

// What pages show of care notes; no zod here, so these reach the browser without the schemas.
export const NOTE_KIND_LABELS: Record<(typeof NOTE_KINDS)[number], string> = {
  progress_update: "Progress update",
  session_summary: "Therapy session summary",
  infusion_summary: "Infusion summary",
  question: "Question",
  safety_concern: "Safety concern",
};

export const NOTE_MAX_LENGTH = 20_000;
