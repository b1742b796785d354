import { Form, FormError, SelectField, SubmitButton, TextField } from "~/components/form";
import type { FormState } from "~/lib/forms";
import { PCL5_ANSWERS, PCL5_ITEMS, PHQ9_ANSWERS, PHQ9_ITEMS } from "~/modules/measures/items";
import { INSTRUMENTS, type Instrument } from "~/modules/measures/scoring";

export function MeasureForm({
  instrument,
  state,
  today,
}: {
  instrument: Instrument;
  state?: FormState;
  today: string;
}) {
  const items = instrument === "PHQ9" ? PHQ9_ITEMS : PCL5_ITEMS;
  const answers = instrument === "PHQ9" ? PHQ9_ANSWERS : PCL5_ANSWERS;
  const label = INSTRUMENTS[instrument].label;
  return (
    <details className="card" open={Boolean(state)}>
      <summary>
        <strong>Record a {label}</strong>
      </summary>
      <Form method="post" noValidate aria-label={`Record a ${label}`}>
        <input type="hidden" name="intent" value={instrument} />
        <FormError message={state?.formError} />
        {state && Object.keys(state.errors).length ? (
          <div className="alert alert-error" role="alert">
            Every item needs an answer: see the messages below. Nothing was saved.
          </div>
        ) : null}
        <TextField
          label="Date taken"
          name="takenOn"
          type="date"
          max={today}
          defaultValue={state?.values.takenOn ?? today}
          errors={state?.errors.takenOn}
        />
        <div className="item-grid">
          {items.map((text, i) => (
            <SelectField
              key={i}
              label={`${i + 1}. ${text}`}
              name={`item${i + 1}`}
              options={answers.map((a, value) => ({ value: String(value), label: a }))}
              placeholder="Choose"
              defaultValue={state?.values[`item${i + 1}`] ?? ""}
              errors={state?.errors[`item${i + 1}`]}
            />
          ))}
        </div>
        <p className="hint">The total, band and clusters are computed when you save.</p>
        <SubmitButton>Save {label}</SubmitButton>
      </Form>
    </details>
  );
}
