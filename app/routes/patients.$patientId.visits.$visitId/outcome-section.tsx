import { getFormProps, useForm } from "@conform-to/react";
import type { z } from "zod";
import { Form, FormError, RadioGroup, SubmitButton, TextAreaField } from "~/components/form";
import { When } from "~/components/time";
import type { outcomeSchema } from "~/modules/visits/schema";
import type { PreInfusionCheck } from "~/modules/visits/pre-infusion-check.server";
import { resultFor } from "~/lib/form-answer";
import type { VisitAnswer } from "./route";

const OUTCOMES = [
  { value: "held", label: "Held: the infusion was given as planned" },
  { value: "stopped_early", label: "Stopped early: started, then ended before its planned end" },
  { value: "missed", label: "Missed: the patient did not come" },
] as const;

type Check = Pick<PreInfusionCheck, "gate"> & {
  visit: Pick<PreInfusionCheck["visit"], "status" | "startsAt" | "stoppedEarlyReason" | "cancelReason" | "override">;
};

/**
 * Recording what happened is its own step, apart from moving or cancelling the visit, and only
 * once the visit has started. "Held" (or stopped early) follows the engagement gate: past a gate
 * that refuses, only with the clinician's written reason.
 */
export function OutcomeSection({
  check,
  clinician,
  now,
  answer,
}: {
  check: Check;
  clinician: boolean;
  now: string;
  answer: VisitAnswer;
}) {
  const [form, fields] = useForm<z.input<typeof outcomeSchema>>({
    id: "outcome",
    lastResult: resultFor(answer, "outcome"),
    shouldValidate: "onBlur",
  });
  const { visit, gate } = check;
  return (
    <section className="card" aria-labelledby="outcome-title">
      <h2 id="outcome-title">Outcome</h2>
      {visit.status === "scheduled" && new Date(visit.startsAt) > new Date(now) ? (
        <p>
          The outcome is recorded once the visit has started (<When at={visit.startsAt} />
          ).
        </p>
      ) : null}
      {visit.status === "scheduled" && new Date(visit.startsAt) <= new Date(now) && !clinician ? (
        <p>Not recorded yet: the supervising clinician records it.</p>
      ) : null}
      {visit.status === "held" ? (
        <p>{visit.stoppedEarlyReason ? `Held, stopped early: ${visit.stoppedEarlyReason}` : "Held."}</p>
      ) : null}
      {visit.status === "missed" ? <p>Missed: the patient did not come.</p> : null}
      {visit.status === "cancelled" ? <p>Cancelled: {visit.cancelReason}</p> : null}
      {visit.override ? (
        <p>
          Held past the engagement gate by {visit.override.by}: “{visit.override.reason}”
        </p>
      ) : null}
      {clinician && visit.status === "scheduled" && new Date(visit.startsAt) <= new Date(now) ? (
        <Form method="post" {...getFormProps(form)}>
          <FormError form={form} />
          <input type="hidden" name="intent" value="outcome" />
          <RadioGroup legend="What happened" options={OUTCOMES} field={fields.outcome} />
          <TextAreaField
            label="Why it was stopped early (only for an infusion stopped early)"
            field={fields.stoppedEarlyReason}
            rows={2}
          />
          {gate.allowed ? null : (
            <TextAreaField
              label="Override reason (needed to record it held: the engagement gate refuses)"
              hint={gate.reasons.join(" ")}
              field={fields.overrideReason}
              rows={3}
            />
          )}
          <SubmitButton pendingText="Saving…">Record the outcome</SubmitButton>
        </Form>
      ) : null}
    </section>
  );
}
