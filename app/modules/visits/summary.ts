import { formatDateTime } from "~/lib/time";
import { DISSOCIATION_LABELS } from "./vitals";

export interface SummarySource {
  visit: {
    starts_at: Date;
    ends_at: Date;
    window_closes_at: Date;
    location_name: string;
    stopped_early_reason: string | null;
  };
  record: {
    dose_mg_per_kg: string;
    dose_mg: string;
    route: string;
    dissociation: number;
    adverse_events: string[];
    adverse_notes: string | null;
    discharged_at: Date;
  };
  nextVisit: { starts_at: Date; location_name: string } | null;
  showDose: boolean;
}

/**
 * The infusion summary the outside team reads: what happened, how it was tolerated and what comes
 * next, above all the therapy window. The dose only when the clinic's setting says so.
 */
export function infusionSummaryText({ visit, record, nextVisit, showDose }: SummarySource): string {
  const lines: string[] = [];
  lines.push(
    visit.stopped_early_reason
      ? `Infusion held at ${visit.location_name} on ${formatDateTime(visit.starts_at)} and stopped early: ${visit.stopped_early_reason}`
      : `Infusion held at ${visit.location_name} on ${formatDateTime(visit.starts_at)}.`,
  );
  const events = record.adverse_events;
  lines.push(
    events.length === 0 && !record.adverse_notes
      ? "Tolerated well: no adverse events."
      : `Tolerated with adverse events: ${[...events, record.adverse_notes].filter(Boolean).join("; ")}.`,
  );
  lines.push(
    `Dissociation during the infusion: ${DISSOCIATION_LABELS[record.dissociation]!.toLowerCase()} (${record.dissociation} of 4).`,
  );
  if (showDose) lines.push(`Dose: ${record.dose_mg_per_kg} mg/kg (${record.dose_mg} mg), ${record.route}.`);
  lines.push(`Discharged ${formatDateTime(record.discharged_at)}.`);
  lines.push(
    `Therapy window: opens ${formatDateTime(visit.ends_at)}, closes ${formatDateTime(visit.window_closes_at)}. Trauma-focused sessions planned inside it make the most of this infusion.`,
  );
  lines.push(
    nextVisit
      ? `Next infusion: ${formatDateTime(nextVisit.starts_at)} at ${nextVisit.location_name}.`
      : "No further infusion is booked.",
  );
  return lines.join("\n");
}
