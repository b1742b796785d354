import { resultFor } from "~/lib/form-answer";
import { getFormProps, useForm } from "@conform-to/react";
import type { z } from "zod";
import type { medicationSchema } from "~/modules/medications/schema";
import { Form, FormError, SubmitButton, TextField } from "~/components/form";
import type { MedicationAnswer } from "./actions.server";

/** A new medication: emptied after a save (the page is loaded afresh), kept as typed when refused. */
export function AddMedicationForm({ answer }: { answer: MedicationAnswer }) {
  const [form, fields] = useForm<z.input<ReturnType<typeof medicationSchema>>>({
    id: "add-medication",
    lastResult: resultFor(answer, "add"),
    shouldValidate: "onBlur",
  });
  return (
    <section className="card" aria-labelledby="add-medication-title">
      <h2 id="add-medication-title">Add a medication</h2>
      <Form method="post" {...getFormProps(form)}>
        <FormError form={form} />
        <input type="hidden" name="intent" value="add" />
        <div className="field-row">
          <TextField label="Medication" field={fields.name} autoComplete="off" />
          <TextField
            label="Dose and how often"
            hint="For example 0.5 mg at night"
            field={fields.dose}
            autoComplete="off"
          />
        </div>
        <div className="field-row">
          <TextField label="Prescriber" field={fields.prescriber} autoComplete="off" />
          <TextField label="Started (if known)" field={fields.startedOn} type="date" />
        </div>
        <SubmitButton pendingText="Saving…">Add the medication</SubmitButton>
      </Form>
    </section>
  );
}
