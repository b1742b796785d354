import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData, useLocation } from "@remix-run/react";
import { PatientHeader } from "~/components/patient";
import { EmptyState } from "~/components/ui";
import { dispatchIntent } from "~/lib/intents.server";
import { formatDateTime } from "~/lib/time";
import { listAddableProviders, listCareTeam, releaseState } from "~/modules/patients/care-team.server";
import { openPatient } from "~/auth/patient-gate.server";
import { patientSummary } from "~/modules/patients/patients.server";
import { CARE_TEAM_INTENTS, type CareTeamAnswer } from "./actions.server";
import { MemberCard, teamRoleLabel } from "./member-card";
import { AddProviderForm, InviteProviderForm } from "./team-forms";

export const meta: MetaFunction = () => [{ title: "Care team · Ember Health Provider Portal" }];

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { actor, patient, today } = await openPatient(request, context, params.patientId, { action: "care_team.view" });
  const coordinator = actor.role === "coordinator";
  const [team, addable] = await Promise.all([
    listCareTeam(context.db, actor, patient),
    coordinator ? listAddableProviders(context.db, patient.id) : [],
  ]);
  return {
    role: actor.role,
    actorId: actor.id,
    patient: patientSummary(patient),
    today,
    team: team.map((m) => ({ ...m, releases: m.releases.map((r) => ({ ...r, state: releaseState(r, today) })) })),
    addable,
  };
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const { actor, audit, patient, today } = await openPatient(request, context, params.patientId, {
    action: "care_team.change",
    roles: ["coordinator"],
    auditRead: false,
  });
  const formData = await request.formData();
  const change = { context, formData, actor, audit, patientId: patient.id, today, now: context.now() };
  return dispatchIntent(formData, CARE_TEAM_INTENTS, change);
}

export default function CareTeam() {
  const { patient, role, actorId, team, addable } = useLoaderData<typeof loader>();
  const answer = useActionData<typeof action>() as CareTeamAnswer;
  // Keyed by the location: after a save (a redirect) the forms start empty.
  const { key } = useLocation();
  const coordinator = role === "coordinator";
  const active = team.filter((m) => !m.ended_at);
  const ended = team.filter((m) => m.ended_at);
  return (
    <>
      <PatientHeader patient={patient} role={role} />
      <h2>Care team</h2>
      <p className="muted">
        An outside provider sees this patient only while on the team with a current release of information on file.
      </p>
      {active.length === 0 ? (
        <EmptyState title="No outside providers on the team">
          <p>
            {coordinator
              ? "Add an existing provider or invite a new one below. Ember requires every patient to be in active treatment with an outside licensed provider."
              : "A care coordinator adds the patient's outside providers."}
          </p>
        </EmptyState>
      ) : (
        active.map((m) => (
          <MemberCard key={`${m.id}-${key}`} member={m} role={role} actorId={actorId} answer={answer} />
        ))
      )}

      {coordinator ? (
        <div className="grid">
          <AddProviderForm key={`add-${key}`} addable={addable} answer={answer} />
          <InviteProviderForm key={`invite-${key}`} answer={answer} />
        </div>
      ) : null}

      {ended.length > 0 ? (
        <section aria-labelledby="past-title">
          <h2 id="past-title">Past members</h2>
          <ul>
            {ended.map((m) => (
              <li key={m.id}>
                {m.name} ({teamRoleLabel(m.team_role)}) — ended {formatDateTime(m.ended_at!)}: {m.end_reason}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </>
  );
}
