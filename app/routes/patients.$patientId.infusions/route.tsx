import { signedInFormData } from "~/auth/session.server";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { PatientHeader } from "~/components/patient";
import { formState, submittedValues } from "~/lib/forms";
import { useIntentState } from "~/lib/intent-state";
import { dispatchIntent, intentOf, isKnownIntent, refuseIntent } from "~/lib/intents.server";
import { decidedBoosterReviews, openBoosterReviews } from "~/modules/infusions/boosters.server";
import { listClinicians, listPatientVisits } from "~/modules/infusions/patient-visits.server";
import { ScheduleError } from "~/modules/infusions/infusions.server";
import { listPatientSessions } from "~/modules/infusions/sessions.server";
import { engagementGateDetail } from "~/modules/engagement/engagement.server";
import { openPatient } from "~/auth/patient-gate.server";
import { patientSummary } from "~/modules/patients/patients.server";
import { CLINICIAN_INTENTS, PROVIDER_INTENTS, type InfusionChange } from "./actions.server";
import { BoosterDecisions, BoosterReviews } from "./boosters";
import { CourseForm } from "./course-form";
import { SessionForm } from "./session-form";
import { SessionTable } from "./session-table";
import { VisitTable } from "./visit-table";
import { isOutsideProvider, OUTSIDE_PROVIDER_ROLES } from "~/lib/roles";

export const meta: MetaFunction = () => [{ title: "Infusions and therapy windows · Ember Health Provider Portal" }];

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { actor, patient, today } = await openPatient(request, context, params.patientId, {
    action: "infusion.view",
    scope: "infusion_schedule",
  });
  const now = context.now();
  const [visits, sessions, gate, clinicians, boosters, decided] = await Promise.all([
    listPatientVisits(context.db, patient),
    listPatientSessions(context.db, patient),
    engagementGateDetail(context.db, patient.id, now),
    actor.role === "clinician" ? listClinicians(context.db) : [],
    openBoosterReviews(context.db, actor, today, patient),
    decidedBoosterReviews(context.db, patient),
  ]);
  return {
    role: actor.role,
    actorId: actor.id,
    patient: patientSummary(patient),
    visits,
    sessions,
    gate,
    clinicians,
    boosters,
    decided,
    now: now.toISOString(),
  };
}

const INTENTS = { ...CLINICIAN_INTENTS, ...PROVIDER_INTENTS };

export async function action({ request, context, params }: ActionFunctionArgs) {
  const formData = await signedInFormData(request, context);
  const intent = intentOf(formData);
  const { actor, audit, patient } = await openPatient(request, context, params.patientId, {
    // The audit action names a known intent only: the field is the caller's to fill with anything.
    action: `infusion.${isKnownIntent(INTENTS, intent) ? intent : "change"}`,
    roles: isKnownIntent(PROVIDER_INTENTS, intent) ? OUTSIDE_PROVIDER_ROLES : ["clinician"],
    auditRead: false,
    scope: "infusion_schedule",
  });
  const change: InfusionChange = { context, formData, actor, audit, patientId: patient.id, now: context.now() };
  try {
    return await dispatchIntent(formData, INTENTS, change);
  } catch (error) {
    // submittedValues keeps every typed visit time (joined by newlines), not only the last "visit" field.
    if (error instanceof ScheduleError)
      return refuseIntent(
        formData,
        formState({ formError: error.problems.join(" "), values: submittedValues(formData) }),
        409,
      );
    throw error;
  }
}

export default function Infusions() {
  const { patient, role, actorId, visits, sessions, gate, clinicians, boosters, decided, now } =
    useLoaderData<typeof loader>();
  const stateFor = useIntentState();
  const clinician = role === "clinician";
  const provider = isOutsideProvider(role);
  return (
    <>
      <PatientHeader patient={patient} role={role} />
      <div className="page-header">
        <h2>Infusion visits and therapy windows</h2>
        <a href={`/patients/${patient.id}/calendar.ics`} className="button button-secondary" download>
          Download calendar (.ics)
        </a>
      </div>
      <p className="muted">
        The therapy window opens when a visit ends and closes 72 hours later. Times are New York time.
      </p>
      <BoosterReviews boosters={boosters} clinician={clinician} stateFor={stateFor} />
      <VisitTable
        visits={visits}
        sessions={sessions}
        gate={gate}
        clinician={clinician}
        staff={!provider}
        patientId={patient.id}
        now={now}
        stateFor={stateFor}
      />

      <h2>Therapy sessions</h2>
      <SessionTable sessions={sessions} actorId={actorId} provider={provider} />
      {provider ? <SessionForm state={stateFor("plan-session")} /> : null}
      {clinician ? (
        <CourseForm
          patient={patient}
          gate={gate}
          clinicians={clinicians}
          actorId={actorId}
          state={stateFor("schedule")}
        />
      ) : null}
      <BoosterDecisions decided={decided} />
    </>
  );
}
