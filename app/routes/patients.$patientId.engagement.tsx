import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { getFormProps, getInputProps, useForm } from "@conform-to/react";
import { useActionData, useLoaderData } from "@remix-run/react";
import type { z } from "zod";
import { DataTable } from "~/components/data-table";
import { Form, FormError, SelectField, SubmitButton, TextField } from "~/components/form";
import { PatientHeader } from "~/components/patient";
import { Badge, EmptyState } from "~/components/ui";
import { setFlash } from "~/lib/flash.server";
import { parseSubmission, showFormAgain } from "~/lib/forms.server";
import { formatDate, formatDateTime, addDays } from "~/lib/time";
import {
  clinicSettings,
  confirmEngagement,
  EngagementError,
  engagementByProvider,
} from "~/modules/engagement/engagement.server";
import { openPatient } from "~/auth/patient-gate.server";
import { signerOf } from "~/modules/users/users.server";
import { patientSummary } from "~/modules/patients/patients.server";
import { engagementSchema } from "~/modules/engagement/forms.server";
import {
  CADENCE_LABELS,
  DEPRESSION_COMORBIDITIES,
  DEPRESSION_LABELS,
  SESSION_CADENCES,
  THERAPY_LABELS,
  TRAUMA_THERAPIES,
} from "~/modules/engagement/labels";
import { isOutsideProvider, OUTSIDE_PROVIDER_ROLES } from "~/lib/roles";

export const meta: MetaFunction = () => [{ title: "Engagement · Ember Health Provider Portal" }];

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { actor, patient } = await openPatient(request, context, params.patientId, { action: "engagement.view" });
  const [records, settings, me] = await Promise.all([
    engagementByProvider(context.db, patient.id, context.now()),
    clinicSettings(context.db),
    signerOf(context.db, actor.id),
  ]);
  return {
    role: actor.role,
    actorId: actor.id,
    patient: patientSummary(patient),
    records,
    validDays: settings.engagement_valid_days,
    me,
  };
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const { actor, audit, patient, today } = await openPatient(request, context, params.patientId, {
    action: "engagement.confirm",
    roles: OUTSIDE_PROVIDER_ROLES,
    auditRead: false,
  });
  const settings = await clinicSettings(context.db);
  const schema = engagementSchema({
    today,
    earliestLastSession: addDays(today, -settings.engagement_max_session_age_days),
    maxSessionAgeDays: settings.engagement_max_session_age_days,
  });
  const submission = parseSubmission(await request.formData(), schema);
  if (submission.status !== "success") return showFormAgain(submission);
  try {
    await confirmEngagement(context.db, actor, audit, {
      ...submission.value,
      patientId: patient.id,
      now: context.now(),
    });
  } catch (error) {
    if (error instanceof EngagementError)
      return data(submission.reply({ fieldErrors: { [error.field]: [error.message] } }), { status: 400 });
    throw error;
  }
  return redirect(`/patients/${patient.id}`, {
    headers: {
      "Set-Cookie": await setFlash(context, {
        kind: "success",
        message: `Engagement confirmed. It is valid for ${settings.engagement_valid_days} days.`,
      }),
    },
  });
}

const options = <T extends string>(values: readonly T[], labels: Record<T, string>) =>
  values.map((v) => ({ value: v, label: labels[v] }));

