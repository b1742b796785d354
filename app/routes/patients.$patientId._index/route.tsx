import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { PatientHeader, RiskBanners } from "~/components/patient";
import { setFlash } from "~/lib/flash.server";
import { parseSubmission, showFormAgain } from "~/lib/forms.server";
import {
  eligibilitySummary,
  engagementByProvider,
  engagementGate,
  engagementStatus,
  listDiscussions,
  recordDiscussion,
} from "~/modules/engagement/engagement.server";
import { openPatient } from "~/auth/patient-gate.server";
import { openPatientSafetyAlerts } from "~/modules/safety/alerts.server";
import { visibleRiskFlags } from "~/modules/patients/patients.server";
import { discussionSchema } from "~/modules/engagement/forms.server";
import { SCOPE_PARTS } from "~/modules/patients/labels";
import { Discussions } from "./discussions";
import { EligibilitySummary } from "./eligibility";
import { Engagements } from "./engagements";
import { NotCovered, OpenSafetyAlerts } from "./notices";

export const meta: MetaFunction = () => [{ title: "Patient · Ember Health Provider Portal" }];

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { actor, patient, today } = await openPatient(request, context, params.patientId, { action: "patient.view" });
  const now = context.now();
  const [records, discussions, riskFlags, gate, safetyAlerts] = await Promise.all([
    engagementByProvider(context.db, patient.id, now),
    listDiscussions(context.db, patient.id),
    visibleRiskFlags(context.db, actor, patient, today),
    engagementGate(context.db, patient.id, now),
    openPatientSafetyAlerts(context.db, patient),
  ]);
  const eligibility = eligibilitySummary(patient, records, discussions.length);
  return {
    role: actor.role,
    patient: {
      id: patient.id,
      first_name: patient.first_name,
      last_name: patient.last_name,
      record_number: patient.record_number,
      date_of_birth: patient.date_of_birth,
      location_name: patient.location_name,
      insurance: patient.insurance,
      calendar_code: patient.calendar_code,
      diagnoses: patient.diagnoses,
    },
    // What this viewer's release leaves out (nothing, for Ember staff), named so they know why a page is not found.
    notCovered: Object.entries(SCOPE_PARTS)
      .filter(([scope]) => !patient.scopes.includes(scope as keyof typeof SCOPE_PARTS))
      .map(([, part]) => part),
    riskFlags,
    safetyAlerts,
    status: engagementStatus(records),
    eligibility,
    gate,
    engagements: records.map((r) => ({
      provider_name: r.provider_name,
      confirmed_at: r.confirmed_at,
      expires_at: r.expires_at,
      active: r.active,
      on_team: r.on_team,
      release_current: r.release_current,
      trauma_therapy: r.trauma_therapy,
    })),
    discussions,
  };
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const { actor, audit, patient, today } = await openPatient(request, context, params.patientId, {
    action: "eligibility.discussion",
    roles: ["clinician"],
    auditRead: false,
  });
  const submission = parseSubmission(await request.formData(), discussionSchema(today));
  if (submission.status !== "success") return showFormAgain(submission);
  await recordDiscussion(context.db, audit, {
    patientId: patient.id,
    clinicianId: actor.id,
    ...submission.value,
    now: context.now(),
  });
  return redirect(`/patients/${patient.id}`, {
    headers: { "Set-Cookie": await setFlash(context, { kind: "success", message: "Discussion recorded." }) },
  });
}

export default function PatientOverview() {
  const { patient, role, riskFlags, safetyAlerts, status, eligibility, gate, engagements, discussions, notCovered } =
    useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>();
  return (
    <>
      <PatientHeader patient={patient} role={role} status={status} />
      <RiskBanners flags={riskFlags} />
      <OpenSafetyAlerts patientId={patient.id} alerts={safetyAlerts} />
      <NotCovered parts={notCovered} />
      <EligibilitySummary diagnoses={patient.diagnoses} eligibility={eligibility} gate={gate} />
      <Engagements patientId={patient.id} role={role} engagements={engagements} />
      <Discussions discussions={discussions} clinician={role === "clinician"} lastResult={lastResult} />
    </>
  );
}
