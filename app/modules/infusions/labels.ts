// What infusion pages offer; no zod here, so these reach the browser without the schemas.
export const BOOSTER_DECISIONS = [
  { value: "schedule_booster", label: "Schedule booster infusion(s)" },
  { value: "no_booster_now", label: "No booster now: keep monitoring" },
  { value: "refer_back", label: "Refer back to the outside team" },
] as const;
