import { signedInFormData } from "~/auth/session.server";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { CLINICS } from "~/components/patient-form";
import { Form, FormError, SelectField, SubmitButton, TextField } from "~/components/form";
import { PatientHeader } from "~/components/patient";
import { When, WindowRange } from "~/components/time";
import { Alert, Badge, EmptyState } from "~/components/ui";
import { setFlash } from "~/lib/flash.server";
import { formState, parseForm, submittedValues, type FormState } from "~/lib/forms";
import { formatDateTime } from "~/lib/time";
import { toLocalInput } from "~/lib/zoned";
import { decideBoosterReview, decidedBoosterReviews, openBoosterReviews } from "~/modules/infusions/boosters.server";
import {
  cancelVisit,
  listClinicians,
  listPatientVisits,
  recordVisitOutcome,
  rescheduleVisit,
  scheduleCourse,
  ScheduleError,
} from "~/modules/infusions/infusions.server";
import {
  boosterDecisionSchema,
  cancelSchema,
  outcomeSchema,
  rescheduleSchema,
  scheduleSchema,
  sessionOutcomeSchema,
  sessionSchema,
} from "~/modules/infusions/forms.server";
import { BOOSTER_DECISIONS, BOOSTER_REVIEW_REASONS } from "~/modules/infusions/labels";
import { listPatientSessions, planTherapySession, recordSessionOutcome } from "~/modules/infusions/sessions.server";
import { engagementGateDetail } from "~/modules/patients/engagement.server";
import { openPatient } from "~/modules/patients/page.server";
import { patientSummary } from "~/modules/patients/patients.server";
import { isOutsideProvider, OUTSIDE_PROVIDER_ROLES } from "~/lib/roles";

