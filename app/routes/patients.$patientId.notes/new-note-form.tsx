import { resultFor } from "~/lib/form-answer";
import { getFormProps, useForm } from "@conform-to/react";
import { useState } from "react";
import type { z } from "zod";
import { Form, FormError, SelectField, SubmitButton, TextAreaField } from "~/components/form";
import { Alert } from "~/components/ui";
import type { postNoteSchema } from "~/modules/notes/forms.server";
import type { NoteAnswer } from "./actions.server";
import { NOTE_KIND_LABELS, NOTE_KINDS, NOTE_MAX_LENGTH } from "~/modules/notes/labels";

export function NewNoteForm({
  role,
  answer,
  hasPsychiatrist,
}: {
  role: string;
  answer: NoteAnswer;
  hasPsychiatrist: boolean;
}) {
  const [form, fields] = useForm<z.input<typeof postNoteSchema>>({
    id: "post-note",
    lastResult: resultFor(answer, "post"),
    // Checked on submit only: an answer to a check on blur, arriving after the box was ticked, would untick it.
  });
  const [kind, setKind] = useState(fields.kind.initialValue ?? "");
  const kinds = NOTE_KINDS.filter((k) => k !== "infusion_summary" || role === "clinician");
  return (
    <section className="card" aria-labelledby="new-note-title">
      <h2 id="new-note-title">Write a note</h2>
      <FormError form={form} />
      <Form method="post" {...getFormProps(form)}>
        <input type="hidden" name="intent" value="post" />
        <SelectField
          label="Kind of note"
          field={fields.kind}
          options={kinds.map((k) => ({ value: k, label: NOTE_KIND_LABELS[k] }))}
          placeholder="Choose"
          onChange={(e) => setKind(e.currentTarget.value)}
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
          field={fields.body}
          rows={8}
          maxLength={NOTE_MAX_LENGTH}
          hint="Plain text. Posted notes cannot be edited or deleted; correct them with an addendum."
        />
        <div className="field">
          <label className="check">
            <input
              type="checkbox"
              name={fields.requestReview.name}
              value="yes"
              defaultChecked={fields.requestReview.initialValue === "yes"}
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
