import { signedInFormData } from "~/auth/session.server";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { useActionData, useLoaderData, useLocation } from "@remix-run/react";
import { Fragment } from "react";
import { Form, FormError, SelectField, SubmitButton, TextAreaField, TextField } from "~/components/form";
import { PatientHeader } from "~/components/patient";
import { When } from "~/components/time";
import { TrendChart } from "~/components/trend-chart";
import { Alert, Badge, EmptyState } from "~/components/ui";
import { setFlash } from "~/lib/flash.server";
import { formState, parseForm, type FormState } from "~/lib/forms";
import { clinicToday, formatDate } from "~/lib/time";
import { PCL5_ANSWERS, PCL5_ITEMS, PHQ9_ANSWERS, PHQ9_ITEMS } from "~/modules/measures/items";
import {
  acknowledgeSafetyAlert,
  duePoints,
  newestCourse,
  patientMeasures,
  patientSafetyAlerts,
  recordMeasure,
} from "~/modules/measures/measures.server";
import { acknowledgeAlertSchema, measureSchema } from "~/modules/measures/forms.server";
import { changeLabel, INSTRUMENTS, measureDefinitions, type Instrument } from "~/modules/measures/scoring";
import { clinicDay } from "~/modules/infusions/windows";
import { openPatient } from "~/auth/patient-gate.server";
import { patientSummary } from "~/modules/patients/patients.server";

export const meta: MetaFunction = () => [{ title: "Symptom measures · Ember Health Provider Portal" }];

const RECORDERS = ["therapist", "psychiatrist", "clinician"] as const;

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { actor, patient } = await openPatient(request, context, params.patientId, {
    action: "measure.view",
    scope: "symptom_measures",
  });
  const [measures, alerts, course] = await Promise.all([
    patientMeasures(context.db, patient),
    patientSafetyAlerts(context.db, patient),
    newestCourse(context.db, patient),
  ]);
  return {
    role: actor.role,
    patient: patientSummary(patient),
    ...measures,
    visitDays: measures.visits.map((v) => clinicDay(new Date(v.starts_at))),
    alerts,
    due: duePoints(course, measures.rows),
    today: clinicToday(context.now()),
  };
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const formData = await signedInFormData(request, context);
  const intent = String(formData.get("intent") ?? "");
  const target = String(formData.get("target") ?? "");
  const { actor, audit, patient, today } = await openPatient(request, context, params.patientId, {
    action: intent === "acknowledge" ? "safety_alert.acknowledge" : "measure.record",
    roles: intent === "acknowledge" ? ["clinician"] : RECORDERS,
    auditRead: false,
    scope: "symptom_measures",
  });
  const now = context.now();
  const fail = (state: FormState, status = 400) => data({ intent, target, ...state }, { status });
  if (intent === "acknowledge") {
    const form = parseForm(acknowledgeAlertSchema, formData);
    if (!form.ok) return fail(formState(form));
    const ok = await acknowledgeSafetyAlert(context.db, actor, audit, { patientId: patient.id, ...form.data, now });
    if (!ok) return fail(formState({ formError: "That alert was already acknowledged." }), 409);
    return redirect(`/patients/${patient.id}/measures`, {
      headers: {
        "Set-Cookie": await setFlash(context, {
          kind: "success",
          message: "Safety alert acknowledged; it no longer shows on dashboards.",
        }),
      },
    });
  }
  if (intent !== "PHQ9" && intent !== "PCL5") return fail(formState({ formError: "Choose PHQ-9 or PCL-5." }));
  const form = parseForm(measureSchema(intent, today), formData);
  if (!form.ok) return fail(formState(form));
  const result = await recordMeasure(context.db, actor, audit, {
    patientId: patient.id,
    instrument: intent,
    ...form.data,
    now,
    appUrl: context.config.appUrl,
  });
  if (result.safetyAlert) context.wakeMailer();
  const message = result.safetyAlert
    ? "PHQ-9 recorded. Item 9 is above 0: an urgent safety alert went to the clinicians, coordinators and care team."
    : `${INSTRUMENTS[intent].label} recorded.${result.boosterReview ? " The scores show lost response or a meaningful worsening: a booster review is now due." : ""}`;
  return redirect(`/patients/${patient.id}/measures`, {
    headers: { "Set-Cookie": await setFlash(context, { kind: result.safetyAlert ? "error" : "success", message }) },
  });
}

