import type { Patient } from "../../../db/schema";

// What patient pages offer and show; no zod here, so these reach the browser without the schemas.
export const DIAGNOSES = [
  { value: "ptsd", label: "PTSD" },
  { value: "mdd", label: "Major depressive disorder" },
  { value: "bipolar_depression", label: "Bipolar depressive episode" },
  { value: "depressive_symptoms", label: "Significant depressive symptoms" },
] as const;
export const DEPRESSIVE_DIAGNOSES = ["mdd", "bipolar_depression", "depressive_symptoms"];

export const RISK_FLAGS = [
  { value: "dissociation", label: "History of dissociation or complex trauma" },
  { value: "substance_use", label: "History of substance use" },
] as const;

export const INSURANCES = [
  "Aetna",
  "Cigna",
  "Empire BlueCross BlueShield",
  "UnitedHealthcare",
  "Medicare",
  "Medicaid",
  "VA Community Care",
  "Self-pay",
  "Other",
] as const;

export const TEAM_ROLES = [
  { value: "primary_therapist", label: "Primary therapist" },
  { value: "psychiatrist", label: "Psychiatrist" },
  { value: "other", label: "Other provider" },
] as const;

export const RELEASE_SCOPES = [
  { value: "care_coordination", label: "Care coordination" },
  { value: "infusion_schedule", label: "Infusion schedule" },
  { value: "care_notes", label: "Care notes" },
  { value: "symptom_measures", label: "Symptom measures (PHQ-9, PCL-5)" },
  { value: "substance_use", label: "Substance-use history (only when the release says so)" },
] as const;

/**
 * What each scope beyond care coordination opens, as the overview tells a provider whose release
 * leaves it out. Any current release opens the overview, care team and engagement pages.
 */
export const SCOPE_PARTS = {
  infusion_schedule: "Infusion schedule: the Infusions page, upcoming infusions and calendars",
  care_notes: "Care notes: the thread, the review queue and note digests",
  symptom_measures: "Symptom measures: PHQ-9 and PCL-5 scores and alerts",
  substance_use: "Substance-use history",
} as const;

/** What a page header shows of a patient: `patientSummary` in patients.server.ts picks it from the row. */
export type PatientSummary = Pick<
  Patient,
  "id" | "first_name" | "last_name" | "record_number" | "date_of_birth" | "insurance" | "calendar_code"
> & { location_name: string };
