import type { FormState } from "~/lib/forms";
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
  state,
}: {
  profile: ProfileValues;
  days: string[];
  times: string[];
  state?: FormState;
}) {
  const typed = state?.values;
  const list = (key: string, saved: string[] | null) => (typed ? (typed[key]?.split("\n") ?? []) : (saved ?? []));
  const e = state?.errors ?? {};
  return (
    <Form method="post" noValidate className="card">
      <FormError message={state?.formError} />
      {state && Object.keys(e).length ? (
        <div className="alert alert-error" role="alert">
          Some answers need attention: see the messages below. Nothing was saved.
        </div>
      ) : null}
      <CheckboxGroup
        legend="Trauma-focused modalities you are trained in"
        name="modalities"
        options={MODALITIES}
        checked={list("modalities", profile.modalities)}
        errors={e.modalities}
      />
      <CheckboxGroup
        legend="Modalities you are certified in"
        name="certifiedModalities"
        options={MODALITIES}
        checked={list("certifiedModalities", profile.certified_modalities)}
        errors={e.certifiedModalities}
      />
      <TextField
        label="Other states you are licensed in"
        name="licenceStates"
        hint="Two-letter codes, comma-separated. Your primary licence is on your account."
        defaultValue={typed ? typed.licenceStates : (profile.licence_states ?? []).join(", ")}
        errors={e.licenceStates}
      />
      <CheckboxGroup
        legend="Boroughs you practise in"
        name="boroughs"
        options={options(BOROUGHS)}
        checked={list("boroughs", profile.boroughs)}
        errors={e.boroughs}
      />
      <TextField
        label="Practice address"
        name="practiceAddress"
        defaultValue={typed ? typed.practiceAddress : (profile.practice_address ?? "")}
        errors={e.practiceAddress}
      />
      <div className="field">
        <label className="check">
          <input
            type="checkbox"
            name="telehealth"
            value="yes"
            defaultChecked={typed ? typed.telehealth === "yes" : Boolean(profile.telehealth)}
          />{" "}
          I offer telehealth
        </label>
      </div>
      <CheckboxGroup
        legend="Insurance accepted"
        name="insurances"
        options={options(PROFILE_INSURANCES)}
        checked={list("insurances", profile.insurances)}
        errors={e.insurances}
      />
      <CheckboxGroup
        legend="Languages"
        name="languages"
        options={options(LANGUAGES)}
        checked={list("languages", profile.languages ?? ["English"])}
        errors={e.languages}
      />
      <div className="field">
        <label className="check">
          <input
            type="checkbox"
            name="acceptingNew"
            value="yes"
            defaultChecked={typed ? typed.acceptingNew === "yes" : Boolean(profile.accepting_new)}
          />{" "}
          Accepting new patients
        </label>
      </div>
      <TextField
        label="Open slots per week"
        name="openSlotsPerWeek"
        type="number"
        min={0}
        max={60}
        defaultValue={typed ? typed.openSlotsPerWeek : String(profile.open_slots_per_week ?? 0)}
        errors={e.openSlotsPerWeek}
      />
      <CheckboxGroup
        legend="Days usually available"
        name="availableDays"
        options={WEEKDAYS}
        checked={list("availableDays", days)}
        errors={e.availableDays}
      />
      <CheckboxGroup
        legend="Times usually available"
        name="availableTimes"
        options={TIMES}
        checked={list("availableTimes", times)}
        errors={e.availableTimes}
      />
      <SubmitButton>Save profile</SubmitButton>
    </Form>
  );
}