function MeasureForm({ instrument, state, today }: { instrument: Instrument; state?: FormState; today: string }) {
  const items = instrument === "PHQ9" ? PHQ9_ITEMS : PCL5_ITEMS;
  const answers = instrument === "PHQ9" ? PHQ9_ANSWERS : PCL5_ANSWERS;
  const label = INSTRUMENTS[instrument].label;
  return (
    <details className="card" open={Boolean(state)}>
      <summary>
        <strong>Record a {label}</strong>
      </summary>
      <Form method="post" noValidate aria-label={`Record a ${label}`}>
        <input type="hidden" name="intent" value={instrument} />
        <FormError message={state?.formError} />
        {state && Object.keys(state.errors).length ? (
          <div className="alert alert-error" role="alert">
            Every item needs an answer: see the messages below. Nothing was saved.
          </div>
        ) : null}
        <TextField
          label="Date taken"
          name="takenOn"
          type="date"
          max={today}
          defaultValue={state?.values.takenOn ?? today}
          errors={state?.errors.takenOn}
        />
        <div className="item-grid">
          {items.map((text, i) => (
            <SelectField
              key={i}
              label={`${i + 1}. ${text}`}
              name={`item${i + 1}`}
              options={answers.map((a, value) => ({ value: String(value), label: a }))}
              placeholder="Choose"
              defaultValue={state?.values[`item${i + 1}`] ?? ""}
              errors={state?.errors[`item${i + 1}`]}
            />
          ))}
        </div>
        <p className="hint">The total, band and clusters are computed when you save.</p>
        <SubmitButton>Save {label}</SubmitButton>
      </Form>
    </details>
  );
}

