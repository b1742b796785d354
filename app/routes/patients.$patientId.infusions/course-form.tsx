import { Link } from "@remix-run/react";
import { Form, FormError, SelectField, SubmitButton, TextField } from "~/components/form";
import { CLINICS } from "~/components/patient-form";
import { When } from "~/components/time";
import { Alert } from "~/components/ui";
import type { IntentState } from "~/lib/intent-state";
import type { InfusionsData } from "./types";

/** A clinician books a course (or boosters), once the engagement gate allows it. */
export function CourseForm({
  patient,
  gate,
  clinicians,
  actorId,
  state,
}: Pick<InfusionsData, "patient" | "gate" | "clinicians" | "actorId"> & { state?: IntentState }) {
  const typedVisits = state?.values.visit?.split("\n") ?? [];
  return (
    <section className="card" aria-labelledby="schedule-title">
      <h2 id="schedule-title">Schedule visits</h2>
      {gate.allowed ? null : (
        <Alert kind="error">
          Infusions cannot be scheduled yet: {gate.reasons.join(" ")}{" "}
          <Link to={`/patients/${patient.id}`}>See the eligibility summary</Link>.
        </Alert>
      )}
      {gate.allowed && gate.confirmedUntil ? (
        <p className="muted" id="confirmed-until">
          The current engagement confirmation expires <When at={gate.confirmedUntil} />: a visit after it is booked with
          the warning &ldquo;confirmation expires before this visit&rdquo;.
        </p>
      ) : null}
      <FormError message={state?.formError} />
      <Form method="post" noValidate>
        <input type="hidden" name="intent" value="schedule" />
        <div className="form-row">
          <SelectField
            label="Clinic"
            name="locationId"
            options={CLINICS}
            defaultValue={state?.values.locationId ?? patient.preferred_location_id}
            errors={state?.errors.locationId}
          />
          <SelectField
            label="Supervising clinician"
            name="clinicianId"
            options={clinicians.map((c) => ({ value: c.id, label: c.name }))}
            defaultValue={state?.values.clinicianId ?? actorId}
            errors={state?.errors.clinicianId}
          />
          <SelectField
            label="Kind"
            name="kind"
            options={[
              { value: "course", label: "Initial course (typically 4–6 visits over 1–2 weeks)" },
              { value: "booster", label: "Booster visit(s) after a course" },
            ]}
            defaultValue={state?.values.kind ?? "course"}
            errors={state?.errors.kind}
          />
        </div>
        <fieldset className="field">
          <legend>Visit start times (New York time; each visit lasts 90 minutes)</legend>
          <div className="form-row">
            {Array.from({ length: 6 }, (_, i) => (
              <TextField
                key={i}
                label={`Visit ${i + 1}`}
                name="visit"
                type="datetime-local"
                defaultValue={typedVisits[i]}
              />
            ))}
          </div>
          {state?.errors.visit ? <p className="field-error">{state.errors.visit.join(" ")}</p> : null}
        </fieldset>
        <SubmitButton>Schedule</SubmitButton>
      </Form>
    </section>
  );
}
