import type { NoteKind } from "../../../db/schema";

// What pages show of care notes; no zod here, so these reach the browser without the schemas.
export const NOTE_KINDS = [
  "progress_update",
  "session_summary",
  "infusion_summary",
  "question",
  "safety_concern",
] as const satisfies readonly NoteKind[];
export type { NoteKind };

export const NOTE_KIND_LABELS: Record<NoteKind, string> = {
  progress_update: "Progress update",
  session_summary: "Therapy session summary",
  infusion_summary: "Infusion summary",
  question: "Question",
  safety_concern: "Safety concern",
};

export const NOTE_MAX_LENGTH = 20_000;
