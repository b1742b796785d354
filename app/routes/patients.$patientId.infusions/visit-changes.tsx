import { Form, FormError, SubmitButton, TextField } from "~/components/form";
import type { StateFor } from "~/lib/intent-state";
import { toLocalInput } from "~/lib/time";
import type { InfusionsData } from "./types";

type Visit = InfusionsData["visits"][number];

/** A clinician's changes to one scheduled visit: move it or cancel it (its outcome is recorded on the visit's page). */
export function VisitChanges({ visit: v, stateFor }: { visit: Visit; stateFor: StateFor }) {
  const reschedule = stateFor("reschedule", v.id);
  const cancel = stateFor("cancel", v.id);
  return (
    <details open={Boolean(reschedule || cancel)}>
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
    </details>
  );
}
