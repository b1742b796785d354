import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { useActionData } from "@remix-run/react";
import { auditContextOf, requireActor } from "~/auth/session.server";
import { PatientForm } from "~/components/patient-form";
import { PageHeader } from "~/components/ui";
import { setFlash } from "~/lib/flash.server";
import { parseSubmission, showFormAgain } from "~/lib/forms.server";
import { clinicToday } from "~/lib/time";
import { createPatient } from "~/modules/patients/patients.server";
import { patientSchema } from "~/modules/patients/forms.server";

export const meta: MetaFunction = () => [{ title: "New patient · Ember Health Provider Portal" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireActor(request, context, ["coordinator"]);
  return null;
}

export async function action({ request, context }: ActionFunctionArgs) {
  const actor = await requireActor(request, context, ["coordinator"]);
  const submission = parseSubmission(await request.formData(), patientSchema(clinicToday(context.now())));
  if (submission.status !== "success") return showFormAgain(submission);
  const id = await createPatient(context.db, auditContextOf(context, actor), submission.value);
  return redirect(`/patients/${id}/care-team`, {
    headers: {
      "Set-Cookie": await setFlash(context, {
        kind: "success",
        message: "Patient created. Next: add the outside providers and record their releases.",
      }),
    },
  });
}

export default function NewPatient() {
  const lastResult = useActionData<typeof action>();
  return (
    <>
      <PageHeader
        title="New patient"
        description="Create the patient's record; an Ember record number is assigned when you save."
      />
      <PatientForm lastResult={lastResult} submitLabel="Create patient" />
    </>
  );
}
