import { Form, FormError, SelectField, SubmitButton, TextField } from "~/components/form";
import type { IntentState } from "~/lib/intent-state";
import { TRAUMA_MODALITIES, modalityWithProtocol, OTHER_THERAPY_LABEL } from "~/lib/therapies";

const MODALITY = [
  ...TRAUMA_MODALITIES.map((value) => ({ value, label: modalityWithProtocol(value) })),
  { value: "other", label: OTHER_THERAPY_LABEL },
];

/** An outside provider plans a trauma-focused session, ideally inside a therapy window. */
export function SessionForm({ state }: { state?: IntentState }) {
  return (
    <section className="card" aria-labelledby="plan-title">
      <h2 id="plan-title">Plan a therapy session</h2>
      <FormError message={state?.formError} />
      <Form method="post" noValidate>
        <input type="hidden" name="intent" value="plan-session" />
        <div className="form-row">
          <TextField
            label="Date and time (New York time)"
            name="startsAt"
            type="datetime-local"
            defaultValue={state?.values.startsAt}
            errors={state?.errors.startsAt}
          />
          <SelectField
            label="Modality"
            name="modality"
            options={MODALITY}
            placeholder="Choose"
            defaultValue={state?.values.modality ?? ""}
            errors={state?.errors.modality}
          />
        </div>
        <div className="form-row">
          <TextField
            label="Session number in the protocol"
            name="protocolNumber"
            type="number"
            min={1}
            max={50}
            defaultValue={state?.values.protocolNumber}
            errors={state?.errors.protocolNumber}
            hint="For example 2 for WET 2 of 5."
          />
          <TextField
            label="Sessions in the protocol"
            name="protocolTotal"
            type="number"
            min={1}
            max={50}
            defaultValue={state?.values.protocolTotal}
            errors={state?.errors.protocolTotal}
          />
          <SelectField
            label="Where"
            name="mode"
            options={[
              { value: "in_person", label: "In person" },
              { value: "telehealth", label: "Telehealth" },
            ]}
            placeholder="Choose"
            defaultValue={state?.values.mode ?? ""}
            errors={state?.errors.mode}
          />
        </div>
        <SubmitButton>Plan session</SubmitButton>
      </Form>
    </section>
  );
}
