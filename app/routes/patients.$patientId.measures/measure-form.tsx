import { getFormProps, useForm, type SubmissionResult } from "@conform-to/react";
import { Form, FormError, SelectField, SubmitButton, TextField } from "~/components/form";
import { PCL5_ANSWERS, PCL5_ITEMS, PHQ9_ANSWERS, PHQ9_ITEMS } from "~/modules/measures/items";
import { INSTRUMENTS, type Instrument } from "~/modules/measures/scoring";
import type { MeasureAnswer } from "./actions.server";

/** The date and every item as the form holds them: text, until the schema reads the scores. */
type Fields = Record<string, string>;

export function MeasureForm({
  instrument,
  answer,
  today,
}: {
  instrument: Instrument;
  answer: MeasureAnswer;
  today: string;
}) {
  const lastResult = answer?.intent === instrument ? (answer.result as SubmissionResult<string[]>) : undefined;
  const [form, fields] = useForm<Fields>({
    id: `record-${instrument.toLowerCase()}`,
    lastResult,
    defaultValue: { takenOn: today },
    shouldValidate: "onBlur",
  });
  const items = instrument === "PHQ9" ? PHQ9_ITEMS : PCL5_ITEMS;
  const answers = instrument === "PHQ9" ? PHQ9_ANSWERS : PCL5_ANSWERS;
  const label = INSTRUMENTS[instrument].label;
  const refused = lastResult?.status === "error" && Object.keys(lastResult.error ?? {}).some((name) => name !== "");
  return (
    <details className="card" open={Boolean(lastResult)}>
      <summary>
        <strong>Record a {label}</strong>
      </summary>
      <Form method="post" {...getFormProps(form)} aria-label={`Record a ${label}`}>
        <input type="hidden" name="intent" value={instrument} />
        <FormError form={form} />
        {refused ? (
          <div className="alert alert-error" role="alert">
            Every item needs an answer: see the messages below. Nothing was saved.
          </div>
        ) : null}
        <TextField label="Date taken" field={fields.takenOn!} type="date" max={today} />
        <div className="item-grid">
          {items.map((text, i) => (
            <SelectField
              key={i}
              label={`${i + 1}. ${text}`}
              field={fields[`item${i + 1}`]!}
              options={answers.map((a, value) => ({ value: String(value), label: a }))}
              placeholder="Choose"
            />
          ))}
        </div>
        <p className="hint">The total, band and clusters are computed when you save.</p>
        <SubmitButton>Save {label}</SubmitButton>
      </Form>
    </details>
  );
}
