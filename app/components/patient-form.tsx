import { getFormProps, useForm, type SubmissionResult } from "@conform-to/react";
import { CheckboxGroup, Form, FormError, SelectField, SubmitButton, TextField } from "./form";
import { DIAGNOSES, INSURANCES, RISK_FLAGS } from "~/modules/patients/labels";

export const CLINICS = [
  { value: "brooklyn-heights", label: "Brooklyn Heights" },
  { value: "chelsea", label: "Chelsea" },
  { value: "tribeca", label: "Tribeca" },
  { value: "upper-east-side", label: "Upper East Side" },
  { value: "williamsburg", label: "Williamsburg" },
] as const;

export interface PatientFormValues {
  firstName: string;
  lastName: string;
  dateOfBirth: string;
  preferredLocationId: string;
  insurance: string;
  diagnoses: string[];
  riskFlags: string[];
}

/** Create and edit share one form; what was typed comes back with the errors. */
export function PatientForm({
  initial,
  lastResult,
  submitLabel,
}: {
  initial?: PatientFormValues;
  lastResult?: SubmissionResult | null;
  submitLabel: string;
}) {
  const [form, fields] = useForm<PatientFormValues>({
    id: "patient",
    lastResult,
    shouldValidate: "onBlur",
    defaultValue: initial,
  });
  return (
    <Form method="post" {...getFormProps(form)} noValidate className="card">
      <FormError form={form} />
      {form.status === "error" && Object.keys(form.allErrors).length > 0 ? (
        <div className="alert alert-error" role="alert">
          Some answers need attention: see the messages below. Nothing was saved.
        </div>
      ) : null}
      <p className="hint">Synthetic demo data only: never enter a real person in a demo portal.</p>
      <div className="form-row">
        <TextField label="First name" field={fields.firstName} required maxLength={80} />
        <TextField label="Last name" field={fields.lastName} required maxLength={80} />
        <TextField label="Date of birth" field={fields.dateOfBirth} type="date" required />
      </div>
      <div className="form-row">
        <SelectField
          label="Preferred clinic"
          field={fields.preferredLocationId}
          options={CLINICS}
          placeholder="Choose a clinic"
          required
        />
        <SelectField
          label="Insurance or coverage"
          field={fields.insurance}
          options={INSURANCES.map((i) => ({ value: i, label: i }))}
          placeholder="Choose coverage"
          required
        />
      </div>
      <CheckboxGroup legend="Diagnoses" field={fields.diagnoses} options={DIAGNOSES} />
      <CheckboxGroup
        legend="Risk flags"
        field={fields.riskFlags}
        options={RISK_FLAGS}
        hint="Neither excludes a patient; each asks the team to coordinate with the outside providers."
      />
      <SubmitButton pendingText="Saving…">{submitLabel}</SubmitButton>
    </Form>
  );
}
