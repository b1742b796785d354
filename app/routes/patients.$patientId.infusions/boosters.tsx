import { getFormProps, useForm } from "@conform-to/react";
import type { z } from "zod";
import { resultFor } from "~/lib/form-answer";
import { Form, FormError, SelectField, SubmitButton, TextField } from "~/components/form";
import { When } from "~/components/time";
import { Alert } from "~/components/ui";
import type { boosterDecisionSchema } from "~/modules/infusions/forms.server";
import { BOOSTER_DECISIONS, BOOSTER_REVIEW_REASONS } from "~/modules/infusions/labels";
import type { InfusionAnswer } from "./actions.server";
import type { InfusionsData } from "./types";

/** Open booster reviews; a clinician records the decision on each. */
export function BoosterReviews({
  boosters,
  clinician,
  answer,
}: {
  boosters: InfusionsData["boosters"];
  clinician: boolean;
  answer: InfusionAnswer;
}) {
  return boosters.map((b) => (
    <Alert key={b.id} kind="warning">
      <strong>Booster review due</strong> between {b.due_from} and {b.due_to} ({BOOSTER_REVIEW_REASONS[b.reason]}).
      {clinician ? <BoosterDecisionForm reviewId={b.id} answer={answer} /> : null}
    </Alert>
  ));
}

function BoosterDecisionForm({ reviewId, answer }: { reviewId: string; answer: InfusionAnswer }) {
  const [form, fields] = useForm<z.input<typeof boosterDecisionSchema>>({
    id: `booster-decision-${reviewId}`,
    lastResult: resultFor(answer, "booster-decision", reviewId),
    shouldValidate: "onBlur",
  });
  return (
    <Form method="post" {...getFormProps(form)} aria-label="Record the booster decision">
      <FormError form={form} />
      <input type="hidden" name="intent" value="booster-decision" />
      <input type="hidden" name="reviewId" value={reviewId} />
      <div className="form-row">
        <SelectField label="Decision" field={fields.decision} options={BOOSTER_DECISIONS} placeholder="Choose" />
        <TextField label="Note for the team" field={fields.note} />
      </div>
      <SubmitButton>Record decision</SubmitButton>
    </Form>
  );
}

export function BoosterDecisions({ decided }: { decided: InfusionsData["decided"] }) {
  if (!decided.length) return null;
  return (
    <section aria-labelledby="decided-title">
      <h2 id="decided-title">Booster decisions</h2>
      <ul>
        {decided.map((d) => (
          <li key={d.id}>
            {BOOSTER_DECISIONS.find((b) => b.value === d.decision)?.label ?? d.decision} — {d.decided_by_name},{" "}
            <When at={d.decided_at!} />: <span className="note-text">{d.decision_note}</span>
          </li>
        ))}
      </ul>
    </section>
  );
}
