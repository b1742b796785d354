import { getFormProps, useForm } from "@conform-to/react";
import type { z } from "zod";
import { Form, FormError, SelectField, SubmitButton, TextField } from "~/components/form";
import { resultFor } from "~/lib/form-answer";
import type { addMemberSchema, inviteMemberSchema, releaseFieldsSchema } from "~/modules/patients/forms.server";
import { TEAM_ROLES } from "~/modules/patients/labels";
import type { CareTeamAnswer } from "./actions.server";
import { ALL_SCOPES, ReleaseFields } from "./release-fields";
import type { CareTeamData } from "./types";
import { ROLE_LABELS } from "~/lib/roles";

type AddFields = z.input<typeof addMemberSchema> & z.input<ReturnType<typeof releaseFieldsSchema>>;

export function AddProviderForm({ addable, answer }: { addable: CareTeamData["addable"]; answer: CareTeamAnswer }) {
  const [form, fields] = useForm<AddFields>({
    id: "add-member",
    lastResult: resultFor(answer, "add"),
    defaultValue: { scope: ALL_SCOPES },
    // Checked on submit only: an answer to a check on blur, arriving after a box was ticked, would untick it.
  });
  return (
    <section className="card" aria-labelledby="add-title">
      <h2 id="add-title">Add an existing provider</h2>
      <Form method="post" {...getFormProps(form)}>
        <FormError form={form} />
        <input type="hidden" name="intent" value="add" />
        {addable.length === 0 ? (
          <p className="muted">Every provider with an account is already on this team: invite a new one.</p>
        ) : null}
        <SelectField
          label="Provider"
          field={fields.providerId}
          placeholder="Choose a provider"
          options={addable.map((p) => ({
            value: p.id,
            label: `${p.name} — ${ROLE_LABELS[p.role]}${p.organisation ? `, ${p.organisation}` : ""}`,
          }))}
        />
        <SelectField
          label="Role on the team"
          field={fields.teamRole}
          options={TEAM_ROLES}
          placeholder="Choose a role"
        />
        <fieldset className="field">
          <legend>Release of information naming this provider (if the patient has signed one)</legend>
          <ReleaseFields fields={fields} />
        </fieldset>
        <SubmitButton>Add to care team</SubmitButton>
      </Form>
    </section>
  );
}

type InviteFields = z.input<typeof inviteMemberSchema> & z.input<ReturnType<typeof releaseFieldsSchema>>;

export function InviteProviderForm({ answer }: { answer: CareTeamAnswer }) {
  const [form, fields] = useForm<InviteFields>({
    id: "invite-member",
    lastResult: resultFor(answer, "invite"),
    defaultValue: { scope: ALL_SCOPES },
    // Checked on submit only: an answer to a check on blur, arriving after a box was ticked, would untick it.
  });
  return (
    <section className="card" aria-labelledby="invite-title">
      <h2 id="invite-title">Invite a new provider</h2>
      <Form method="post" {...getFormProps(form)}>
        <FormError form={form} />
        <input type="hidden" name="intent" value="invite" />
        <TextField label="Provider's email" field={fields.email} type="email" />
        <SelectField
          label="They are a"
          field={fields.providerRole}
          options={[
            { value: "therapist", label: "Therapist" },
            { value: "psychiatrist", label: "Psychiatrist or psychiatric NP" },
          ]}
          placeholder="Choose"
        />
        <SelectField
          label="Role on the team"
          field={fields.teamRole}
          options={TEAM_ROLES}
          placeholder="Choose a role"
        />
        <fieldset className="field">
          <legend>Release of information naming this provider (if the patient has signed one)</legend>
          <ReleaseFields fields={fields} />
        </fieldset>
        <SubmitButton>Send invitation</SubmitButton>
      </Form>
    </section>
  );
}
