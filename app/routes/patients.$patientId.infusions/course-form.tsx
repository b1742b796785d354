import { getFormProps, useForm } from "@conform-to/react";
import { Link } from "@remix-run/react";
import { useState } from "react";
import type { z } from "zod";
import { resultFor } from "~/lib/form-answer";
import { CheckboxGroup, Form, FormError, RadioGroup, SelectField, SubmitButton, TextField } from "~/components/form";
import { When } from "~/components/time";
import { Alert } from "~/components/ui";
import type { previewSchema } from "~/modules/infusions/forms.server";
import { WEEKDAYS } from "~/modules/infusions/pattern";
import type { InfusionAnswer } from "./actions.server";
import { clinicHours } from "./hours";
import { ProposalForm } from "./proposal";
import type { InfusionsData } from "./types";

const REPEAT = [
  { value: "weekdays", label: "On the weekdays ticked below" },
  { value: "interval", label: "Every few days" },
];

/**
 * A clinician describes a course (or boosters) by a pattern and previews it: each date with its
 * therapy window and every conflict explained. The preview's dates can then be adjusted one by one,
 * and only a preview without conflicts offers the booking.
 */
export function CourseForm({
  patient,
  gate,
  clinicians,
  clinics,
  actorId,
  answer,
}: Pick<InfusionsData, "patient" | "gate" | "clinicians" | "clinics" | "actorId"> & { answer: InfusionAnswer }) {
  const [form, fields] = useForm<z.input<typeof previewSchema>>({
    id: "course-pattern",
    lastResult: resultFor(answer, "preview") ?? resultFor(answer, "schedule"),
    defaultValue: {
      locationId: patient.preferred_location_id ?? undefined,
      clinicianId: actorId,
      kind: "course",
      repeat: "weekdays",
      everyDays: "2",
      count: "6",
    },
    // Checked on submit only: an answer to a check on blur, arriving after a box was ticked, would untick it.
  });
  const [clinicId, setClinicId] = useState(fields.locationId.initialValue ?? "");
  const clinic = clinics.find((c) => c.id === clinicId);
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
      <Form method="post" {...getFormProps(form)} aria-label="Describe the visits">
        <FormError form={form} />
        {fields.visit.errors ? <FormError message={fields.visit.errors.join(" ")} /> : null}
        <div className="form-row">
          <SelectField
            label="Clinic"
            field={fields.locationId}
            options={clinics.map((c) => ({ value: c.id, label: c.name }))}
            placeholder="Choose a clinic"
            onChange={(e) => setClinicId(e.currentTarget.value)}
            hint={clinic ? clinicHours(clinic) : "Choose a clinic to see its opening hours."}
          />
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
          <legend>Dates (New York time; each visit lasts 90 minutes)</legend>
          <div className="form-row">
            <TextField label="First date" field={fields.firstDay} type="date" />
            <TextField label="Start time" field={fields.time} type="time" />
            <TextField label="Number of visits" field={fields.count} type="number" min={1} max={12} />
          </div>
          <RadioGroup legend="Repeat" options={REPEAT} field={fields.repeat} />
          <div className="form-row">
            <CheckboxGroup legend="Weekdays" options={WEEKDAYS} field={fields.weekday} />
            <TextField
              label="Days between visits"
              field={fields.everyDays}
              type="number"
              min={1}
              max={14}
              hint="For every few days: 2 is every other day."
            />
          </div>
        </fieldset>
        <SubmitButton name="intent" value="preview" pendingText="Previewing…">
          Preview
        </SubmitButton>
      </Form>
      {answer?.preview ? <ProposalForm preview={answer.preview} /> : null}
    </section>
  );
}
