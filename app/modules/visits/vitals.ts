/** The clinic's limits for vital signs (clinic settings); past them a reading is flagged, never refused. */
export interface VitalLimits {
  systolic: number;
  diastolic: number;
  heartRate: number;
  spo2Floor: number;
}

export const PHASES = ["before", "during", "after"] as const;
export type Phase = (typeof PHASES)[number];

export const PHASE_LABELS: Record<Phase, string> = {
  before: "before the infusion",
  during: "during the infusion",
  after: "after the infusion",
};

export type Vitals = {
  [K in `${"systolic" | "diastolic" | "heart_rate"}_${Phase}`]: number | null;
} & { spo2_lowest: number | null };

/** What is out of range in one set of readings, in words a clinician reads at a glance. */
export function vitalFlags(vitals: Vitals, limits: VitalLimits): string[] {
  const flags: string[] = [];
  for (const phase of PHASES) {
    const systolic = vitals[`systolic_${phase}`];
    const diastolic = vitals[`diastolic_${phase}`];
    const heartRate = vitals[`heart_rate_${phase}`];
    if ((systolic ?? 0) > limits.systolic || (diastolic ?? 0) > limits.diastolic) {
      flags.push(
        `Blood pressure ${PHASE_LABELS[phase]} ${systolic ?? "–"}/${diastolic ?? "–"} is above the clinic's limit of ${limits.systolic}/${limits.diastolic}.`,
      );
    }
    if ((heartRate ?? 0) > limits.heartRate) {
      flags.push(`Heart rate ${PHASE_LABELS[phase]} ${heartRate} is above the clinic's limit of ${limits.heartRate}.`);
    }
  }
  if (vitals.spo2_lowest !== null && vitals.spo2_lowest < limits.spo2Floor) {
    flags.push(`Lowest SpO2 ${vitals.spo2_lowest}% is below the clinic's floor of ${limits.spo2Floor}%.`);
  }
  return flags;
}

export const DISSOCIATION_LABELS = ["None", "Mild", "Moderate", "Marked", "Severe"] as const;

export const ADVERSE_EVENTS = [
  "Nausea",
  "Vomiting",
  "Headache",
  "Dizziness",
  "Anxiety or agitation",
  "Emergence reaction",
  "Raised blood pressure",
  "Fast heart rate",
  "Low oxygen saturation",
] as const;
