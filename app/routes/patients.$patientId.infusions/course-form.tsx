import { getFormProps, useForm } from "@conform-to/react";
import { Link } from "@remix-run/react";
import type { z } from "zod";
import { Form, FormError, SelectField, SubmitButton, TextField } from "~/components/form";
import { CLINICS } from "~/components/patient-form";
import { When } from "~/components/time";
import { Alert } from "~/components/ui";
import type { scheduleSchema } from "~/modules/infusions/forms.server";
import type { InfusionAnswer } from "./actions.server";
import { resultFor } from "./results";
import type { InfusionsData } from "./types";

/** The most visits the form offers at once; a longer plan is booked in parts. */
const VISIT_FIELDS = 6;

/** A clinician books a course (or boosters), once the engagement gate allows it. */
export function CourseForm({
  patient,
  gate,
  clinicians,
  actorId,
  answer,
}: Pick<InfusionsData, "patient" | "gate" | "clinicians" | "actorId"> & { answer: InfusionAnswer }) {
  const [form, fields] = useForm<z.input<typeof scheduleSchema>>({
    id: "schedule",
    lastResult: resultFor(answer, "schedule"),
    defaultValue: {
      locationId: patient.preferred_location_id ?? undefined,
      clinicianId: actorId,
      kind: "course",
      visit: Array<string>(VISIT_FIELDS).fill(""),
    },
    // Checked on submit only: an answer to a check on blur, arriving while the next time is typed, would reset it.
  });
  const visits = fields.visit.getFieldList();
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
      <Form method="post" {...getFormProps(form)}>
        <FormError form={form} />
        <input type="hidden" name="intent" value="schedule" />
        <div className="form-row">
          <SelectField label="Clinic" field={fields.locationId} options={CLINICS} />
          <SelectField
            label="Supervising clinician"
            field={fields.clinicianId}
            options={clinicians.map((c) => ({ value: c.id, label: c.name }))}
          />
          <SelectField
            label="Kind"
            field={fields.kind}
            options={[
              { value: "course", label: "Initial course (typically 4–6 visits over 1–2 weeks)" },
              { value: "booster", label: "Booster visit(s) after a course" },
            ]}
          />
        </div>
        <fieldset className="field">
          <legend>Visit start times (New York time; each visit lasts 90 minutes)</legend>
          <div className="form-row">
            {visits.map((visit, i) => (
              <TextField key={visit.key} label={`Visit ${i + 1}`} field={visit} type="datetime-local" />
            ))}
          </div>
          {fields.visit.errors ? (
            <p className="field-error" id={fields.visit.errorId}>
              {fields.visit.errors.join(" ")}
            </p>
          ) : null}
        </fieldset>
        <SubmitButton>Schedule</SubmitButton>
      </Form>
    </section>
  );
}
