import { Alert, Badge } from "~/components/ui";
import { DIAGNOSES } from "~/modules/patients/labels";
import type { OverviewData } from "./types";

/** Whether ketamine is indicated on the diagnoses on file, and whether infusions may be scheduled yet. */
export function EligibilitySummary({
  diagnoses,
  eligibility,
  gate,
}: {
  diagnoses: OverviewData["patient"]["diagnoses"];
  eligibility: OverviewData["eligibility"];
  gate: OverviewData["gate"];
}) {
  const diagnosisLabels = DIAGNOSES.filter((d) => diagnoses.includes(d.value)).map((d) => d.label);
  return (
    <section className={`card eligibility eligibility-${eligibility.kind}`} aria-labelledby="eligibility-title">
      <h2 id="eligibility-title">Eligibility summary</h2>
      <p>
        <strong data-testid="eligibility-headline">{eligibility.headline}</strong>
      </p>
      <p className="muted">
        Derived from the diagnoses on file ({diagnosisLabels.join(", ") || "none recorded"}) and the outside providers'
        engagement confirmations.
      </p>
      {eligibility.discussionRequired ? (
        eligibility.discussionDocumented ? (
          <p>
            <Badge tone="good">Mixed-evidence discussion documented</Badge>
          </p>
        ) : (
          <Alert kind="warning">
            An Ember clinician must record that the mixed evidence for PTSD without depression was discussed with the
            patient.
          </Alert>
        )
      ) : null}
      <h3>Infusion scheduling</h3>
      {gate.allowed ? (
        <p>
          <Badge tone="good">Infusions may be scheduled</Badge>
        </p>
      ) : (
        <ul aria-label="Why infusions cannot be scheduled yet">
          {gate.reasons.map((r) => (
            <li key={r}>{r}</li>
          ))}
        </ul>
      )}
    </section>
  );
}
