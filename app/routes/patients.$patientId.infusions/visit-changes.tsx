import { getFormProps, useForm } from "@conform-to/react";
import type { z } from "zod";
import { resultFor } from "~/lib/form-answer";
import { Form, FormError, SubmitButton, TextField } from "~/components/form";
import { toLocalInput } from "~/lib/time";
import type { cancelSchema, rescheduleSchema } from "~/modules/infusions/forms.server";
import type { InfusionAnswer } from "./actions.server";
import { clinicHours } from "./hours";
import type { InfusionsData } from "./types";

type Visit = InfusionsData["visits"][number];

/** A clinician's changes to one scheduled visit: move it or cancel it (its outcome is recorded on the visit's page). */
export function VisitChanges({ visit: v, answer }: { visit: Visit; answer: InfusionAnswer }) {
  const rescheduleResult = resultFor(answer, "reschedule", v.id);
  const cancelResult = resultFor(answer, "cancel", v.id);
  const [reschedule, moved] = useForm<z.input<typeof rescheduleSchema>>({
    id: `reschedule-${v.id}`,
    lastResult: rescheduleResult,
    defaultValue: { startsAt: toLocalInput(v.starts_at) },
    shouldValidate: "onBlur",
  });
  const [cancel, cancelled] = useForm<z.input<typeof cancelSchema>>({
    id: `cancel-${v.id}`,
    lastResult: cancelResult,
    shouldValidate: "onBlur",
  });
  return (
    <details open={Boolean(rescheduleResult || cancelResult)}>
      <summary>Change</summary>
      <Form method="post" {...getFormProps(reschedule)} aria-label="Reschedule this visit">
        <FormError form={reschedule} />
        <input type="hidden" name="intent" value="reschedule" />
        <input type="hidden" name="visitId" value={v.id} />
        <TextField
          label="New start (New York time)"
          field={moved.startsAt}
          type="datetime-local"
          hint={clinicHours({ name: v.location_name, opens_at: v.location_opens_at, closes_at: v.location_closes_at })}
        />
        <SubmitButton>Reschedule</SubmitButton>
      </Form>
      <Form method="post" {...getFormProps(cancel)} aria-label="Cancel this visit">
        <FormError form={cancel} />
        <input type="hidden" name="intent" value="cancel" />
        <input type="hidden" name="visitId" value={v.id} />
        <TextField label="Reason for cancelling" field={cancelled.reason} />
        <SubmitButton className="button button-danger">Cancel visit</SubmitButton>
      </Form>
    </details>
  );
}
