import type { FieldMetadata } from "@conform-to/react";
import { CheckboxGroup, TextField } from "~/components/form";
import { RELEASE_SCOPES } from "~/modules/patients/labels";

/** A new release shares everything unless the coordinator unticks a scope. */
export const ALL_SCOPES = ["care_coordination", "infusion_schedule", "care_notes", "symptom_measures"];

type Field = FieldMetadata<any, any, string[]>;

/** The dates and scopes of a release, in a form that checks on submit only (its boxes would untick on a blur check). */
export function ReleaseFields({ fields }: { fields: { signedOn: Field; expiresOn: Field; scope: Field } }) {
  return (
    <>
      <div className="form-row">
        <TextField label="Date signed" field={fields.signedOn} type="date" />
        <TextField label="Expires on" field={fields.expiresOn} type="date" />
      </div>
      <CheckboxGroup legend="The release allows sharing" field={fields.scope} options={RELEASE_SCOPES} />
    </>
  );
}