export default function Engagement() {
  const { patient, role, actorId, records, validDays, me } = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>();
  const [form, fields] = useForm<z.input<ReturnType<typeof engagementSchema>>>({
    id: "confirm-engagement",
    lastResult,
    shouldValidate: "onBlur",
  });
  const provider = isOutsideProvider(role);
  const mine = records.find((r) => r.provider_id === actorId);
  return (
    <>
      <PatientHeader patient={patient} role={role} />
      <h2>Engagement confirmations</h2>
      <DataTable
        caption="Engagement confirmations"
        rows={records}
        rowKey={(r) => r.id}
        empty={
          <EmptyState title="No engagement confirmed yet">
            <p>
              Ember schedules infusions only while an outside licensed provider on the care team confirms they actively
              treat the patient.
            </p>
          </EmptyState>
        }
        columns={[
          { header: "Provider", cell: (r) => r.provider_name },
          {
            header: "Status",
            cell: (r) =>
              r.active ? (
                <Badge tone="good">active until {formatDateTime(r.expires_at)}</Badge>
              ) : (
                <Badge tone="bad">engagement lapsed {formatDateTime(r.expires_at)}</Badge>
              ),
          },
          { header: "Treatment since", cell: (r) => formatDate(r.treatment_started_on) },
          { header: "Last session", cell: (r) => `${formatDate(r.last_session_on)} (${CADENCE_LABELS[r.cadence]})` },
          {
            header: "Trauma-focused therapy",
            cell: (r) =>
              `${THERAPY_LABELS[r.trauma_therapy]}${r.trauma_therapy !== "none" ? `, ${r.sessions_held} sessions held` : ""}`,
          },
          { header: "Depression", cell: (r) => DEPRESSION_LABELS[r.depression] },
          {
            header: "Signed",
            cell: (r) => `${r.signature_name}, ${r.signature_licence}, ${formatDateTime(r.confirmed_at)}`,
          },
        ]}
      />

      {provider ? (
        <section className="card" aria-labelledby="confirm-title">
          <h2 id="confirm-title">
            {mine ? "Renew your engagement confirmation" : "Confirm that you actively treat this patient"}
          </h2>
          <p className="muted">A confirmation is valid for {validDays} days. Dates cannot be in the future.</p>
          <FormError form={form} />
          {form.status === "error" && Object.keys(form.allErrors).length > 0 ? (
            <div className="alert alert-error" role="alert">
              Some answers need attention: see the messages below. Nothing was saved.
            </div>
          ) : null}
          <Form method="post" {...getFormProps(form)} noValidate>
            <div className="form-row">
              <TextField label="Treatment start date" field={fields.treatmentStartedOn} type="date" required />
              <TextField label="Date of the most recent session" field={fields.lastSessionOn} type="date" required />
              <SelectField
                label="How often you see the patient"
                field={fields.cadence}
                options={options(SESSION_CADENCES, CADENCE_LABELS)}
                placeholder="Choose"
                required
              />
            </div>
            <div className="form-row">
              <SelectField
                label="Do you confirm the PTSD diagnosis?"
                field={fields.ptsdConfirmed}
                options={[
                  { value: "yes", label: "Yes, PTSD is confirmed" },
                  { value: "no", label: "No" },
                ]}
                placeholder="Choose"
                required
              />
              <SelectField
                label="Depression comorbidity"
                field={fields.depression}
                options={options(DEPRESSION_COMORBIDITIES, DEPRESSION_LABELS)}
                placeholder="Choose"
                required
              />
            </div>
            <div className="form-row">
              <SelectField
                label="Trauma-focused therapy"
                field={fields.traumaTherapy}
                options={options(TRAUMA_THERAPIES, THERAPY_LABELS)}
                placeholder="Choose"
                required
              />
              <TextField
                label="Sessions held so far"
                field={fields.sessionsHeld}
                type="number"
                min={0}
                max={500}
                inputMode="numeric"
                required
              />
            </div>
            <div className="field">
              <label className="check">
                <input
                  {...getInputProps(fields.agreesToCoordinate, {
                    type: "checkbox",
                    value: "yes",
                    ariaAttributes: false,
                  })}
                  key={fields.agreesToCoordinate.key}
                  aria-describedby={fields.agreesToCoordinate.errors ? fields.agreesToCoordinate.errorId : undefined}
                />{" "}
                I agree to coordinate this patient's care with Ember Health.
              </label>
              {fields.agreesToCoordinate.errors ? (
                <p className="field-error" id={fields.agreesToCoordinate.errorId}>
                  {fields.agreesToCoordinate.errors.join(" ")}
                </p>
              ) : null}
            </div>
            <TextField
              label="Electronic signature: type your full name"
              field={fields.signature}
              autoComplete="off"
              hint={`Signing as ${me.name}${me.licence_type ? `, ${me.licence_type} ${me.licence_number} (${me.licence_state}), NPI ${me.npi}` : ""}.`}
              required
            />
            <SubmitButton pendingText="Signing…">Sign and confirm engagement</SubmitButton>
          </Form>
        </section>
      ) : null}
    </>
  );
}