export default function Measures() {
  const { patient, role, rows, settings, visitDays, alerts, due, today } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const location = useLocation();
  const stateFor = (intent: string, target = "") =>
    actionData && actionData.intent === intent && actionData.target === target ? actionData : undefined;
  const dates = [...rows.map((r) => r.taken_on), ...visitDays].sort();
  const domain: [string, string] = dates.length ? [dates[0]!, dates.at(-1)!] : [today, today];
  const series = (instrument: Instrument) =>
    rows.filter((r) => r.instrument === instrument).map((r) => ({ date: r.taken_on, total: r.total }));
  const canRecord = role === "therapist" || role === "psychiatrist" || role === "clinician";
  return (
    <>
      <PatientHeader patient={patient} role={role} />
      {alerts
        .filter((a) => !a.acknowledged_at)
        .map((a) => (
          <Alert key={a.id} kind="error">
            <strong>Urgent safety alert:</strong> {a.escalated_at ? <Badge tone="bad">escalated</Badge> : null} a PHQ-9
            recorded <When at={a.raised_at} /> has item 9 (thoughts of self-harm) above 0.{" "}
            {role === "clinician"
              ? "Record the action taken to acknowledge it."
              : "Waiting for an Ember clinician to acknowledge it."}
            {role === "clinician" ? (
              <Form method="post" noValidate aria-label="Acknowledge the safety alert">
                <FormError message={stateFor("acknowledge", a.id)?.formError} />
                <input type="hidden" name="intent" value="acknowledge" />
                <input type="hidden" name="target" value={a.id} />
                <input type="hidden" name="alertId" value={a.id} />
                <TextAreaField
                  label="Action taken"
                  name="action"
                  rows={2}
                  errors={stateFor("acknowledge", a.id)?.errors.action}
                />
                <SubmitButton className="button button-danger">Acknowledge</SubmitButton>
              </Form>
            ) : null}
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
                  PHQ-9 item 9 alert raised <When at={a.raised_at} />
                  {a.escalated_at ? " (escalated)" : ""}: acknowledged by {a.acknowledged_by_name} ·{" "}
                  <When at={a.acknowledged_at!} /> — <span className="note-text">{a.action_taken}</span>
                </li>
              ))}
          </ul>
        </section>
      ) : null}
      <h2>Symptom measures</h2>
      {due.length ? (
        <section className="card" aria-labelledby="due-title">
          <h3 id="due-title">Due for the current course</h3>
          <ul>
            {due.map((d) => (
              <li key={d.key}>
                {d.label}: {formatDate(d.dueFrom)} to {formatDate(d.dueTo)}{" "}
                {d.done ? (
                  <Badge tone="good">done</Badge>
                ) : d.dueTo < today ? (
                  <Badge tone="bad">missed</Badge>
                ) : d.dueFrom <= today ? (
                  <Badge tone="warn">due now</Badge>
                ) : (
                  <Badge>upcoming</Badge>
                )}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      <TrendChart id="phq9" label="PHQ-9" max={27} points={series("PHQ9")} visitDays={visitDays} domain={domain} />
      <TrendChart
        id="pcl5"
        label="PCL-5"
        max={80}
        points={series("PCL5")}
        visitDays={visitDays}
        domain={domain}
        threshold={{ value: settings.pcl5Threshold, label: `Probable PTSD (${settings.pcl5Threshold})` }}
      />
      <section className="card" aria-labelledby="definitions-title">
        <h3 id="definitions-title">How these scores are read</h3>
        <dl className="facts">
          {measureDefinitions(settings).map((d) => (
            <Fragment key={d.term}>
              <dt>{d.term}</dt>
              <dd>{d.definition}</dd>
            </Fragment>
          ))}
        </dl>
        <p className="muted">
          Lower is better on both measures: a change is shown as improved or worse, never as a bare sign.
        </p>
      </section>
      {rows.length === 0 ? (
        <EmptyState title="No scores yet">
          <p>
            {canRecord
              ? "Record a baseline PHQ-9 and PCL-5 before the first infusion."
              : "Outside providers and Ember clinicians record PHQ-9 and PCL-5 scores here."}
          </p>
        </EmptyState>
      ) : (
        <div className="table-wrap">
          <table>
            <caption>All scores (the data behind the charts)</caption>
            <thead>
              <tr>
                <th scope="col">Date</th>
                <th scope="col">Measure</th>
                <th scope="col">Total</th>
                <th scope="col">Reading</th>
                <th scope="col">Change from baseline</th>
                <th scope="col">Recorded by</th>
              </tr>
            </thead>
            <tbody>
              {[...rows].reverse().map((r) => (
                <tr key={r.id}>
                  <td>{formatDate(r.taken_on)}</td>
                  <td>{INSTRUMENTS[r.instrument].label}</td>
                  <td>
                    {r.total} / {r.instrument === "PHQ9" ? 27 : 80}
                  </td>
                  <td>
                    {r.band ? `${r.band}` : null}
                    {r.clusters
                      ? `B ${r.clusters.B} · C ${r.clusters.C} · D ${r.clusters.D} · E ${r.clusters.E}`
                      : null}
                    {r.probablePtsd ? (
                      <>
                        {" "}
                        <Badge tone="warn">probable PTSD</Badge>
                      </>
                    ) : null}
                    {r.safetySignal ? (
                      <>
                        {" "}
                        <Badge tone="bad">item 9 above 0</Badge>
                      </>
                    ) : null}
                  </td>
                  <td>
                    {r.isBaseline ? <Badge>baseline</Badge> : null}
                    {r.change ? (
                      <>
                        <span className={`change change-${r.change.direction}`}>{changeLabel(r.change)}</span>
                        {r.change.meaningful ? (
                          <>
                            {" "}
                            <Badge tone={r.change.direction === "worse" ? "bad" : "good"}>
                              {r.change.direction === "worse"
                                ? "clinically meaningful worsening"
                                : "clinically meaningful improvement"}
                            </Badge>
                          </>
                        ) : null}
                        {r.change.response ? (
                          <>
                            {" "}
                            <Badge tone="good">response</Badge>
                          </>
                        ) : null}
                        {r.change.remission ? (
                          <>
                            {" "}
                            <Badge tone="good">remission</Badge>
                          </>
                        ) : null}
                      </>
                    ) : r.isBaseline ? null : (
                      "—"
                    )}
                  </td>
                  <td>
                    {r.recorded_by_name}, <When at={r.recorded_at} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {canRecord ? (
        <>
          {/* Keyed by the location: after a save (a redirect) the form starts empty, so the last answers cannot be saved twice by mistake. */}
          <MeasureForm key={`PHQ9-${location.key}`} instrument="PHQ9" state={stateFor("PHQ9")} today={today} />
          <MeasureForm key={`PCL5-${location.key}`} instrument="PCL5" state={stateFor("PCL5")} today={today} />
        </>
      ) : null}
    </>
  );
}
