import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { Form, FormError, SelectField, SubmitButton } from "~/components/form";
import { PatientHeader } from "~/components/patient";
import { When } from "~/components/time";
import { Badge, EmptyState } from "~/components/ui";
import { setFlash } from "~/lib/flash.server";
import { formState, parseForm } from "~/lib/forms";
import { openPatient } from "~/auth/patient-gate.server";
import { patientSummary } from "~/modules/patients/patients.server";
import { INSURANCES } from "~/modules/patients/labels";
import { openReferral, patientReferrals } from "~/modules/referrals/referrals.server";
import { referralSchema } from "~/modules/referrals/forms.server";
import { BOROUGHS, LANGUAGES } from "~/modules/referrals/labels";
import { TRAUMA_MODALITIES } from "~/lib/therapies";

export const meta: MetaFunction = () => [{ title: "Referrals · Ember Health Provider Portal" }];

const STAFF = ["coordinator", "admin", "clinician"] as const;

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { actor, patient } = await openPatient(request, context, params.patientId, {
    action: "referral.view",
    roles: STAFF,
  });
  return {
    role: actor.role,
    patient: { ...patientSummary(patient), insurance: patient.insurance },
    referrals: await patientReferrals(context.db, patient.id),
  };
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const { actor, audit, patient } = await openPatient(request, context, params.patientId, {
    action: "referral.open",
    roles: ["coordinator"],
    auditRead: false,
  });
  const form = parseForm(referralSchema, await request.formData());
  if (!form.ok) return data(formState(form), { status: 400 });
  const id = await openReferral(context.db, actor, audit, {
    patientId: patient.id,
    ...form.data,
    needsWindow: form.data.needsWindow === "yes",
    now: context.now(),
  });
  return redirect(`/referrals/${id}`, {
    headers: {
      "Set-Cookie": await setFlash(context, {
        kind: "success",
        message: "Referral opened. Review the ranked candidates and make an offer.",
      }),
    },
  });
}

const opts = (values: readonly string[]) => values.map((v) => ({ value: v, label: v }));

export default function PatientReferrals() {
  const { patient, role, referrals } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const v = actionData?.values ?? {};
  const e = actionData?.errors ?? {};
  return (
    <>
      <PatientHeader patient={patient} role={role} />
      <h2>Referrals to a trauma-focused therapist</h2>
      {referrals.length === 0 ? (
        <EmptyState title="No referrals yet">
          <p>
            Open one when the patient has no WET, CPT or PE therapist. The loop stays open until the therapist confirms
            engagement.
          </p>
        </EmptyState>
      ) : (
        <ul>
          {referrals.map((r) => (
            <li key={r.id}>
              <Link to={`/referrals/${r.id}`}>
                {r.modality === "any" ? "Any trauma-focused modality" : r.modality}, {r.setting.replace("_", " ")}
              </Link>{" "}
              <Badge>{r.status}</Badge> opened <When at={r.created_at} />
            </li>
          ))}
        </ul>
      )}
      {role === "coordinator" ? (
        <section className="card" aria-labelledby="open-title">
          <h2 id="open-title">Open a referral</h2>
          <FormError message={actionData?.formError} />
          <Form method="post" noValidate>
            <div className="form-row">
              <SelectField
                label="Modality wanted"
                name="modality"
                options={[
                  { value: "any", label: `Any of ${TRAUMA_MODALITIES.join(", ")}` },
                  ...TRAUMA_MODALITIES.map((value) => ({ value, label: value })),
                ]}
                defaultValue={v.modality ?? "any"}
                errors={e.modality}
              />
              <SelectField
                label="Setting"
                name="setting"
                options={[
                  { value: "either", label: "In person or telehealth" },
                  { value: "in_person", label: "In person only" },
                  { value: "telehealth", label: "Telehealth only" },
                ]}
                defaultValue={v.setting ?? "either"}
                errors={e.setting}
              />
              <SelectField
                label="Borough for in-person care"
                name="borough"
                options={opts(BOROUGHS)}
                placeholder="None (telehealth)"
                defaultValue={v.borough ?? ""}
                errors={e.borough}
              />
            </div>
            <div className="form-row">
              <SelectField
                label="Coverage"
                name="insurance"
                options={opts(INSURANCES)}
                defaultValue={v.insurance ?? patient.insurance}
                errors={e.insurance}
              />
              <SelectField
                label="Language"
                name="language"
                options={opts(LANGUAGES)}
                defaultValue={v.language ?? "English"}
                errors={e.language}
              />
              <SelectField
                label="Urgency"
                name="urgency"
                options={[
                  { value: "routine", label: "Routine" },
                  { value: "soon", label: "Soon (within 2 weeks)" },
                  { value: "urgent", label: "Urgent" },
                ]}
                defaultValue={v.urgency ?? "routine"}
                errors={e.urgency}
              />
            </div>
            <div className="field">
              <label className="check">
                <input type="checkbox" name="needsWindow" value="yes" defaultChecked={v.needsWindow === "yes"} /> Must
                be able to see the patient in the window after the first planned infusion
              </label>
            </div>
            <SubmitButton>Open referral and see candidates</SubmitButton>
          </Form>
        </section>
      ) : null}
    </>
  );
}
