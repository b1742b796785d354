import type { FormState } from "~/lib/forms";
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
  state,
  submitLabel,
}: {
  initial?: PatientFormValues;
  state?: FormState;
  submitLabel: string;
}) {
  const typed = state?.values;
  const value = (key: keyof PatientFormValues) => (typed ? typed[key] : (initial?.[key] as string | undefined));
  const list = (key: "diagnoses" | "riskFlags") => (typed ? (typed[key]?.split("\n") ?? []) : (initial?.[key] ?? []));
  const e = state?.errors ?? {};
  return (
    <Form method="post" noValidate className="card">
      <FormError message={state?.formError} />
      {state && Object.keys(e).length > 0 ? (
        <div className="alert alert-error" role="alert">
          Some answers need attention: see the messages below. Nothing was saved.
        </div>
      ) : null}
      <p className="hint">Synthetic demo data only: never enter a real person in a demo portal.</p>
      <div className="form-row">
        <TextField
          label="First name"
          name="firstName"
          defaultValue={value("firstName")}
          errors={e.firstName}
          required
          maxLength={80}
        />
        <TextField
          label="Last name"
          name="lastName"
          defaultValue={value("lastName")}
          errors={e.lastName}
          required
          maxLength={80}
        />
        <TextField
          label="Date of birth"
          name="dateOfBirth"
          type="date"
          defaultValue={value("dateOfBirth")}
          errors={e.dateOfBirth}
          required
        />
      </div>
      <div className="form-row">
        <SelectField
          label="Preferred clinic"
          name="preferredLocationId"
          options={CLINICS}
          placeholder="Choose a clinic"
          defaultValue={value("preferredLocationId") ?? ""}
          errors={e.preferredLocationId}
          required
        />
        <SelectField
          label="Insurance or coverage"
          name="insurance"
          options={INSURANCES.map((i) => ({ value: i, label: i }))}
          placeholder="Choose coverage"
          defaultValue={value("insurance") ?? ""}
          errors={e.insurance}
          required
        />
      </div>
      <CheckboxGroup
        legend="Diagnoses"
        name="diagnoses"
        options={DIAGNOSES}
        checked={list("diagnoses")}
        errors={e.diagnoses}
      />
      <CheckboxGroup
        legend="Risk flags"
        name="riskFlags"
        options={RISK_FLAGS}
        checked={list("riskFlags")}
        errors={e.riskFlags}
        hint="Neither excludes a patient; each asks the team to coordinate with the outside providers."
      />
      <SubmitButton pendingText="Saving…">{submitLabel}</SubmitButton>
    </Form>
  );
}
