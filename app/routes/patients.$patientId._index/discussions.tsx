import { getFormProps, useForm, type SubmissionResult } from "@conform-to/react";
import type { z } from "zod";
import { Form, FormError, SubmitButton, TextAreaField, TextField } from "~/components/form";
import { formatDate } from "~/lib/time";
import type { discussionSchema } from "~/modules/engagement/forms.server";
import type { OverviewData } from "./types";

/** The mixed-evidence discussions on file; a clinician records a new one here. */
export function Discussions({
  discussions,
  clinician,
  lastResult,
}: {
  discussions: OverviewData["discussions"];
  clinician: boolean;
  lastResult?: SubmissionResult | null;
}) {
  return (
    <section className="card" aria-labelledby="discussions-title">
      <h2 id="discussions-title">Mixed-evidence discussions</h2>
      {discussions.length === 0 ? <p className="muted">None recorded.</p> : null}
      <ul>
        {discussions.map((d) => (
          <li key={d.id}>
            {formatDate(d.discussed_on)} — {d.clinician_name}: <span className="note-text">{d.note}</span>
          </li>
        ))}
      </ul>
      {clinician ? <DiscussionForm lastResult={lastResult} /> : null}
    </section>
  );
}

function DiscussionForm({ lastResult }: { lastResult?: SubmissionResult | null }) {
  const [form, fields] = useForm<z.input<ReturnType<typeof discussionSchema>>>({
    id: "eligibility-discussion",
    lastResult,
    shouldValidate: "onBlur",
  });
  return (
    <Form method="post" {...getFormProps(form)} noValidate>
      <FormError form={form} />
      <div className="form-row">
        <TextField label="Date of the discussion" field={fields.discussedOn} type="date" required />
      </div>
      <TextAreaField label="What was discussed" field={fields.note} maxLength={4000} required />
      <SubmitButton>Record the discussion</SubmitButton>
    </Form>
  );
}
