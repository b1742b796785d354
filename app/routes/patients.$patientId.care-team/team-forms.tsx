import { Form, FormError, SelectField, SubmitButton, TextField } from "~/components/form";
import type { IntentState } from "~/lib/intent-state";
import { TEAM_ROLES } from "~/modules/patients/labels";
import { ReleaseFields } from "./release-fields";
import type { CareTeamData } from "./types";
import { ROLE_LABELS } from "~/lib/roles";

export function AddProviderForm({ addable, state }: { addable: CareTeamData["addable"]; state?: IntentState }) {
  return (
    <section className="card" aria-labelledby="add-title">
      <h2 id="add-title">Add an existing provider</h2>
      <Form method="post" noValidate>
        <FormError message={state?.formError} />
        <input type="hidden" name="intent" value="add" />
        {addable.length === 0 ? (
          <p className="muted">Every provider with an account is already on this team: invite a new one.</p>
        ) : null}
        <SelectField
          label="Provider"
          name="providerId"
          placeholder="Choose a provider"
          options={addable.map((p) => ({
            value: p.id,
            label: `${p.name} — ${ROLE_LABELS[p.role]}${p.organisation ? `, ${p.organisation}` : ""}`,
          }))}
          defaultValue={state?.values.providerId ?? ""}
          errors={state?.errors.providerId}
        />
        <SelectField
          label="Role on the team"
          name="teamRole"
          options={TEAM_ROLES}
          placeholder="Choose a role"
          defaultValue={state?.values.teamRole ?? ""}
          errors={state?.errors.teamRole}
        />
        <SubmitButton>Add to care team</SubmitButton>
      </Form>
    </section>
  );
}

export function InviteProviderForm({ state }: { state?: IntentState }) {
  return (
    <section className="card" aria-labelledby="invite-title">
      <h2 id="invite-title">Invite a new provider</h2>
      <Form method="post" noValidate>
        <FormError message={state?.formError} />
        <input type="hidden" name="intent" value="invite" />
        <TextField
          label="Provider's email"
          name="email"
          type="email"
          defaultValue={state?.values.email}
          errors={state?.errors.email}
        />
        <SelectField
          label="They are a"
          name="providerRole"
          options={[
            { value: "therapist", label: "Therapist" },
            { value: "psychiatrist", label: "Psychiatrist or psychiatric NP" },
          ]}
          placeholder="Choose"
          defaultValue={state?.values.providerRole ?? ""}
          errors={state?.errors.providerRole}
        />
        <SelectField
          label="Role on the team"
          name="teamRole"
          options={TEAM_ROLES}
          placeholder="Choose a role"
          defaultValue={state?.values.teamRole ?? ""}
          errors={state?.errors.teamRole}
        />
        <fieldset className="field">
          <legend>Release of information naming this provider (if the patient has signed one)</legend>
          <ReleaseFields state={state} idPrefix="invite" />
        </fieldset>
        <SubmitButton>Send invitation</SubmitButton>
      </Form>
    </section>
  );
}
