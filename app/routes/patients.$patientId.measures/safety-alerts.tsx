import { getFormProps, useForm, type SubmissionResult } from "@conform-to/react";
import { Form, FormError, SubmitButton, TextAreaField } from "~/components/form";
import { Item9Signals } from "~/components/safety";
import { When } from "~/components/time";
import { Alert, Badge } from "~/components/ui";
import type { MeasureAnswer } from "./actions.server";
import type { MeasuresData } from "./types";

function AcknowledgeForm({ alertId, signals, answer }: { alertId: string; signals: number; answer: MeasureAnswer }) {
  const [form, fields] = useForm<{ alertId: string; action: string }>({
    id: `acknowledge-${alertId}`,
    lastResult:
      answer?.intent === "acknowledge" && answer.target === alertId
        ? (answer.result as SubmissionResult<string[]>)
        : undefined,
    shouldValidate: "onBlur",
  });
  return (
    <Form method="post" {...getFormProps(form)} aria-label="Acknowledge the safety alert">
      <FormError form={form} />
      <input type="hidden" name="intent" value="acknowledge" />
      <input type="hidden" name="alertId" value={alertId} />
      <input type="hidden" name="signals" value={signals} />
      <TextAreaField label="Action taken" field={fields.action} rows={2} />
      <SubmitButton className="button button-danger">Acknowledge</SubmitButton>
    </Form>
  );
}

/**
 * PHQ-9 item 9 alerts: open ones first, for a clinician to acknowledge, then the acknowledged
 * record; each says when its score was taken, and how many signals joined it while it was open.
 */
export function SafetyAlerts({
  alerts,
  role,
  answer,
}: Pick<MeasuresData, "alerts" | "role"> & { answer: MeasureAnswer }) {
  return (
    <>
      {alerts
        .filter((a) => !a.acknowledged_at)
        .map((a) => (
          <Alert key={a.id} kind="error">
            <strong>Urgent safety alert:</strong> {a.escalated_at ? <Badge tone="bad">escalated</Badge> : null}{" "}
            <Item9Signals signals={a.signals} takenOn={a.taken_on} wording="item 9 (thoughts of self-harm)" />; raised{" "}
            <When at={a.raised_at} />.{" "}
            {role === "clinician"
              ? "Record the action taken to acknowledge it."
              : "Waiting for an Ember clinician to acknowledge it."}
            {role === "clinician" ? <AcknowledgeForm alertId={a.id} signals={a.signals} answer={answer} /> : null}
          </Alert>
        ))}
      {alerts.some((a) => a.acknowledged_at) ? (
        <section className="card" aria-labelledby="acknowledged-title">
          <h2 id="acknowledged-title">Acknowledged safety alerts</h2>
          <ul>
            {alerts
              .filter((a) => a.acknowledged_at)
              .map((a) => (
                <li key={a.id}>
                  <Item9Signals signals={a.signals} takenOn={a.taken_on} />; raised <When at={a.raised_at} />
                  {a.escalated_at ? " (escalated)" : ""}: acknowledged by {a.acknowledged_by_name} ·{" "}
                  <When at={a.acknowledged_at!} /> — <span className="note-text">{a.action_taken}</span>
                </li>
              ))}
          </ul>
        </section>
      ) : null}
    </>
  );
}
