import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { signedInFormData } from "~/auth/session.server";
import { openPatient } from "~/auth/patient-gate.server";
import { PatientHeader } from "~/components/patient";
import { Badge } from "~/components/ui";
import { dispatchIntent, intentOf, isKnownIntent } from "~/lib/intents.server";
import { requireUuid } from "~/lib/params";
import type { FormAnswer } from "~/lib/form-answer";
import { formatDateTime } from "~/lib/time";
import { patientSummary } from "~/modules/patients/patients.server";
import { infusionRecordOf } from "~/modules/visits/infusion-record.server";
import { preInfusionCheck } from "~/modules/visits/pre-infusion-check.server";
import { CLINICIAN_INTENTS, type VisitChange } from "./actions.server";
import { CheckPanel } from "./check-panel";
import { OutcomeSection } from "./outcome-section";
import { RecordSection } from "./record-section";

export const meta: MetaFunction = () => [{ title: "Infusion visit · Ember Health Provider Portal" }];

/** Ember staff read the visit; its clinician-only steps are the actions below. */
const STAFF = ["clinician", "coordinator", "admin"] as const;

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { actor, patient } = await openPatient(request, context, params.patientId, {
    action: "visit.view",
    roles: STAFF,
  });
  const visitId = requireUuid(params.visitId);
  const now = context.now();
  const [check, record] = await Promise.all([
    preInfusionCheck(context.db, patient.id, visitId, now),
    infusionRecordOf(context.db, patient.id, visitId),
  ]);
  if (!check) throw new Response("That visit is not on this patient's schedule.", { status: 404 });
  return { role: actor.role, patient: patientSummary(patient), check, record, now: now.toISOString() };
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const formData = await signedInFormData(request, context);
  const intent = intentOf(formData);
  const { actor, audit, patient } = await openPatient(request, context, params.patientId, {
    // The audit action names a known intent only: the field is the caller's to fill with anything.
    action: `visit.${isKnownIntent(CLINICIAN_INTENTS, intent) ? intent : "change"}`,
    roles: ["clinician"],
    auditRead: false,
  });
  const visitId = requireUuid(params.visitId);
  const change: VisitChange = { context, formData, actor, audit, patientId: patient.id, visitId, now: context.now() };
  return dispatchIntent(formData, CLINICIAN_INTENTS, change);
}

export type VisitAnswer = FormAnswer | undefined;

const STATUS_BADGE = { scheduled: "neutral", held: "good", missed: "warn", cancelled: "bad" } as const;

export default function Visit() {
  const { role, patient, check, record, now } = useLoaderData<typeof loader>();
  const answer = useActionData<typeof action>() as VisitAnswer;
  const clinician = role === "clinician";
  const { visit } = check;
  const status = visit.stoppedEarlyReason ? "held, stopped early" : visit.status;
  return (
    <>
      <PatientHeader patient={patient} role={role} />
      <div className="page-header">
        <div>
          <h2>
            {visit.kind === "booster" ? "Booster visit" : "Course visit"}, {formatDateTime(visit.startsAt)}
          </h2>
          <p className="muted">
            {visit.locationName} · supervised by {visit.clinicianName} ·{" "}
            <Badge tone={STATUS_BADGE[visit.status]}>{status}</Badge>
          </p>
        </div>
        <a className="button button-secondary" href={`/patients/${patient.id}/infusions`}>
          All visits
        </a>
      </div>
      <CheckPanel check={check} patientId={patient.id} clinician={clinician} answer={answer} />
      <OutcomeSection check={check} clinician={clinician} now={now} answer={answer} />
      {visit.status === "held" ? (
        <RecordSection record={record} check={check} clinician={clinician} answer={answer} />
      ) : null}
    </>
  );
}
