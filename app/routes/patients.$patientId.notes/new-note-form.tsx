import { useState } from "react";
import { Form, FormError, SelectField, SubmitButton, TextAreaField } from "~/components/form";
import { Alert } from "~/components/ui";
import type { FormState } from "~/lib/forms";
import { NOTE_KIND_LABELS, NOTE_KINDS, NOTE_MAX_LENGTH } from "~/modules/notes/labels";

export function NewNoteForm({
  role,
  state,
  hasPsychiatrist,
}: {
  role: string;
  state?: FormState;
  hasPsychiatrist: boolean;
}) {
  const [kind, setKind] = useState(state?.values.kind ?? "");
  const kinds = NOTE_KINDS.filter((k) => k !== "infusion_summary" || role === "clinician");
  return (
    <section className="card" aria-labelledby="new-note-title">
      <h2 id="new-note-title">Write a note</h2>
      <FormError message={state?.formError} />
      <Form method="post" noValidate>
        <input type="hidden" name="intent" value="post" />
        <SelectField
          label="Kind of note"
          name="kind"
          options={kinds.map((k) => ({ value: k, label: NOTE_KIND_LABELS[k] }))}
          placeholder="Choose"
          defaultValue={state?.values.kind ?? ""}
          onChange={(e) => setKind(e.currentTarget.value)}
          errors={state?.errors.kind}
          hint="A therapy session summary is a summary for the team only: psychotherapy notes do not belong here. A safety concern notifies the Ember clinicians, the whole team and the coordinators at once."
        />
        {kind === "safety_concern" ? (
          <Alert kind="warning">
            A safety concern emails the Ember clinicians, every care-team member and the coordinators now. In an
            emergency, call 911 or 988 first.
          </Alert>
        ) : null}
        <TextAreaField
          label="Note"
          name="body"
          rows={8}
          maxLength={NOTE_MAX_LENGTH}
          defaultValue={state?.values.body}
          errors={state?.errors.body}
          hint="Plain text. Posted notes cannot be edited or deleted; correct them with an addendum."
        />
        <div className="field">
          <label className="check">
            <input
              type="checkbox"
              name="requestReview"
              value="yes"
              defaultChecked={state?.values.requestReview === "yes"}
            />{" "}
            Ask the patient&apos;s psychiatrist to review and sign off (infusion summaries always are)
          </label>
          {!hasPsychiatrist ? (
            <p className="hint">No psychiatrist with access is on this care team yet: a coordinator can add one.</p>
          ) : null}
        </div>
        <SubmitButton pendingText="Posting…">Post note</SubmitButton>
      </Form>
    </section>
  );
}
