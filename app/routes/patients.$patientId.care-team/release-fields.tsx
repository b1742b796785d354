import { CheckboxGroup, TextField } from "~/components/form";
import type { FormState } from "~/lib/forms";
import { RELEASE_SCOPES } from "~/modules/patients/labels";

/** A new release shares everything unless the coordinator unticks a scope. */
const ALL_SCOPES = ["care_coordination", "infusion_schedule", "care_notes", "symptom_measures"];

export function ReleaseFields({ state, idPrefix }: { state?: FormState; idPrefix: string }) {
  return (
    <>
      <div className="form-row">
        <TextField
          label="Date signed"
          name="signedOn"
          type="date"
          defaultValue={state?.values.signedOn}
          errors={state?.errors.signedOn}
          id={`${idPrefix}-signed`}
        />
        <TextField
          label="Expires on"
          name="expiresOn"
          type="date"
          defaultValue={state?.values.expiresOn}
          errors={state?.errors.expiresOn}
          id={`${idPrefix}-expires`}
        />
      </div>
      <CheckboxGroup
        legend="The release allows sharing"
        name="scope"
        options={RELEASE_SCOPES}
        checked={state?.values.scope?.split("\n") ?? ALL_SCOPES}
        errors={state?.errors.scope}
      />
    </>
  );
}
