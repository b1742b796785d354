// What account and invitation pages offer; no zod here, so these reach the browser without the schemas.
export const LICENCE_TYPES = ["LCSW", "LMHC", "LMFT", "LPC", "Psychologist", "MD/DO", "Psychiatric NP"] as const;

export const US_STATES = [
  "AL", "AK", "AZ", "AR", "CA", "CO", "CT", "DE", "DC", "FL", "GA", "HI", "ID", "IL", "IN", "IA", "KS", "KY", "LA", "ME",
  "MD", "MA", "MI", "MN", "MS", "MO", "MT", "NE", "NV", "NH", "NJ", "NM", "NY", "NC", "ND", "OH", "OK", "OR", "PA", "RI",
  "SC", "SD", "TN", "TX", "UT", "VT", "VA", "WA", "WV", "WI", "WY",
] as const;

export const INVITABLE_ROLES = [
  { value: "therapist", label: "Therapist (outside provider)" },
  { value: "psychiatrist", label: "Psychiatrist or psychiatric NP (outside provider)" },
  { value: "coordinator", label: "Care coordinator (Ember staff)" },
  { value: "clinician", label: "Infusion clinician (Ember staff)" },
  { value: "admin", label: "Administrator (Ember staff)" },
] as const;