export const meta: MetaFunction = () => [{ title: "Infusions and therapy windows · Ember Health Provider Portal" }];

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { actor, patient, today } = await openPatient(request, context, params.patientId, {
    action: "infusion.view",
    scope: "infusion_schedule",
  });
  const now = context.now();
  const [visits, sessions, gate, clinicians, boosters, decided] = await Promise.all([
    listPatientVisits(context.db, patient),
    listPatientSessions(context.db, patient),
    engagementGateDetail(context.db, patient.id, now),
    actor.role === "clinician" ? listClinicians(context.db) : [],
    openBoosterReviews(context.db, actor, today, patient),
    decidedBoosterReviews(context.db, patient),
  ]);
  return {
    role: actor.role,
    actorId: actor.id,
    patient: patientSummary(patient),
    visits,
    sessions,
    gate,
    clinicians,
    boosters,
    decided,
    now: now.toISOString(),
  };
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const formData = await signedInFormData(request, context);
  const intent = String(formData.get("intent") ?? "");
  const target = String(formData.get("target") ?? "");
  const providerIntents = ["plan-session", "session-outcome"];
  // The audit action names a known intent only: the field is the caller's to fill with anything.
  const known = ["schedule", "reschedule", "cancel", "outcome", "booster-decision", ...providerIntents].includes(
    intent,
  );
  const { actor, audit, patient } = await openPatient(request, context, params.patientId, {
    action: `infusion.${known ? intent : "change"}`,
    roles: providerIntents.includes(intent) ? OUTSIDE_PROVIDER_ROLES : ["clinician"],
    auditRead: false,
    scope: "infusion_schedule",
  });
  const now = context.now();
  const appUrl = context.config.appUrl;
  const fail = (state: FormState, status = 400) => data({ intent, target, ...state }, { status });
  const done = async (message: string, kind: "success" | "info" = "success") =>
    redirect(`/patients/${patient.id}/infusions`, {
      headers: { "Set-Cookie": await setFlash(context, { kind, message }) },
    });

  try {
    switch (intent) {
      case "schedule": {
        const form = parseForm(scheduleSchema, formData, ["visit"]);
        if (!form.ok) return fail(formState(form));
        const result = await scheduleCourse(context.db, audit, {
          patientId: patient.id,
          ...form.data,
          starts: form.data.visit,
          now,
          appUrl,
        });
        context.wakeMailer();
        const base = `${form.data.visit.length} visit${form.data.visit.length === 1 ? "" : "s"} scheduled; the care team was notified.`;
        return done(
          result.warnings.length ? `${base} Please check: ${result.warnings.join(" ")}` : base,
          result.warnings.length ? "info" : "success",
        );
      }
      case "reschedule": {
        const form = parseForm(rescheduleSchema, formData);
        if (!form.ok) return fail(formState(form));
        const result = await rescheduleVisit(context.db, audit, { patientId: patient.id, ...form.data, now, appUrl });
        context.wakeMailer();
        const outside = result.sessionsNowOutside
          ? ` ${result.sessionsNowOutside} planned session(s) now fall outside the window.`
          : "";
        const warnings = result.warnings.length ? ` Please check: ${result.warnings.join(" ")}` : "";
        return done(
          `Visit moved; its therapy window moved with it and the care team was notified.${outside}${warnings}`,
          warnings ? "info" : "success",
        );
      }
      case "cancel": {
        const form = parseForm(cancelSchema, formData);
        if (!form.ok) return fail(formState(form));
        const ok = await cancelVisit(context.db, audit, { patientId: patient.id, ...form.data, now, appUrl });
        if (ok) context.wakeMailer();
        return ok
          ? done("Visit cancelled; the care team was notified.")
          : fail(formState({ formError: "Only a scheduled visit can be cancelled." }), 409);
      }
      case "outcome": {
        const form = parseForm(outcomeSchema, formData);
        if (!form.ok) return fail(formState(form));
        const result = await recordVisitOutcome(context.db, audit, { patientId: patient.id, ...form.data, now });
        if (!result.recorded)
          return fail(
            formState({ formError: "Only a scheduled visit that has started can be marked held or missed." }),
            409,
          );
        const overridden = result.overridden
          ? " The gate override and its reason are on the visit for the whole care team."
          : "";
        return done(
          result.boosterReviewDue
            ? `Visit marked held.${overridden} The course is complete: a booster review is now due in 21–28 days.`
            : `Visit marked ${form.data.outcome}.${overridden}`,
        );
      }
      case "booster-decision": {
        const form = parseForm(boosterDecisionSchema, formData);
        if (!form.ok) return fail(formState(form));
        const ok = await decideBoosterReview(context.db, audit, {
          patientId: patient.id,
          ...form.data,
          clinicianId: actor.id,
          now,
        });
        return ok
          ? done("Booster decision recorded.")
          : fail(formState({ formError: "That review was already decided." }), 409);
      }
      case "plan-session": {
        const form = parseForm(sessionSchema, formData);
        if (!form.ok) return fail(formState(form));
        const result = await planTherapySession(context.db, actor, audit, { patientId: patient.id, ...form.data, now });
        return done(
          result.inWindow
            ? "Session planned inside a therapy window."
            : "Session planned. Note: it falls outside every therapy window.",
          result.inWindow ? "success" : "info",
        );
      }
      case "session-outcome": {
        const form = parseForm(sessionOutcomeSchema, formData);
        if (!form.ok) return fail(formState(form));
        const ok = await recordSessionOutcome(context.db, actor, audit, { patientId: patient.id, ...form.data, now });
        return ok
          ? done(`Session marked ${form.data.outcome}.`)
          : fail(formState({ formError: "Only your own planned sessions can be marked." }), 409);
      }
      default:
        return fail(formState({ formError: "Unknown action: reload the page and try again." }));
    }
  } catch (error) {
    // submittedValues keeps every typed visit time (joined by newlines), not only the last "visit" field.
    if (error instanceof ScheduleError)
      return fail(formState({ formError: error.problems.join(" "), values: submittedValues(formData) }), 409);
    throw error;
  }
}

const VISIT_TONE = { scheduled: "neutral", held: "good", missed: "bad", cancelled: "bad" } as const;
const MODALITY = [
  { value: "WET", label: "Written Exposure Therapy (WET, 5 sessions)" },
  { value: "CPT", label: "Cognitive Processing Therapy (CPT, 12 sessions)" },
  { value: "PE", label: "Prolonged Exposure (PE, 8–15 sessions)" },
  { value: "other", label: "Other trauma-informed therapy" },
];

