import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { openPatient } from "~/auth/patient-gate.server";
import { signedInFormData } from "~/auth/session.server";
import { PatientHeader } from "~/components/patient";
import { dispatchIntent, intentOf, isKnownIntent } from "~/lib/intents.server";
import { currentCourseId, patientMedications } from "~/modules/medications/medications.server";
import { patientSummary } from "~/modules/patients/patients.server";
import { MEDICATION_INTENTS, type MedicationChange, type MedicationAnswer } from "./actions.server";
import { AddMedicationForm } from "./add-form";
import { MedicationTable } from "./medication-table";

export const meta: MetaFunction = () => [{ title: "Medications · Ember Health Provider Portal" }];

/** Ember staff and the outside psychiatrist keep the list; only a clinician reviews for a course. */
const READERS = ["clinician", "coordinator", "admin", "psychiatrist"] as const;

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { actor, patient, today } = await openPatient(request, context, params.patientId, {
    action: "medication.view",
    roles: READERS,
  });
  const courseId = await currentCourseId(context.db, patient.id, context.now());
  return {
    role: actor.role,
    patient: patientSummary(patient),
    medications: await patientMedications(context.db, patient.id, courseId),
    hasCourse: courseId !== null,
    today,
  };
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const formData = await signedInFormData(request, context);
  const intent = intentOf(formData);
  const { actor, audit, patient, today } = await openPatient(request, context, params.patientId, {
    // The audit action names a known intent only: the field is the caller's to fill with anything.
    action: `medication.${isKnownIntent(MEDICATION_INTENTS, intent) ? intent : "change"}`,
    roles: intent === "review" ? ["clinician"] : READERS,
    auditRead: false,
  });
  const change: MedicationChange = {
    context,
    formData,
    actor,
    audit,
    patientId: patient.id,
    today,
    now: context.now(),
  };
  return dispatchIntent(formData, MEDICATION_INTENTS, change);
}

export default function Medications() {
  const { role, patient, medications, hasCourse, today } = useLoaderData<typeof loader>();
  const answer = useActionData<typeof action>() as MedicationAnswer;
  return (
    <>
      <PatientHeader patient={patient} role={role} />
      <h2>Medications</h2>
      <p className="muted">
        Medications on the clinic’s list are marked “to review” before ketamine: a label for the clinician, not advice.
        Each is reviewed once per course of infusions.
      </p>
      <MedicationTable
        medications={medications}
        today={today}
        clinician={role === "clinician"}
        hasCourse={hasCourse}
        answer={answer}
      />
      <AddMedicationForm answer={answer} />
    </>
  );
}
