import { getFormProps, useForm, type SubmissionResult } from "@conform-to/react";
import type { z } from "zod";
import { Form, FormError, SubmitButton, TextField } from "~/components/form";
import { formatDate } from "~/lib/time";
import type { intakeSchema } from "~/modules/engagement/forms.server";
import type { EngagementData } from "./types";

/** Intakes given but not yet confirmed held: provisional, and said to be. */
export function ProvisionalIntakes({ intakes }: { intakes: EngagementData["intakes"] }) {
  if (intakes.length === 0) return null;
  return (
    <section className="card" aria-labelledby="intakes-title">
      <h2 id="intakes-title">Intake scheduled (provisional)</h2>
      <ul>
        {intakes.map((i) => (
          <li key={i.id}>
            {i.provider_name}: intake scheduled on {formatDate(i.scheduled_on)}. Provisional: infusions cannot be booked
            on it until they confirm engagement after the first session held.
          </li>
        ))}
      </ul>
    </section>
  );
}

/** A provider who accepted the referral gives the intake date before the first session. */
export function IntakeForm({ lastResult }: { lastResult?: SubmissionResult | null }) {
  const [form, fields] = useForm<z.input<ReturnType<typeof intakeSchema>>>({
    id: "schedule-intake",
    lastResult,
    shouldValidate: "onBlur",
  });
  return (
    <section className="card" aria-labelledby="intake-title">
      <h2 id="intake-title">Not seen the patient yet? Give the intake date</h2>
      <p className="muted">
        Provisional: it tells Ember the referral is moving, but infusions can be booked only once you confirm engagement
        after the first session held.
      </p>
      <Form method="post" {...getFormProps(form)} noValidate>
        <FormError form={form} />
        <input type="hidden" name="intent" value="intake" />
        <TextField label="Intake scheduled on" field={fields.scheduledOn} type="date" required />
        <SubmitButton className="button button-secondary">Confirm the intake date</SubmitButton>
      </Form>
    </section>
  );
}
