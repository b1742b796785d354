import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { DataTable } from "~/components/data-table";
import { Form, FormError, SelectField, SubmitButton, TextField } from "~/components/form";
import { PatientHeader } from "~/components/patient";
import { Badge, EmptyState } from "~/components/ui";
import { setFlash } from "~/lib/flash.server";
import { formState, parseForm } from "~/lib/forms";
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
  const form = parseForm(schema, await request.formData());
  if (!form.ok) return data(formState(form), { status: 400 });
  try {
    await confirmEngagement(context.db, actor, audit, { ...form.data, patientId: patient.id, now: context.now() });
  } catch (error) {
    if (error instanceof EngagementError)
      return data(formState({ errors: { [error.field]: [error.message] }, values: form.values }), { status: 400 });
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
  const actionData = useActionData<typeof action>();
  const v = actionData?.values ?? {};
  const e = actionData?.errors ?? {};
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
          <FormError message={actionData?.formError} />
          {actionData && Object.keys(e).length > 0 ? (
            <div className="alert alert-error" role="alert">
              Some answers need attention: see the messages below. Nothing was saved.
            </div>
          ) : null}
          <Form method="post" noValidate>
            <div className="form-row">
              <TextField
                label="Treatment start date"
                name="treatmentStartedOn"
                type="date"
                defaultValue={v.treatmentStartedOn}
                errors={e.treatmentStartedOn}
                required
              />
              <TextField
                label="Date of the most recent session"
                name="lastSessionOn"
                type="date"
                defaultValue={v.lastSessionOn}
                errors={e.lastSessionOn}
                required
              />
              <SelectField
                label="How often you see the patient"
                name="cadence"
                options={options(SESSION_CADENCES, CADENCE_LABELS)}
                placeholder="Choose"
                defaultValue={v.cadence ?? ""}
                errors={e.cadence}
                required
              />
            </div>
            <div className="form-row">
              <SelectField
                label="Do you confirm the PTSD diagnosis?"
                name="ptsdConfirmed"
                options={[
                  { value: "yes", label: "Yes, PTSD is confirmed" },
                  { value: "no", label: "No" },
                ]}
                placeholder="Choose"
                defaultValue={v.ptsdConfirmed ?? ""}
                errors={e.ptsdConfirmed}
                required
              />
              <SelectField
                label="Depression comorbidity"
                name="depression"
                options={options(DEPRESSION_COMORBIDITIES, DEPRESSION_LABELS)}
                placeholder="Choose"
                defaultValue={v.depression ?? ""}
                errors={e.depression}
                required
              />
            </div>
            <div className="form-row">
              <SelectField
                label="Trauma-focused therapy"
                name="traumaTherapy"
                options={options(TRAUMA_THERAPIES, THERAPY_LABELS)}
                placeholder="Choose"
                defaultValue={v.traumaTherapy ?? ""}
                errors={e.traumaTherapy}
                required
              />
              <TextField
                label="Sessions held so far"
                name="sessionsHeld"
                type="number"
                min={0}
                max={500}
                inputMode="numeric"
                defaultValue={v.sessionsHeld}
                errors={e.sessionsHeld}
                required
              />
            </div>
            <div className="field">
              <label className="check">
                <input
                  type="checkbox"
                  name="agreesToCoordinate"
                  value="yes"
                  defaultChecked={v.agreesToCoordinate === "yes"}
                  aria-describedby={e.agreesToCoordinate ? "agree-error" : undefined}
                />{" "}
                I agree to coordinate this patient's care with Ember Health.
              </label>
              {e.agreesToCoordinate ? (
                <p className="field-error" id="agree-error">
                  {e.agreesToCoordinate.join(" ")}
                </p>
              ) : null}
            </div>
            <TextField
              label="Electronic signature: type your full name"
              name="signature"
              autoComplete="off"
              hint={`Signing as ${me.name}${me.licence_type ? `, ${me.licence_type} ${me.licence_number} (${me.licence_state}), NPI ${me.npi}` : ""}.`}
              defaultValue={v.signature}
              errors={e.signature}
              required
            />
            <SubmitButton pendingText="Signing…">Sign and confirm engagement</SubmitButton>
          </Form>
        </section>
      ) : null}
    </>
  );
}
