import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { getFormProps, getInputProps, useForm, type SubmissionResult } from "@conform-to/react";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import type { z } from "zod";
import { Form, FormError, SelectField, SubmitButton } from "~/components/form";
import { PatientHeader } from "~/components/patient";
import { When } from "~/components/time";
import { Badge, EmptyState } from "~/components/ui";
import { setFlash } from "~/lib/flash.server";
import { parseSubmission, showFormAgain } from "~/lib/forms.server";
import { openPatient } from "~/auth/patient-gate.server";
import { patientSummary } from "~/modules/patients/patients.server";
import { INSURANCES } from "~/modules/patients/labels";
import { openReferral } from "~/modules/referrals/referrals.server";
import { patientReferrals } from "~/modules/referrals/pipeline.server";
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
  const submission = parseSubmission(await request.formData(), referralSchema);
  if (submission.status !== "success") return showFormAgain(submission);
  const id = await openReferral(context.db, actor, audit, {
    patientId: patient.id,
    ...submission.value,
    needsWindow: submission.value.needsWindow === "yes",
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

function OpenReferralForm({ insurance, lastResult }: { insurance: string; lastResult?: SubmissionResult }) {
  const [form, fields] = useForm<z.input<typeof referralSchema>>({
    id: "open-referral",
    lastResult,
    shouldValidate: "onBlur",
    defaultValue: { modality: "any", setting: "either", insurance, language: "English", urgency: "routine" },
  });
  return (
    <>
      <FormError form={form} />
      <Form method="post" {...getFormProps(form)} noValidate>
        <div className="form-row">
          <SelectField
            label="Modality wanted"
            field={fields.modality}
            options={[
              { value: "any", label: `Any of ${TRAUMA_MODALITIES.join(", ")}` },
              ...TRAUMA_MODALITIES.map((value) => ({ value, label: value })),
            ]}
          />
          <SelectField
            label="Setting"
            field={fields.setting}
            options={[
              { value: "either", label: "In person or telehealth" },
              { value: "in_person", label: "In person only" },
              { value: "telehealth", label: "Telehealth only" },
            ]}
          />
          <SelectField
            label="Borough for in-person care"
            field={fields.borough}
            options={opts(BOROUGHS)}
            placeholder="None (telehealth)"
          />
        </div>
        <div className="form-row">
          <SelectField label="Coverage" field={fields.insurance} options={opts(INSURANCES)} />
          <SelectField label="Language" field={fields.language} options={opts(LANGUAGES)} />
          <SelectField
            label="Urgency"
            field={fields.urgency}
            options={[
              { value: "routine", label: "Routine" },
              { value: "soon", label: "Soon (within 2 weeks)" },
              { value: "urgent", label: "Urgent" },
            ]}
          />
        </div>
        <div className="field">
          <label className="check">
            <input
              {...getInputProps(fields.needsWindow, { type: "checkbox", value: "yes" })}
              key={fields.needsWindow.key}
            />{" "}
            Must be able to see the patient in the window after the first planned infusion
          </label>
        </div>
        <SubmitButton>Open referral and see candidates</SubmitButton>
      </Form>
    </>
  );
}

export default function PatientReferrals() {
  const { patient, role, referrals } = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>();
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
          <OpenReferralForm insurance={patient.insurance} lastResult={lastResult} />
        </section>
      ) : null}
    </>
  );
}
