import { getFormProps, useForm } from "@conform-to/react";
import type { z } from "zod";
import { resultFor } from "~/lib/form-answer";
import { Form, FormError, SelectField, SubmitButton, TextField } from "~/components/form";
import { TRAUMA_MODALITIES, modalityWithProtocol, OTHER_THERAPY_LABEL } from "~/lib/therapies";
import type { sessionSchema } from "~/modules/infusions/forms.server";
import type { InfusionAnswer } from "./actions.server";
import { OutsideWindowQuestion } from "./outside-window";
import type { InfusionsData } from "./types";

const MODALITY = [
  ...TRAUMA_MODALITIES.map((value) => ({ value, label: modalityWithProtocol(value) })),
  { value: "other", label: OTHER_THERAPY_LABEL },
];

/**
 * An outside provider plans a trauma-focused session, ideally inside a therapy window. From "Plan
 * one" the form comes filled for that window: a time in it, their modality, the next session number.
 */
export function SessionForm({ answer, prefill }: { answer: InfusionAnswer; prefill: InfusionsData["prefill"] }) {
  const [form, fields] = useForm<z.input<typeof sessionSchema>>({
    id: "plan-session",
    lastResult: resultFor(answer, "plan-session"),
    defaultValue: prefill ?? undefined,
    // The "plan it anyway" checkbox is asked on submit, never on blur.
    shouldValidate: "onSubmit",
  });
  return (
    <section className="card" aria-labelledby="plan-title">
      <h2 id="plan-title">Plan a therapy session</h2>
      {prefill ? (
        <p className="muted">Filled in for the window you chose: check the details, then plan the session.</p>
      ) : null}
      <Form method="post" {...getFormProps(form)}>
        <FormError form={form} />
        <input type="hidden" name="intent" value="plan-session" />
        <div className="form-row">
          <TextField label="Date and time (New York time)" field={fields.startsAt} type="datetime-local" />
          <SelectField label="Modality" field={fields.modality} options={MODALITY} placeholder="Choose" />
        </div>
        <div className="form-row">
          <TextField
            label="Session number in the protocol"
            field={fields.protocolNumber}
            type="number"
            min={1}
            max={50}
            hint="For example 2 for WET 2 of 5."
          />
          <TextField label="Sessions in the protocol" field={fields.protocolTotal} type="number" min={1} max={50} />
          <SelectField
            label="Where"
            field={fields.mode}
            options={[
              { value: "in_person", label: "In person" },
              { value: "telehealth", label: "Telehealth" },
            ]}
            placeholder="Choose"
          />
        </div>
        <OutsideWindowQuestion field={fields.outsideWindow} />
        <SubmitButton>Plan session</SubmitButton>
      </Form>
    </section>
  );
}
