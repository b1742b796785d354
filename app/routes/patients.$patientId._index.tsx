import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { getFormProps, useForm } from "@conform-to/react";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import type { z } from "zod";
import { Form, FormError, SubmitButton, TextAreaField, TextField } from "~/components/form";
import { PatientHeader, RiskBanners } from "~/components/patient";
import { When } from "~/components/time";
import { Alert, Badge } from "~/components/ui";
import { setFlash } from "~/lib/flash.server";
import { parseSubmission, showFormAgain } from "~/lib/forms.server";
import { formatDate, formatDateTime } from "~/lib/time";
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
import { DIAGNOSES, SCOPE_PARTS } from "~/modules/patients/labels";

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
  const [form, fields] = useForm<z.input<ReturnType<typeof discussionSchema>>>({
    id: "eligibility-discussion",
    lastResult,
    shouldValidate: "onBlur",
  });
  const diagnosisLabels = DIAGNOSES.filter((d) => patient.diagnoses.includes(d.value)).map((d) => d.label);
  return (
    <>
      <PatientHeader patient={patient} role={role} status={status} />
      <RiskBanners flags={riskFlags} />
      {safetyAlerts.length ? (
        <section aria-labelledby="open-safety-title">
          <h2 id="open-safety-title" className="visually-hidden">
            Unacknowledged safety signals
          </h2>
          {safetyAlerts.map((a) => (
            <Alert key={a.id} kind="error">
              <strong>{a.note_id ? "Safety concern" : "Urgent safety alert"}</strong>{" "}
              {a.escalated_at ? <Badge tone="bad">escalated</Badge> : null} raised <When at={a.raised_at} />, not yet
              acknowledged by an Ember clinician.{" "}
              <Link to={`/patients/${patient.id}/${a.note_id ? "notes" : "measures"}`}>
                {a.note_id ? "Read it in the care notes" : "See it on the symptom measures"}
              </Link>
            </Alert>
          ))}
        </section>
      ) : null}
      {notCovered.length ? (
        <section className="card" aria-labelledby="release-title">
          <h2 id="release-title">What your release of information does not cover</h2>
          <p>The patient's release for you does not allow sharing these, so their pages are not available to you:</p>
          <ul data-testid="not-covered">
            {notCovered.map((part) => (
              <li key={part}>{part}</li>
            ))}
          </ul>
        </section>
      ) : null}
      <section className={`card eligibility eligibility-${eligibility.kind}`} aria-labelledby="eligibility-title">
        <h2 id="eligibility-title">Eligibility summary</h2>
        <p>
          <strong data-testid="eligibility-headline">{eligibility.headline}</strong>
        </p>
        <p className="muted">
          Derived from the diagnoses on file ({diagnosisLabels.join(", ") || "none recorded"}) and the outside
          providers' engagement confirmations.
        </p>
        {eligibility.discussionRequired ? (
          eligibility.discussionDocumented ? (
            <p>
              <Badge tone="good">Mixed-evidence discussion documented</Badge>
            </p>
          ) : (
            <Alert kind="warning">
              An Ember clinician must record that the mixed evidence for PTSD without depression was discussed with the
              patient.
            </Alert>
          )
        ) : null}
        <h3>Infusion scheduling</h3>
        {gate.allowed ? (
          <p>
            <Badge tone="good">Infusions may be scheduled</Badge>
          </p>
        ) : (
          <ul aria-label="Why infusions cannot be scheduled yet">
            {gate.reasons.map((r) => (
              <li key={r}>{r}</li>
            ))}
          </ul>
        )}
      </section>

      <section className="card" aria-labelledby="engagement-title">
        <h2 id="engagement-title">Outside providers' engagement</h2>
        {engagements.length === 0 ? (
          <p>
            No provider has confirmed engagement yet.{" "}
            {role === "therapist" || role === "psychiatrist" ? (
              <Link to={`/patients/${patient.id}/engagement`}>Confirm that you actively treat this patient</Link>
            ) : (
              "A provider on the care team confirms it from this patient's Engagement page."
            )}
          </p>
        ) : (
          <ul>
            {engagements.map((e) => (
              <li key={`${e.provider_name}-${e.confirmed_at}`}>
                {e.provider_name}:{" "}
                {e.active ? <Badge tone="good">active</Badge> : <Badge tone="bad">engagement lapsed</Badge>} confirmed{" "}
                {formatDateTime(e.confirmed_at)}, {e.active ? "valid until" : "expired"} {formatDateTime(e.expires_at)}
                {!e.on_team
                  ? " · no longer on the care team"
                  : !e.release_current
                    ? " · release of information not current"
                    : ""}
              </li>
            ))}
          </ul>
        )}
      </section>

      <section className="card" aria-labelledby="discussions-title">
        <h2 id="discussions-title">Mixed-evidence discussions</h2>
        {discussions.length === 0 ? <p className="muted">None recorded.</p> : null}
        <ul>
          {discussions.map((d) => (
            <li key={d.id}>
              {formatDate(d.discussed_on)} — {d.clinician_name}: <span className="note-text">{d.note}</span>
            </li>
          ))}
        </ul>
        {role === "clinician" ? (
          <Form method="post" {...getFormProps(form)} noValidate>
            <FormError form={form} />
            <div className="form-row">
              <TextField label="Date of the discussion" field={fields.discussedOn} type="date" required />
            </div>
            <TextAreaField label="What was discussed" field={fields.note} maxLength={4000} required />
            <SubmitButton>Record the discussion</SubmitButton>
          </Form>
        ) : null}
      </section>
    </>
  );
}
