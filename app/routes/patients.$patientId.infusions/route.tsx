import { signedInFormData } from "~/auth/session.server";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData, useLocation } from "@remix-run/react";
import { PatientHeader } from "~/components/patient";
import { dispatchIntent, intentOf, isKnownIntent } from "~/lib/intents.server";
import { decidedBoosterReviews, openBoosterReviews } from "~/modules/infusions/boosters.server";
import { listClinicians, listClinics, listPatientVisits } from "~/modules/infusions/patient-visits.server";
import { listPatientSessions } from "~/modules/infusions/sessions.server";
import { engagementGateDetail } from "~/modules/engagement/engagement.server";
import { openPatient } from "~/auth/patient-gate.server";
import { patientSummary } from "~/modules/patients/patients.server";
import { CLINICIAN_INTENTS, PROVIDER_INTENTS, type InfusionAnswer, type InfusionChange } from "./actions.server";
import { BoosterDecisions, BoosterReviews } from "./boosters";
import { CourseForm } from "./course-form";
import { SessionForm } from "./session-form";
import { SessionProgress, SessionTable } from "./session-table";
import { RestoreSession } from "./session-changes";
import { Alert } from "~/components/ui";
import { uuidParam } from "~/lib/params";
import { sessionPrefill } from "~/modules/infusions/session-changes.server";
import { VisitTable } from "./visit-table";
import { isOutsideProvider, OUTSIDE_PROVIDER_ROLES } from "~/lib/roles";

export const meta: MetaFunction = () => [{ title: "Infusions and therapy windows · Ember Health Provider Portal" }];

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { actor, patient, today } = await openPatient(request, context, params.patientId, {
    action: "infusion.view",
    scope: "infusion_schedule",
  });
  const now = context.now();
  const search = new URL(request.url).searchParams;
  const planFor = isOutsideProvider(actor.role) ? uuidParam(search.get("plan")) : null;
  const [visits, sessions, gate, clinicians, clinics, boosters, decided, prefill] = await Promise.all([
    listPatientVisits(context.db, patient),
    listPatientSessions(context.db, patient),
    engagementGateDetail(context.db, patient.id, now),
    actor.role === "clinician" ? listClinicians(context.db) : [],
    actor.role === "clinician" ? listClinics(context.db) : [],
    openBoosterReviews(context.db, actor, today, patient),
    decidedBoosterReviews(context.db, patient),
    planFor ? sessionPrefill(context.db, actor, patient, planFor, now) : null,
  ]);
  const cancelledId = uuidParam(search.get("cancelled"));
  const cancelled = sessions.find(
    (s) => s.id === cancelledId && s.provider_id === actor.id && s.status === "cancelled" && s.starts_at > now,
  );
  return {
    role: actor.role,
    actorId: actor.id,
    patient: patientSummary(patient),
    visits,
    sessions,
    gate,
    clinicians,
    clinics,
    boosters,
    decided,
    prefill,
    planFor,
    cancelled: cancelled ? { id: cancelled.id, starts_at: cancelled.starts_at } : null,
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
  return dispatchIntent(formData, INTENTS, change);
}

export default function Infusions() {
  const data = useLoaderData<typeof loader>();
  const { patient, role, actorId, visits, sessions, gate, clinicians, clinics, boosters, decided, now } = data;
  const answer = useActionData<typeof action>() as InfusionAnswer;
  const location = useLocation();
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
      <BoosterReviews boosters={boosters} clinician={clinician} answer={answer} />
      <VisitTable
        visits={visits}
        sessions={sessions}
        gate={gate}
        clinician={clinician}
        staff={!provider}
        provider={provider}
        patientId={patient.id}
        now={now}
        answer={answer}
      />

      <h2>Therapy sessions</h2>
      {data.cancelled ? (
        <Alert kind="success">
          Session cancelled. <RestoreSession session={data.cancelled} answer={answer} inNotice />
        </Alert>
      ) : null}
      <SessionProgress sessions={sessions} />
      <SessionTable sessions={sessions} actorId={actorId} provider={provider} now={now} answer={answer} />
      {provider ? <SessionForm key={data.planFor ?? "blank"} answer={answer} prefill={data.prefill} /> : null}
      {clinician ? (
        // Keyed by the location: after a booking (a redirect) the form starts empty, so nothing is booked twice by mistake.
        <CourseForm
          key={location.key}
          patient={patient}
          gate={gate}
          clinicians={clinicians}
          clinics={clinics}
          actorId={actorId}
          answer={answer}
        />
      ) : null}
      <BoosterDecisions decided={decided} />
    </>
  );
}
