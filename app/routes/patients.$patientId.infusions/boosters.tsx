import { Form, FormError, SelectField, SubmitButton, TextField } from "~/components/form";
import { When } from "~/components/time";
import { Alert } from "~/components/ui";
import type { StateFor } from "~/lib/intent-state";
import { BOOSTER_DECISIONS, BOOSTER_REVIEW_REASONS } from "~/modules/infusions/labels";
import type { InfusionsData } from "./types";

/** Open booster reviews; a clinician records the decision on each. */
export function BoosterReviews({
  boosters,
  clinician,
  stateFor,
}: {
  boosters: InfusionsData["boosters"];
  clinician: boolean;
  stateFor: StateFor;
}) {
  return boosters.map((b) => (
    <Alert key={b.id} kind="warning">
      <strong>Booster review due</strong> between {b.due_from} and {b.due_to} ({BOOSTER_REVIEW_REASONS[b.reason]}).
      {clinician ? (
        <Form method="post" noValidate aria-label="Record the booster decision">
          <FormError message={stateFor("booster-decision", b.id)?.formError} />
          <input type="hidden" name="intent" value="booster-decision" />
          <input type="hidden" name="target" value={b.id} />
          <input type="hidden" name="reviewId" value={b.id} />
          <div className="form-row">
            <SelectField
              label="Decision"
              name="decision"
              options={BOOSTER_DECISIONS}
              placeholder="Choose"
              errors={stateFor("booster-decision", b.id)?.errors.decision}
            />
            <TextField label="Note for the team" name="note" errors={stateFor("booster-decision", b.id)?.errors.note} />
          </div>
          <SubmitButton>Record decision</SubmitButton>
        </Form>
      ) : null}
    </Alert>
  ));
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
