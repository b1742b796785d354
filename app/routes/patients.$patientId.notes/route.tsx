import { signedInFormData } from "~/auth/session.server";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData, useLocation } from "@remix-run/react";
import { Form, SelectField, TextField } from "~/components/form";
import { PatientHeader } from "~/components/patient";
import { EmptyState, Pagination } from "~/components/ui";
import { dispatchIntent, intentOf, isKnownIntent } from "~/lib/intents.server";
import { pageParam } from "~/lib/params";
import { readThread } from "~/modules/notes/thread.server";
import { threadFilterSchema } from "~/modules/notes/forms.server";
import { NOTE_KIND_LABELS, NOTE_KINDS } from "~/modules/notes/labels";
import { openPatient } from "~/auth/patient-gate.server";
import { patientSummary } from "~/modules/patients/patients.server";
import { NOTE_INTENTS, type NoteAnswer } from "./actions.server";
import { NewNoteForm } from "./new-note-form";
import { NoteCard } from "./note-card";

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
  const { team, ...thread } = await readThread(context.db, actor, { patient, filter, page, now: context.now(), today });
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
  const intent = intentOf(formData);
  const { actor, audit, patient, today } = await openPatient(request, context, params.patientId, {
    // The audit action names a known intent only: the field is the caller's to fill with anything.
    action: `note.${isKnownIntent(NOTE_INTENTS, intent) ? intent : "change"}`,
    auditRead: false,
    scope: "care_notes",
  });
  const change = { context, formData, actor, audit, patientId: patient.id, today, now: context.now() };
  return dispatchIntent(formData, NOTE_INTENTS, change);
}

export default function CareNotes() {
  const { patient, role, actorId, notes, hasNext, page, filter, authors, iAmTeamPsychiatrist, hasPsychiatrist } =
    useLoaderData<typeof loader>();
  const location = useLocation();
  const answer = useActionData<typeof action>() as NoteAnswer;
  return (
    <>
      <PatientHeader patient={patient} role={role} />
      {/* Keyed by the location: after a post (a redirect) the forms start empty, so a note cannot be posted twice by mistake. */}
      <NewNoteForm key={location.key} role={role} answer={answer} hasPsychiatrist={hasPsychiatrist} />
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
          <NoteCard
            key={`${n.id}-${location.key}`}
            note={n}
            role={role}
            actorId={actorId}
            iAmTeamPsychiatrist={iAmTeamPsychiatrist}
            answer={answer}
          />
        ))
      )}
      <Pagination page={page} hasNext={hasNext} search={location.search} label="Note pages" />
    </>
  );
}
