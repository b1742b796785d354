import { signedInFormData } from "~/auth/session.server";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { useActionData, useLoaderData, useLocation } from "@remix-run/react";
import { useState } from "react";
import { Form, FormError, SelectField, SubmitButton, TextAreaField, TextField } from "~/components/form";
import { PatientHeader } from "~/components/patient";
import { When } from "~/components/time";
import { Alert, Badge, EmptyState, Pagination } from "~/components/ui";
import { setFlash } from "~/lib/flash.server";
import { formState, parseForm, type FormState } from "~/lib/forms";
import { pageParam } from "~/lib/params";
import {
  acknowledgeSafetyConcern,
  addAddendum,
  NoteError,
  postNote,
  readThread,
  signOffNote,
} from "~/modules/notes/notes.server";
import {
  acknowledgeSchema,
  addendumSchema,
  postNoteSchema,
  signOffSchema,
  threadFilterSchema,
} from "~/modules/notes/forms.server";
import { NOTE_KIND_LABELS, NOTE_KINDS, NOTE_MAX_LENGTH, type NoteKind } from "~/modules/notes/labels";
import { careTeamWithAccess } from "~/modules/patients/care-team.server";
import { openPatient } from "~/modules/patients/page.server";
import { patientSummary } from "~/modules/patients/patients.server";
import { ROLE_LABELS } from "~/lib/roles";

export const meta: MetaFunction = () => [{ title: "Care notes · Ember Health Provider Portal" }];

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { actor, patient, today } = await openPatient(request, context, params.patientId, {
    action: "note.read",
    scope: "care_notes",
  });
  const url = new URL(request.url);
  const filter = threadFilterSchema.parse(
    Object.fromEntries([...url.searchParams].filter(([k, v]) => k !== "page" && v !== "")),
  );
  const page = pageParam(request);
  const [thread, team] = await Promise.all([
    readThread(context.db, actor, { patient, filter, page, now: context.now() }),
    careTeamWithAccess(context.db, patient.id, today),
  ]);
  const iAmTeamPsychiatrist = actor.role === "psychiatrist" && team.some((m) => m.id === actor.id);
  return {
    role: actor.role,
    actorId: actor.id,
    patient: patientSummary(patient),
    ...thread,
    page,
    filter,
    iAmTeamPsychiatrist,
    hasPsychiatrist: team.some((m) => m.role === "psychiatrist"),
  };
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const formData = await signedInFormData(request, context);
  const intent = String(formData.get("intent") ?? "");
  const target = String(formData.get("target") ?? "");
  // The audit action names a known intent only: the field is the caller's to fill with anything.
  const known = ["post", "addendum", "sign-off", "acknowledge"].includes(intent);
  const { actor, audit, patient, today } = await openPatient(request, context, params.patientId, {
    action: `note.${known ? intent : "change"}`,
    auditRead: false,
    scope: "care_notes",
  });
  const now = context.now();
  const fail = (state: FormState, status = 400) => data({ intent, target, ...state }, { status });
  const done = async (message: string) =>
    redirect(`/patients/${patient.id}/notes`, {
      headers: { "Set-Cookie": await setFlash(context, { kind: "success", message }) },
    });
  try {
    switch (intent) {
      case "post": {
        const form = parseForm(postNoteSchema, formData);
        if (!form.ok) return fail(formState(form));
        const result = await postNote(context.db, actor, audit, {
          patientId: patient.id,
          ...form.data,
          requestReview: form.data.requestReview === "yes",
          now,
          today,
          appUrl: context.config.appUrl,
        });
        if (result.urgentNotices) context.wakeMailer();
        return done(
          form.data.kind === "safety_concern"
            ? `Safety concern posted; ${result.urgentNotices} Ember clinicians, coordinators and team members were notified at once.`
            : "Note posted.",
        );
      }
      case "addendum": {
        const form = parseForm(addendumSchema, formData);
        if (!form.ok) return fail(formState(form));
        await addAddendum(context.db, actor, audit, { patientId: patient.id, ...form.data, now });
        return done("Addendum added.");
      }
      case "sign-off": {
        const form = parseForm(signOffSchema, formData);
        if (!form.ok) return fail(formState(form));
        await signOffNote(context.db, actor, audit, { patientId: patient.id, ...form.data, now, today });
        return done("Note signed off.");
      }
      case "acknowledge": {
        const form = parseForm(acknowledgeSchema, formData);
        if (!form.ok) return fail(formState(form));
        await acknowledgeSafetyConcern(context.db, actor, audit, { patientId: patient.id, ...form.data, now });
        return done("Safety concern acknowledged; it no longer shows on the team's dashboards.");
      }
      default:
        return fail(formState({ formError: "Unknown action: reload the page and try again." }));
    }
  } catch (error) {
    if (error instanceof NoteError) {
      return fail(
        formState({
          errors: error.field === "form" ? {} : { [error.field]: [error.message] },
          formError: error.field === "form" ? error.message : null,
          values: Object.fromEntries([...formData].filter(([, v]) => typeof v === "string")) as Record<string, string>,
        }),
        error.status,
      );
    }
    throw error;
  }
}

