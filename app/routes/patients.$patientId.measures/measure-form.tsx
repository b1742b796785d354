import { getFormProps, useForm, type SubmissionResult } from "@conform-to/react";
import { useEffect, useState, type KeyboardEvent } from "react";
import { Form, FormError, RadioGroup, SubmitButton, TextField } from "~/components/form";
import { PCL5_ANSWERS, PCL5_ITEMS, PHQ9_ANSWERS, PHQ9_ITEMS } from "~/modules/measures/items";
import { INSTRUMENTS, type Instrument } from "~/modules/measures/scoring";
import type { MeasureAnswer } from "./actions.server";

/** The date and every item as the form holds them: text, until the schema reads the scores. */
type Fields = Record<string, string>;

/**
 * Typing a score's number on an item answers it and moves to the next item (the save button
 * after the last), so a keyboard fills a PHQ-9 in nine keystrokes; arrows and Tab work as ever.
 */
function answerByNumber(event: KeyboardEvent<HTMLFormElement>, max: number) {
  const radio = event.target as HTMLElement;
  if (!(radio instanceof HTMLInputElement) || radio.type !== "radio" || !/^item\d+$/.test(radio.name)) return;
  if (!/^\d$/.test(event.key) || Number(event.key) > max || event.altKey || event.ctrlKey || event.metaKey) return;
  event.preventDefault();
  const group = radio.closest("fieldset")!;
  group.querySelector<HTMLInputElement>(`input[value="${event.key}"]`)!.click();
  const next = group.nextElementSibling;
  const target = next
    ? (next.querySelector<HTMLInputElement>("input:checked") ?? next.querySelector<HTMLInputElement>("input"))
    : event.currentTarget.querySelector<HTMLButtonElement>("button[type=submit]");
  target?.focus();
}

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
    // Radios blur as the arrow keys move through them: checked on blur, an item would be sent to
    // the server half-answered at every step. The whole form is checked when it is saved.
    shouldValidate: "onSubmit",
  });
  // The running total needs the browser to add it up as items are answered; without JavaScript it
  // shows once the form comes back refused, and the saved score's row shows the total.
  const [enhanced, setEnhanced] = useState(false);
  useEffect(() => setEnhanced(true), []);
  const items = instrument === "PHQ9" ? PHQ9_ITEMS : PCL5_ITEMS;
  const answers = instrument === "PHQ9" ? PHQ9_ANSWERS : PCL5_ANSWERS;
  const { label, max } = INSTRUMENTS[instrument];
  const values = items.map((_, i) => fields[`item${i + 1}`]!.value);
  const answered = values.filter((v) => typeof v === "string" && v !== "");
  const refused = lastResult?.status === "error" && Object.keys(lastResult.error ?? {}).some((name) => name !== "");
  return (
    <details className="card" open={Boolean(lastResult)}>
      <summary>
        <strong>Record a {label}</strong>
      </summary>
      <Form
        method="post"
        {...getFormProps(form)}
        aria-label={`Record a ${label}`}
        onKeyDown={(event) => answerByNumber(event, max)}
      >
        <input type="hidden" name="intent" value={instrument} />
        <FormError form={form} />
        {refused ? (
          <div className="alert alert-error" role="alert">
            Every item needs an answer: see the messages below. Nothing was saved.
          </div>
        ) : null}
        <TextField label="Date taken" field={fields.takenOn!} type="date" max={today} />
        <p className="hint">
          Arrow keys choose within an item and Tab moves to the next
          {enhanced ? `; or type the score (0 to ${max}) to answer and move on` : ""}.
        </p>
        <div className="scale-items">
          {items.map((text, i) => (
            <RadioGroup
              key={i}
              scale
              legend={`${i + 1}. ${text}`}
              field={fields[`item${i + 1}`]!}
              options={answers.map((a, value) => ({ value: String(value), label: a }))}
            />
          ))}
        </div>
        {enhanced || lastResult ? (
          <p className="running-total" role="status" data-testid={`${instrument}-total`}>
            Total so far: {answered.reduce((sum, v) => sum + Number(v), 0)} / {max * items.length} · {answered.length}{" "}
            of {items.length} answered
          </p>
        ) : (
          <p className="hint">The total, band and clusters are computed when you save.</p>
        )}
        <SubmitButton>Save {label}</SubmitButton>
      </Form>
    </details>
  );
}
