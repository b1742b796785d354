import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { useActionData } from "@remix-run/react";
import { auditContextOf, requireActor } from "~/auth/session.server";
import { PatientForm } from "~/components/patient-form";
import { PageHeader } from "~/components/ui";
import { setFlash } from "~/lib/flash.server";
import { formState, parseForm } from "~/lib/forms";
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
  const form = parseForm(patientSchema(clinicToday(context.now())), await request.formData(), [
    "diagnoses",
    "riskFlags",
  ]);
  if (!form.ok) return data(formState(form), { status: 400 });
  const id = await createPatient(context.db, auditContextOf(context, actor), form.data);
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
  const actionData = useActionData<typeof action>();
  return (
    <>
      <PageHeader
        title="New patient"
        description="Create the patient's record; an Ember record number is assigned when you save."
      />
      <PatientForm state={actionData} submitLabel="Create patient" />
    </>
  );
}