const KIND_TONE: Record<NoteKind, "neutral" | "good" | "warn" | "bad"> = {
  progress_update: "neutral",
  session_summary: "neutral",
  infusion_summary: "good",
  question: "warn",
  safety_concern: "bad",
};

function NewNoteForm({ role, state, hasPsychiatrist }: { role: string; state?: FormState; hasPsychiatrist: boolean }) {
  const [kind, setKind] = useState(state?.values.kind ?? "");
  const kinds = NOTE_KINDS.filter((k) => k !== "infusion_summary" || role === "clinician");
  return (
    <section className="card" aria-labelledby="new-note-title">
      <h2 id="new-note-title">Write a note</h2>
      <FormError message={state?.formError} />
      <Form method="post" noValidate>
        <input type="hidden" name="intent" value="post" />
        <SelectField
          label="Kind of note"
          name="kind"
          options={kinds.map((k) => ({ value: k, label: NOTE_KIND_LABELS[k] }))}
          placeholder="Choose"
          defaultValue={state?.values.kind ?? ""}
          onChange={(e) => setKind(e.currentTarget.value)}
          errors={state?.errors.kind}
          hint="A therapy session summary is a summary for the team only: psychotherapy notes do not belong here. A safety concern notifies the Ember clinicians, the whole team and the coordinators at once."
        />
        {kind === "safety_concern" ? (
          <Alert kind="warning">
            A safety concern emails the Ember clinicians, every care-team member and the coordinators now. In an
            emergency, call 911 or 988 first.
          </Alert>
        ) : null}
        <TextAreaField
          label="Note"
          name="body"
          rows={8}
          maxLength={NOTE_MAX_LENGTH}
          defaultValue={state?.values.body}
          errors={state?.errors.body}
          hint="Plain text. Posted notes cannot be edited or deleted; correct them with an addendum."
        />
        <div className="field">
          <label className="check">
            <input
              type="checkbox"
              name="requestReview"
              value="yes"
              defaultChecked={state?.values.requestReview === "yes"}
            />{" "}
            Ask the patient&apos;s psychiatrist to review and sign off (infusion summaries always are)
          </label>
          {!hasPsychiatrist ? (
            <p className="hint">No psychiatrist with access is on this care team yet: a coordinator can add one.</p>
          ) : null}
        </div>
        <SubmitButton pendingText="Posting…">Post note</SubmitButton>
      </Form>
    </section>
  );
}

