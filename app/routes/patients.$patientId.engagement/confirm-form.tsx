import { getFormProps, getInputProps, useForm, type SubmissionResult } from "@conform-to/react";
import type { z } from "zod";
import { Form, FormError, SelectField, SubmitButton, TextField } from "~/components/form";
import type { engagementSchema } from "~/modules/engagement/forms.server";
import {
  CADENCE_LABELS,
  DEPRESSION_COMORBIDITIES,
  DEPRESSION_LABELS,
  SESSION_CADENCES,
  THERAPY_LABELS,
  TRAUMA_THERAPIES,
} from "~/modules/engagement/labels";
import type { EngagementData } from "./types";

const options = <T extends string>(values: readonly T[], labels: Record<T, string>) =>
  values.map((v) => ({ value: v, label: labels[v] }));

/** An outside provider signs (or renews) that they actively treat the patient. */
export function ConfirmForm({
  renewing,
  validDays,
  me,
  lastResult,
}: {
  renewing: boolean;
  validDays: number;
  me: EngagementData["me"];
  lastResult?: SubmissionResult | null;
}) {
  const [form, fields] = useForm<z.input<ReturnType<typeof engagementSchema>>>({
    id: "confirm-engagement",
    lastResult,
    shouldValidate: "onBlur",
  });
  return (
    <section className="card" aria-labelledby="confirm-title">
      <h2 id="confirm-title">
        {renewing ? "Renew your engagement confirmation" : "Confirm that you actively treat this patient"}
      </h2>
      <p className="muted">A confirmation is valid for {validDays} days. Dates cannot be in the future.</p>
      <FormError form={form} />
      {form.status === "error" && Object.keys(form.allErrors).length > 0 ? (
        <div className="alert alert-error" role="alert">
          Some answers need attention: see the messages below. Nothing was saved.
        </div>
      ) : null}
      <Form method="post" {...getFormProps(form)} noValidate>
        <div className="form-row">
          <TextField label="Treatment start date" field={fields.treatmentStartedOn} type="date" required />
          <TextField label="Date of the most recent session" field={fields.lastSessionOn} type="date" required />
          <SelectField
            label="How often you see the patient"
            field={fields.cadence}
            options={options(SESSION_CADENCES, CADENCE_LABELS)}
            placeholder="Choose"
            required
          />
        </div>
        <div className="form-row">
          <SelectField
            label="Do you confirm the PTSD diagnosis?"
            field={fields.ptsdConfirmed}
            options={[
              { value: "yes", label: "Yes, PTSD is confirmed" },
              { value: "no", label: "No" },
            ]}
            placeholder="Choose"
            required
          />
          <SelectField
            label="Depression comorbidity"
            field={fields.depression}
            options={options(DEPRESSION_COMORBIDITIES, DEPRESSION_LABELS)}
            placeholder="Choose"
            required
          />
        </div>
        <div className="form-row">
          <SelectField
            label="Trauma-focused therapy"
            field={fields.traumaTherapy}
            options={options(TRAUMA_THERAPIES, THERAPY_LABELS)}
            placeholder="Choose"
            required
          />
          <TextField
            label="Sessions held so far"
            field={fields.sessionsHeld}
            type="number"
            min={0}
            max={500}
            inputMode="numeric"
            required
          />
        </div>
        <div className="field">
          <label className="check">
            <input
              {...getInputProps(fields.agreesToCoordinate, {
                type: "checkbox",
                value: "yes",
                ariaAttributes: false,
              })}
              key={fields.agreesToCoordinate.key}
              aria-describedby={fields.agreesToCoordinate.errors ? fields.agreesToCoordinate.errorId : undefined}
            />{" "}
            I agree to coordinate this patient's care with Ember Health.
          </label>
          {fields.agreesToCoordinate.errors ? (
            <p className="field-error" id={fields.agreesToCoordinate.errorId}>
              {fields.agreesToCoordinate.errors.join(" ")}
            </p>
          ) : null}
        </div>
        <TextField
          label="Electronic signature: type your full name"
          field={fields.signature}
          autoComplete="off"
          hint={`Signing as ${me.name}${me.licence_type ? `, ${me.licence_type} ${me.licence_number} (${me.licence_state}), NPI ${me.npi}` : ""}.`}
          required
        />
        <SubmitButton pendingText="Signing…">Sign and confirm engagement</SubmitButton>
      </Form>
    </section>
  );
}
