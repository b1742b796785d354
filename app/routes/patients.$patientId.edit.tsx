import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { PatientHeader } from "~/components/patient";
import { PatientForm } from "~/components/patient-form";
import { setFlash } from "~/lib/flash.server";
import { parseSubmission, showFormAgain } from "~/lib/forms.server";
import { openPatient } from "~/auth/patient-gate.server";
import { updatePatient } from "~/modules/patients/patients.server";
import { patientSchema } from "~/modules/patients/forms.server";

export const meta: MetaFunction = () => [{ title: "Edit patient · Ember Health Provider Portal" }];

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { actor, patient } = await openPatient(request, context, params.patientId, {
    action: "patient.view",
    roles: ["coordinator"],
  });
  return { role: actor.role, patient };
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const { audit, patient, today } = await openPatient(request, context, params.patientId, {
    action: "patient.update",
    roles: ["coordinator"],
    auditRead: false,
  });
  const submission = parseSubmission(await request.formData(), patientSchema(today));
  if (submission.status !== "success") return showFormAgain(submission);
  await updatePatient(context.db, audit, patient.id, submission.value, context.now());
  return redirect(`/patients/${patient.id}`, {
    headers: { "Set-Cookie": await setFlash(context, { kind: "success", message: "Patient record saved." }) },
  });
}

export default function EditPatient() {
  const { patient, role } = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>();
  return (
    <>
      <PatientHeader patient={patient} role={role} />
      <h2>Edit the record</h2>
      <PatientForm
        lastResult={lastResult}
        submitLabel="Save changes"
        initial={{
          firstName: patient.first_name,
          lastName: patient.last_name,
          dateOfBirth: patient.date_of_birth,
          preferredLocationId: patient.preferred_location_id,
          insurance: patient.insurance,
          diagnoses: patient.diagnoses,
          riskFlags: patient.risk_flags,
        }}
      />
    </>
  );
}
