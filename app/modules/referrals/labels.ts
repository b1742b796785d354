import { INSURANCES } from "~/modules/patients/labels";
import { TRAUMA_MODALITIES, modalityLabel } from "~/lib/therapies";

// What referral and profile pages offer and show; no zod here, so these reach the browser without the schemas.
export const BOROUGHS = ["Manhattan", "Brooklyn", "Queens", "Bronx", "Staten Island"] as const;
export const PROFILE_INSURANCES = INSURANCES.filter((i) => i !== "Other");
export const LANGUAGES = [
  "English",
  "Spanish",
  "Mandarin",
  "Cantonese",
  "Russian",
  "Haitian Creole",
  "Bengali",
  "Korean",
  "Arabic",
  "French",
  "Yiddish",
  "Polish",
  "ASL",
] as const;
export const WEEKDAYS = [
  { value: "mon", label: "Monday" },
  { value: "tue", label: "Tuesday" },
  { value: "wed", label: "Wednesday" },
  { value: "thu", label: "Thursday" },
  { value: "fri", label: "Friday" },
  { value: "sat", label: "Saturday" },
  { value: "sun", label: "Sunday" },
] as const;
export const TIMES = [
  { value: "morning", label: "Mornings" },
  { value: "afternoon", label: "Afternoons" },
  { value: "evening", label: "Evenings" },
] as const;
export const MODALITIES = TRAUMA_MODALITIES.map((value) => ({ value, label: modalityLabel(value) }));