export default function Infusions() {
  const { patient, role, actorId, visits, sessions, gate, clinicians, boosters, decided, now } =
    useLoaderData<typeof loader>();
  const confirmedUntil = gate.confirmedUntil;
  const actionData = useActionData<typeof action>();
  const stateFor = (intent: string, target = "") =>
    actionData && actionData.intent === intent && actionData.target === target ? actionData : undefined;
  const clinician = role === "clinician";
  const provider = isOutsideProvider(role);
  const schedule = stateFor("schedule");
  const typedVisits = schedule?.values.visit?.split("\n") ?? [];
  const plan = stateFor("plan-session");
  return (
    <>
      <PatientHeader patient={patient} role={role} />
      <div className="page-header">
        <h2>Infusion visits and therapy windows</h2>
        <a href={`/patients/${patient.id}/calendar.ics`} className="button button-secondary" download>
          Download calendar (.ics)
        </a>
      </div>
      <p className="muted">
        The therapy window opens when a visit ends and closes 72 hours later. Times are New York time.
      </p>
      {boosters.map((b) => (
        <Alert key={b.id} kind="warning">
          <strong>Booster review due</strong> between {b.due_from} and {b.due_to} ({BOOSTER_REVIEW_REASONS[b.reason]}).
          {clinician ? (
            <Form method="post" noValidate aria-label="Record the booster decision">
              <FormError message={stateFor("booster-decision", b.id)?.formError} />
              <input type="hidden" name="intent" value="booster-decision" />
              <input type="hidden" name="target" value={b.id} />
              <input type="hidden" name="reviewId" value={b.id} />
              <div className="form-row">
                <SelectField
                  label="Decision"
                  name="decision"
                  options={BOOSTER_DECISIONS}
                  placeholder="Choose"
                  errors={stateFor("booster-decision", b.id)?.errors.decision}
                />
                <TextField
                  label="Note for the team"
                  name="note"
                  errors={stateFor("booster-decision", b.id)?.errors.note}
                />
              </div>
              <SubmitButton>Record decision</SubmitButton>
            </Form>
          ) : null}
        </Alert>
      ))}

      {visits.length === 0 ? (
        <EmptyState title="No infusion visits yet">
          <p>
            {clinician
              ? "Schedule the course below once the engagement gate allows it."
              : "Ember's clinicians schedule infusions once an outside provider has confirmed engagement."}
          </p>
        </EmptyState>
      ) : (
        <div className="table-wrap">
          <table>
            <caption className="visually-hidden">Infusion visits</caption>
            <thead>
              <tr>
                <th scope="col">Visit</th>
                <th scope="col">Clinic · clinician</th>
                <th scope="col">Status</th>
                <th scope="col">Therapy window</th>
                <th scope="col">Sessions in window</th>
                {clinician ? <th scope="col">Actions</th> : null}
              </tr>
            </thead>
            <tbody>
              {visits.map((v) => {
                const inWindow = sessions.filter((s) => s.windowVisitId === v.id);
                return (
                  <tr key={v.id}>
                    <td>
                      <When at={v.starts_at} />
                      <br />
                      <small className="muted">
                        {v.kind === "booster" ? "Booster visit" : "Course visit"} · infusion {v.infusion_minutes} min
                      </small>
                    </td>
                    <td>
                      {v.location_name}
                      <br />
                      <small className="muted">{v.clinician_name}</small>
                    </td>
                    <td>
                      <Badge tone={VISIT_TONE[v.status]}>{v.status}</Badge>
                      {v.cancel_reason ? <small className="muted"> {v.cancel_reason}</small> : null}
                      {v.gate_override_at ? (
                        <p className="visit-override">
                          <Badge tone="bad">held despite the engagement gate</Badge> {v.gate_override_by_name},{" "}
                          <When at={v.gate_override_at} />: <span className="note-text">{v.gate_override_reason}</span>
                          <br />
                          <small className="muted">The gate said: {v.gate_override_refusals?.join(" ")}</small>
                        </p>
                      ) : null}
                      {v.status === "scheduled" &&
                      confirmedUntil &&
                      new Date(v.starts_at) > new Date(confirmedUntil) ? (
                        <p>
                          <Badge tone="warn">confirmation expires before this visit</Badge>
                        </p>
                      ) : null}
                    </td>
                    <td>
                      {v.status === "cancelled" ? "—" : <WindowRange opens={v.ends_at} closes={v.window_closes_at} />}
                    </td>
                    <td>
                      {v.status === "cancelled" ? (
                        "—"
                      ) : inWindow.length ? (
                        inWindow
                          .map(
                            (s) =>
                              `${s.modality}${s.protocol_number ? ` ${s.protocol_number}${s.protocol_total ? ` of ${s.protocol_total}` : ""}` : ""}`,
                          )
                          .join(", ")
                      ) : (
                        <Badge tone="warn">none planned</Badge>
                      )}
                    </td>
                    {clinician ? (
                      <td>
                        {v.status === "scheduled" ? (
                          <details
                            open={Boolean(
                              stateFor("reschedule", v.id) || stateFor("cancel", v.id) || stateFor("outcome", v.id),
                            )}
                          >
                            <summary>Change</summary>
                            <Form method="post" noValidate aria-label="Reschedule this visit">
                              <FormError message={stateFor("reschedule", v.id)?.formError} />
                              <input type="hidden" name="intent" value="reschedule" />
                              <input type="hidden" name="target" value={v.id} />
                              <input type="hidden" name="visitId" value={v.id} />
                              <TextField
                                label="New start (New York time)"
                                name="startsAt"
                                type="datetime-local"
                                defaultValue={
                                  stateFor("reschedule", v.id)?.values.startsAt ?? toLocalInput(v.starts_at)
                                }
                                errors={stateFor("reschedule", v.id)?.errors.startsAt}
                              />
                              <SubmitButton>Reschedule</SubmitButton>
                            </Form>
                            <Form method="post" noValidate aria-label="Cancel this visit">
                              <FormError message={stateFor("cancel", v.id)?.formError} />
                              <input type="hidden" name="intent" value="cancel" />
                              <input type="hidden" name="target" value={v.id} />
                              <input type="hidden" name="visitId" value={v.id} />
                              <TextField
                                label="Reason for cancelling"
                                name="reason"
                                errors={stateFor("cancel", v.id)?.errors.reason}
                              />
                              <SubmitButton className="button button-danger">Cancel visit</SubmitButton>
                            </Form>
                            {new Date(v.starts_at) <= new Date(now) ? (
                              <Form method="post" aria-label="Record the visit's outcome">
                                <FormError message={stateFor("outcome", v.id)?.formError} />
                                <input type="hidden" name="intent" value="outcome" />
                                <input type="hidden" name="target" value={v.id} />
                                <input type="hidden" name="visitId" value={v.id} />
                                {gate.allowed ? null : (
                                  <TextField
                                    label="Reason for overriding the engagement gate"
                                    name="overrideReason"
                                    hint={`The gate refuses: ${gate.reasons.join(" ")} Marking held needs a reason; it is shown to the whole care team.`}
                                    defaultValue={stateFor("outcome", v.id)?.values.overrideReason}
                                    errors={stateFor("outcome", v.id)?.errors.overrideReason}
                                  />
                                )}
                                <button type="submit" name="outcome" value="held" className="button">
                                  {gate.allowed ? "Mark held" : "Mark held with override"}
                                </button>{" "}
                                <button type="submit" name="outcome" value="missed" className="button button-secondary">
                                  Mark missed
                                </button>
                              </Form>
                            ) : null}
                          </details>
                        ) : null}
                      </td>
                    ) : null}
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}

      <h2>Therapy sessions</h2>
      {sessions.length === 0 ? (
        <p className="muted">
          No therapy sessions recorded yet.{provider ? " Plan one below, ideally inside a window." : ""}
        </p>
      ) : (
        <div className="table-wrap">
          <table>
            <caption className="visually-hidden">Therapy sessions</caption>
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">Session</th>
                <th scope="col">Provider</th>
                <th scope="col">Window</th>
                <th scope="col">Status</th>
              </tr>
            </thead>
            <tbody>
              {sessions.map((s) => (
                <tr key={s.id}>
                  <td>
                    <When at={s.starts_at} />
                  </td>
                  <td>
                    {s.modality}
                    {s.protocol_number
                      ? ` ${s.protocol_number}${s.protocol_total ? ` of ${s.protocol_total}` : ""}`
                      : ""}{" "}
                    · {s.mode === "telehealth" ? "telehealth" : "in person"}
                  </td>
                  <td>{s.provider_name}</td>
                  <td>
                    {s.windowVisitId ? (
                      <Badge tone="good">inside a window</Badge>
                    ) : (
                      <Badge tone="warn">outside every window</Badge>
                    )}
                    {s.movedOut ? (
                      <>
                        {" "}
                        <Badge tone="bad">visit moved: no longer in its window</Badge>
                      </>
                    ) : null}
                  </td>
                  <td>
                    {s.status}
                    {s.status === "planned" && s.provider_id === actorId ? (
                      <Form
                        method="post"
                        className="inline-form"
                        aria-label={`Record the outcome of the session on ${formatDateTime(s.starts_at)}`}
                      >
                        <input type="hidden" name="intent" value="session-outcome" />
                        <input type="hidden" name="target" value={s.id} />
                        <input type="hidden" name="sessionId" value={s.id} />{" "}
                        <button type="submit" name="outcome" value="held" className="button-link">
                          held
                        </button>{" "}
                        ·{" "}
                        <button type="submit" name="outcome" value="missed" className="button-link">
                          missed
                        </button>
                      </Form>
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}

      {provider ? (
        <section className="card" aria-labelledby="plan-title">
          <h2 id="plan-title">Plan a therapy session</h2>
          <FormError message={plan?.formError} />
          <Form method="post" noValidate>
            <input type="hidden" name="intent" value="plan-session" />
            <div className="form-row">
              <TextField
                label="Date and time (New York time)"
                name="startsAt"
                type="datetime-local"
                defaultValue={plan?.values.startsAt}
                errors={plan?.errors.startsAt}
              />
              <SelectField
                label="Modality"
                name="modality"
                options={MODALITY}
                placeholder="Choose"
                defaultValue={plan?.values.modality ?? ""}
                errors={plan?.errors.modality}
              />
            </div>
            <div className="form-row">
              <TextField
                label="Session number in the protocol"
                name="protocolNumber"
                type="number"
                min={1}
                max={50}
                defaultValue={plan?.values.protocolNumber}
                errors={plan?.errors.protocolNumber}
                hint="For example 2 for WET 2 of 5."
              />
              <TextField
                label="Sessions in the protocol"
                name="protocolTotal"
                type="number"
                min={1}
                max={50}
                defaultValue={plan?.values.protocolTotal}
                errors={plan?.errors.protocolTotal}
              />
              <SelectField
                label="Where"
                name="mode"
                options={[
                  { value: "in_person", label: "In person" },
                  { value: "telehealth", label: "Telehealth" },
                ]}
                placeholder="Choose"
                defaultValue={plan?.values.mode ?? ""}
                errors={plan?.errors.mode}
              />
            </div>
            <SubmitButton>Plan session</SubmitButton>
          </Form>
        </section>
      ) : null}

      {clinician ? (
        <section className="card" aria-labelledby="schedule-title">
          <h2 id="schedule-title">Schedule visits</h2>
          {gate.allowed ? null : (
            <Alert kind="error">
              Infusions cannot be scheduled yet: {gate.reasons.join(" ")}{" "}
              <Link to={`/patients/${patient.id}`}>See the eligibility summary</Link>.
            </Alert>
          )}
          {gate.allowed && confirmedUntil ? (
            <p className="muted" id="confirmed-until">
              The current engagement confirmation expires <When at={confirmedUntil} />: a visit after it is booked with
              the warning &ldquo;confirmation expires before this visit&rdquo;.
            </p>
          ) : null}
          <FormError message={schedule?.formError} />
          <Form method="post" noValidate>
            <input type="hidden" name="intent" value="schedule" />
            <div className="form-row">
              <SelectField
                label="Clinic"
                name="locationId"
                options={CLINICS}
                defaultValue={schedule?.values.locationId ?? patient.preferred_location_id}
                errors={schedule?.errors.locationId}
              />
              <SelectField
                label="Supervising clinician"
                name="clinicianId"
                options={clinicians.map((c) => ({ value: c.id, label: c.name }))}
                defaultValue={schedule?.values.clinicianId ?? actorId}
                errors={schedule?.errors.clinicianId}
              />
              <SelectField
                label="Kind"
                name="kind"
                options={[
                  { value: "course", label: "Initial course (typically 4–6 visits over 1–2 weeks)" },
                  { value: "booster", label: "Booster visit(s) after a course" },
                ]}
                defaultValue={schedule?.values.kind ?? "course"}
                errors={schedule?.errors.kind}
              />
            </div>
            <fieldset className="field">
              <legend>Visit start times (New York time; each visit lasts 90 minutes)</legend>
              <div className="form-row">
                {Array.from({ length: 6 }, (_, i) => (
                  <TextField
                    key={i}
                    label={`Visit ${i + 1}`}
                    name="visit"
                    type="datetime-local"
                    defaultValue={typedVisits[i]}
                  />
                ))}
              </div>
              {schedule?.errors.visit ? <p className="field-error">{schedule.errors.visit.join(" ")}</p> : null}
            </fieldset>
            <SubmitButton>Schedule</SubmitButton>
          </Form>
        </section>
      ) : null}

      {decided.length ? (
        <section aria-labelledby="decided-title">
          <h2 id="decided-title">Booster decisions</h2>
          <ul>
            {decided.map((d) => (
              <li key={d.id}>
                {BOOSTER_DECISIONS.find((b) => b.value === d.decision)?.label ?? d.decision} — {d.decided_by_name},{" "}
                <When at={d.decided_at!} />: <span className="note-text">{d.decision_note}</span>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </>
  );
}
