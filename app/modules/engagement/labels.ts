import type { EngagementConfirmationTable } from "../../../db/schema";
import { TRAUMA_MODALITIES, modalityLabel, OTHER_THERAPY_LABEL } from "~/lib/therapies";

// What a provider attests when confirming engagement; no zod here, so these reach the browser without the schemas.
export const DEPRESSION_COMORBIDITIES = ["mdd", "bipolar_depression", "depressive_symptoms", "none"] as const;
export const TRAUMA_THERAPIES = [...TRAUMA_MODALITIES, "other", "none"] as const;
export const SESSION_CADENCES = ["weekly", "every_two_weeks", "monthly", "other"] as const;
export type DepressionComorbidity = (typeof DEPRESSION_COMORBIDITIES)[number];
export type TraumaTherapy = (typeof TRAUMA_THERAPIES)[number];
export type SessionCadence = (typeof SESSION_CADENCES)[number];

// The lists and the columns' check constraints (typed in db/schema.ts) must name the same values.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
true satisfies Same<DepressionComorbidity, EngagementConfirmationTable["depression"]>;
true satisfies Same<TraumaTherapy, EngagementConfirmationTable["trauma_therapy"]>;
true satisfies Same<SessionCadence, EngagementConfirmationTable["cadence"]>;

export const DEPRESSION_LABELS: Record<DepressionComorbidity, string> = {
  mdd: "Major depressive disorder",
  bipolar_depression: "Bipolar depressive episode",
  depressive_symptoms: "Significant depressive symptoms",
  none: "None",
};
export const THERAPY_LABELS: Record<TraumaTherapy, string> = {
  WET: modalityLabel("WET"),
  CPT: modalityLabel("CPT"),
  PE: modalityLabel("PE"),
  other: OTHER_THERAPY_LABEL,
  none: "None yet",
};
export const CADENCE_LABELS: Record<SessionCadence, string> = {
  weekly: "Weekly",
  every_two_weeks: "Every two weeks",
  monthly: "Monthly",
  other: "Other",
};
