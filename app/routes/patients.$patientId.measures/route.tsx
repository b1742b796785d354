import { signedInFormData } from "~/auth/session.server";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData, useLocation } from "@remix-run/react";
import { Fragment } from "react";
import { PatientHeader } from "~/components/patient";
import { TrendChart } from "~/components/trend-chart";
import { Badge } from "~/components/ui";
import { dispatchIntent, intentOf } from "~/lib/intents.server";
import { clinicToday, formatDate } from "~/lib/time";
import { duePoints, newestCourse } from "~/modules/measures/reminders.server";
import { patientMeasures } from "~/modules/measures/measures.server";
import { patientSafetyAlerts } from "~/modules/measures/alerts.server";
import { measureDefinitions, type Instrument } from "~/modules/measures/scoring";
import { clinicDay } from "~/modules/infusions/windows";
import { openPatient } from "~/auth/patient-gate.server";
import { patientSummary } from "~/modules/patients/patients.server";
import { MEASURE_INTENTS, type MeasureAnswer } from "./actions.server";
import { MeasureForm } from "./measure-form";
import { SafetyAlerts } from "./safety-alerts";
import { ScoreTable } from "./score-table";

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
  const acknowledging = intentOf(formData) === "acknowledge";
  const { actor, audit, patient, today } = await openPatient(request, context, params.patientId, {
    action: acknowledging ? "safety_alert.acknowledge" : "measure.record",
    roles: acknowledging ? ["clinician"] : RECORDERS,
    auditRead: false,
    scope: "symptom_measures",
  });
  const change = { context, formData, actor, audit, patientId: patient.id, today, now: context.now() };
  return dispatchIntent(formData, MEASURE_INTENTS, change);
}

export default function Measures() {
  const { patient, role, rows, settings, visitDays, alerts, due, today } = useLoaderData<typeof loader>();
  const location = useLocation();
  const answer = useActionData<typeof action>() as MeasureAnswer;
  const dates = [...rows.map((r) => r.taken_on), ...visitDays].sort();
  const domain: [string, string] = dates.length ? [dates[0]!, dates.at(-1)!] : [today, today];
  const series = (instrument: Instrument) =>
    rows.filter((r) => r.instrument === instrument).map((r) => ({ date: r.taken_on, total: r.total }));
  const canRecord = role === "therapist" || role === "psychiatrist" || role === "clinician";
  return (
    <>
      <PatientHeader patient={patient} role={role} />
      <SafetyAlerts alerts={alerts} role={role} answer={answer} />
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
      <ScoreTable rows={rows} canRecord={canRecord} />
      {canRecord ? (
        <>
          {/* Keyed by the location: after a save (a redirect) the form starts empty, so the last answers cannot be saved twice by mistake. */}
          <MeasureForm key={`PHQ9-${location.key}`} instrument="PHQ9" answer={answer} today={today} />
          <MeasureForm key={`PCL5-${location.key}`} instrument="PCL5" answer={answer} today={today} />
        </>
      ) : null}
    </>
  );
}