export default function CareNotes() {
  const { patient, role, actorId, notes, hasNext, page, filter, authors, iAmTeamPsychiatrist, hasPsychiatrist } =
    useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const location = useLocation();
  const stateFor = (intent: string, target = "") =>
    actionData && actionData.intent === intent && actionData.target === target ? actionData : undefined;
  return (
    <>
      <PatientHeader patient={patient} role={role} />
      {/* Keyed by the location: after a post (a redirect) the forms start empty, so a note cannot be posted twice by mistake. */}
      <NewNoteForm key={location.key} role={role} state={stateFor("post")} hasPsychiatrist={hasPsychiatrist} />
      <h2>Care notes</h2>
      <Form method="get" className="filters" aria-label="Filter the notes">
        <SelectField
          label="Kind"
          name="kind"
          options={NOTE_KINDS.map((k) => ({ value: k, label: NOTE_KIND_LABELS[k] }))}
          placeholder="All kinds"
          defaultValue={filter.kind ?? ""}
        />
        <SelectField
          label="Author"
          name="author"
          options={authors.map((a) => ({ value: a.id, label: a.name }))}
          placeholder="Anyone"
          defaultValue={filter.author ?? ""}
        />
        <TextField label="From" name="from" type="date" defaultValue={filter.from} />
        <TextField label="To" name="to" type="date" defaultValue={filter.to} />
        <button type="submit" className="button button-secondary">
          Filter
        </button>
      </Form>
      {notes.length === 0 ? (
        <EmptyState
          title={filter.kind || filter.author || filter.from || filter.to ? "No notes match" : "No care notes yet"}
        >
          <p>
            {filter.kind || filter.author || filter.from || filter.to
              ? "Clear a filter to see more."
              : "Start the thread with a progress update or a question for the team."}
          </p>
        </EmptyState>
      ) : (
        notes.map((n) => (
          <article
            key={`${n.id}-${location.key}`}
            className={`card note note-${n.kind}`}
            aria-labelledby={`note-${n.id}`}
          >
            <header>
              <h3 id={`note-${n.id}`}>
                <Badge tone={KIND_TONE[n.kind]}>{NOTE_KIND_LABELS[n.kind]}</Badge> {n.author_name}
                {n.unread ? (
                  <>
                    {" "}
                    <Badge tone="warn">new</Badge>
                  </>
                ) : null}
              </h3>
              <p className="muted">
                {ROLE_LABELS[n.author_role]} · {n.author_organisation} · <When at={n.created_at} />
              </p>
            </header>
            <div className="note-text" data-testid="note-body">
              {n.body}
            </div>
            {n.addenda.map((d) => (
              <aside key={d.id} className="addendum" aria-label="Addendum">
                <p className="muted">
                  Addendum by {d.author_name} · <When at={d.created_at} />
                </p>
                <div className="note-text">{d.body}</div>
              </aside>
            ))}
            {n.review_requested ? (
              n.signed_at ? (
                <p>
                  <Badge tone="good">Signed off</Badge> by {n.signed_by} · <When at={n.signed_at} />
                  {n.sign_off_comment ? <span className="note-text"> — {n.sign_off_comment}</span> : null}
                </p>
              ) : (
                <p>
                  <Badge tone="warn">Awaiting psychiatrist review</Badge>
                </p>
              )
            ) : null}
            {n.kind === "safety_concern" ? (
              n.acknowledged_at ? (
                <p>
                  <Badge tone="good">Acknowledged</Badge> by {n.acknowledged_by} · <When at={n.acknowledged_at} />
                  {n.escalated_at ? " (after escalation)" : ""} — <span className="note-text">{n.acknowledgement}</span>
                </p>
              ) : (
                <Alert kind="error">
                  Not yet acknowledged by an Ember clinician.
                  {n.escalated_at ? (
                    <>
                      {" "}
                      <Badge tone="bad">escalated</Badge> <When at={n.escalated_at} />: sent again to the Ember
                      clinicians and admins.
                    </>
                  ) : null}
                </Alert>
              )
            ) : null}
            {iAmTeamPsychiatrist && n.review_requested && !n.signed_at && n.author_id !== actorId ? (
              <Form method="post" noValidate aria-label="Sign off this note">
                <FormError message={stateFor("sign-off", n.id)?.formError} />
                <input type="hidden" name="intent" value="sign-off" />
                <input type="hidden" name="target" value={n.id} />
                <input type="hidden" name="noteId" value={n.id} />
                <TextField
                  label="Comment (optional)"
                  name="comment"
                  errors={stateFor("sign-off", n.id)?.errors.comment}
                />
                <SubmitButton>Sign off</SubmitButton>
              </Form>
            ) : null}
            {role === "clinician" && n.kind === "safety_concern" && !n.acknowledged_at ? (
              <Form method="post" noValidate aria-label="Acknowledge this safety concern">
                <FormError message={stateFor("acknowledge", n.id)?.formError} />
                <input type="hidden" name="intent" value="acknowledge" />
                <input type="hidden" name="target" value={n.id} />
                <input type="hidden" name="noteId" value={n.id} />
                <TextAreaField
                  label="Response and action taken"
                  name="response"
                  rows={3}
                  defaultValue={stateFor("acknowledge", n.id)?.values.response}
                  errors={stateFor("acknowledge", n.id)?.errors.response}
                />
                <SubmitButton className="button button-danger">Acknowledge</SubmitButton>
              </Form>
            ) : null}
            {n.author_id === actorId ? (
              <details open={Boolean(stateFor("addendum", n.id))}>
                <summary>Add an addendum</summary>
                <Form method="post" noValidate>
                  <FormError message={stateFor("addendum", n.id)?.formError} />
                  <input type="hidden" name="intent" value="addendum" />
                  <input type="hidden" name="target" value={n.id} />
                  <input type="hidden" name="noteId" value={n.id} />
                  <TextAreaField
                    label="Addendum"
                    name="body"
                    rows={3}
                    maxLength={NOTE_MAX_LENGTH}
                    defaultValue={stateFor("addendum", n.id)?.values.body}
                    errors={stateFor("addendum", n.id)?.errors.body}
                  />
                  <SubmitButton>Add addendum</SubmitButton>
                </Form>
              </details>
            ) : null}
          </article>
        ))
      )}
      <Pagination page={page} hasNext={hasNext} search={location.search} label="Note pages" />
    </>
  );
}
