import { getFormProps, getInputProps, useForm, type SubmissionResult } from "@conform-to/react";
import { CheckboxGroup, Form, FormError, SubmitButton, TextField } from "./form";
import { BOROUGHS, LANGUAGES, MODALITIES, PROFILE_INSURANCES, TIMES, WEEKDAYS } from "~/modules/referrals/labels";

export interface ProfileValues {
  modalities: string[] | null;
  certified_modalities: string[] | null;
  licence_states: string[] | null;
  boroughs: string[] | null;
  practice_address: string | null;
  telehealth: boolean | null;
  insurances: string[] | null;
  languages: string[] | null;
  accepting_new: boolean | null;
  open_slots_per_week: number | null;
}

const options = (values: readonly string[]) => values.map((v) => ({ value: v, label: v }));

/** The directory profile a provider keeps (and a coordinator may edit); what was typed returns with errors. */
export function ProfileForm({
  profile,
  days,
  times,
  lastResult,
}: {
  profile: ProfileValues;
  days: string[];
  times: string[];
  lastResult?: SubmissionResult | null;
}) {
  const [form, fields] = useForm({
    id: "directory-profile",
    lastResult,
    shouldValidate: "onBlur",
    defaultValue: {
      modalities: profile.modalities ?? [],
      certifiedModalities: profile.certified_modalities ?? [],
      licenceStates: (profile.licence_states ?? []).join(", "),
      boroughs: profile.boroughs ?? [],
      practiceAddress: profile.practice_address ?? "",
      telehealth: profile.telehealth ? "yes" : undefined,
      insurances: profile.insurances ?? [],
      languages: profile.languages ?? ["English"],
      acceptingNew: profile.accepting_new ? "yes" : undefined,
      openSlotsPerWeek: String(profile.open_slots_per_week ?? 0),
      availableDays: days,
      availableTimes: times,
    },
  });
  return (
    <Form method="post" {...getFormProps(form)} noValidate className="card">
      <FormError form={form} />
      {form.status === "error" && Object.keys(form.allErrors).length ? (
        <div className="alert alert-error" role="alert">
          Some answers need attention: see the messages below. Nothing was saved.
        </div>
      ) : null}
      <CheckboxGroup
        legend="Trauma-focused modalities you are trained in"
        field={fields.modalities}
        options={MODALITIES}
      />
      <CheckboxGroup legend="Modalities you are certified in" field={fields.certifiedModalities} options={MODALITIES} />
      <TextField
        label="Other states you are licensed in"
        field={fields.licenceStates}
        hint="Two-letter codes, comma-separated. Your primary licence is on your account."
      />
      <CheckboxGroup legend="Boroughs you practise in" field={fields.boroughs} options={options(BOROUGHS)} />
      <TextField label="Practice address" field={fields.practiceAddress} />
      <div className="field">
        <label className="check">
          <input
            {...getInputProps(fields.telehealth, { type: "checkbox", value: "yes" })}
            key={fields.telehealth.key}
          />{" "}
          I offer telehealth
        </label>
      </div>
      <CheckboxGroup legend="Insurance accepted" field={fields.insurances} options={options(PROFILE_INSURANCES)} />
      <CheckboxGroup legend="Languages" field={fields.languages} options={options(LANGUAGES)} />
      <div className="field">
        <label className="check">
          <input
            {...getInputProps(fields.acceptingNew, { type: "checkbox", value: "yes" })}
            key={fields.acceptingNew.key}
          />{" "}
          Accepting new patients
        </label>
      </div>
      <TextField label="Open slots per week" field={fields.openSlotsPerWeek} type="number" min={0} max={60} />
      <CheckboxGroup legend="Days usually available" field={fields.availableDays} options={WEEKDAYS} />
      <CheckboxGroup legend="Times usually available" field={fields.availableTimes} options={TIMES} />
      <SubmitButton>Save profile</SubmitButton>
    </Form>
  );
}
