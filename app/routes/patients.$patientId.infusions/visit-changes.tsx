import { Form, FormError, SubmitButton, TextField } from "~/components/form";
import type { StateFor } from "~/lib/intent-state";
import { toLocalInput } from "~/lib/time";
import type { InfusionsData } from "./types";

type Visit = InfusionsData["visits"][number];

/** A clinician's changes to one scheduled visit: move it, cancel it, or record how it went. */
export function VisitChanges({
  visit: v,
  gate,
  now,
  stateFor,
}: {
  visit: Visit;
  gate: InfusionsData["gate"];
  now: string;
  stateFor: StateFor;
}) {
  const reschedule = stateFor("reschedule", v.id);
  const cancel = stateFor("cancel", v.id);
  const outcome = stateFor("outcome", v.id);
  return (
    <details open={Boolean(reschedule || cancel || outcome)}>
      <summary>Change</summary>
      <Form method="post" noValidate aria-label="Reschedule this visit">
        <FormError message={reschedule?.formError} />
        <input type="hidden" name="intent" value="reschedule" />
        <input type="hidden" name="target" value={v.id} />
        <input type="hidden" name="visitId" value={v.id} />
        <TextField
          label="New start (New York time)"
          name="startsAt"
          type="datetime-local"
          defaultValue={reschedule?.values.startsAt ?? toLocalInput(v.starts_at)}
          errors={reschedule?.errors.startsAt}
        />
        <SubmitButton>Reschedule</SubmitButton>
      </Form>
      <Form method="post" noValidate aria-label="Cancel this visit">
        <FormError message={cancel?.formError} />
        <input type="hidden" name="intent" value="cancel" />
        <input type="hidden" name="target" value={v.id} />
        <input type="hidden" name="visitId" value={v.id} />
        <TextField label="Reason for cancelling" name="reason" errors={cancel?.errors.reason} />
        <SubmitButton className="button button-danger">Cancel visit</SubmitButton>
      </Form>
      {new Date(v.starts_at) <= new Date(now) ? (
        <Form method="post" aria-label="Record the visit's outcome">
          <FormError message={outcome?.formError} />
          <input type="hidden" name="intent" value="outcome" />
          <input type="hidden" name="target" value={v.id} />
          <input type="hidden" name="visitId" value={v.id} />
          {gate.allowed ? null : (
            <TextField
              label="Reason for overriding the engagement gate"
              name="overrideReason"
              hint={`The gate refuses: ${gate.reasons.join(" ")} Marking held needs a reason; it is shown to the whole care team.`}
              defaultValue={outcome?.values.overrideReason}
              errors={outcome?.errors.overrideReason}
            />
          )}
          <button type="submit" name="outcome" value="held" className="button">
            {gate.allowed ? "Mark held" : "Mark held with override"}
          </button>{" "}
          <button type="submit" name="outcome" value="missed" className="button button-secondary">
            Mark missed
          </button>
        </Form>
      ) : null}
    </details>
  );
}
