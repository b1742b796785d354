import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { CheckboxGroup, Form, FormError, SelectField, SubmitButton, TextField } from "~/components/form";
import { PatientHeader } from "~/components/patient";
import { Badge, EmptyState } from "~/components/ui";
import { setFlash } from "~/lib/flash.server";
import { formState, parseForm, type FormState } from "~/lib/forms";
import { formatDate, formatDateTime } from "~/lib/time";
import {
  addCareTeamMember,
  CareTeamError,
  endCareTeamMembership,
  listAddableProviders,
  listCareTeam,
  recordRelease,
  releaseState,
  revokeRelease,
} from "~/modules/patients/care-team.server";
import { openPatient } from "~/modules/patients/page.server";
import { patientSummary } from "~/modules/patients/patients.server";
import {
  addMemberSchema,
  endMemberSchema,
  inviteMemberSchema,
  releaseFieldsSchema,
  releaseSchema,
  revokeReleaseSchema,
} from "~/modules/patients/forms.server";
import { RELEASE_SCOPES, TEAM_ROLES } from "~/modules/patients/labels";
import { createInvitation, InvitationError } from "~/modules/users/invitations.server";
import { isOutsideProvider, ROLE_LABELS } from "~/lib/roles";

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

const SCOPE_FIELDS = ["scope"];

export async function action({ request, context, params }: ActionFunctionArgs) {
  const { actor, audit, patient, today } = await openPatient(request, context, params.patientId, {
    action: "care_team.change",
    roles: ["coordinator"],
    auditRead: false,
  });
  const formData = await request.formData();
  const intent = String(formData.get("intent") ?? "");
  const target = String(formData.get("target") ?? "");
  const now = context.now();
  const fail = (state: FormState, status = 400) => data({ intent, target, ...state }, { status });
  const done = async (message: string) =>
    redirect(`/patients/${patient.id}/care-team`, {
      headers: { "Set-Cookie": await setFlash(context, { kind: "success", message }) },
    });

  try {
    switch (intent) {
      case "add": {
        const form = parseForm(addMemberSchema, formData);
        if (!form.ok) return fail(formState(form));
        await addCareTeamMember(context.db, audit, { patientId: patient.id, ...form.data, now });
        return done(
          "Provider added to the care team. Record their release of information so they can see this patient.",
        );
      }
      case "invite": {
        const form = parseForm(inviteMemberSchema, formData);
        if (!form.ok) return fail(formState(form));
        // The release is optional: its dates say whether one was signed. The scope boxes come ticked, so they alone do not.
        const wantsRelease = ["signedOn", "expiresOn"].some((k) => String(formData.get(k) ?? "") !== "");
        let release;
        if (wantsRelease) {
          const parsed = parseForm(releaseFieldsSchema(today), formData, SCOPE_FIELDS);
          if (!parsed.ok) return fail(formState(parsed));
          if (parsed.data.expiresOn <= parsed.data.signedOn)
            return fail(
              formState({
                errors: { expiresOn: ["The expiry date must be after the date signed."] },
                values: parsed.values,
              }),
            );
          release = parsed.data;
        }
        await createInvitation(context.db, audit, {
          email: form.data.email,
          role: form.data.providerRole,
          inviterName: actor.name,
          appUrl: context.config.appUrl,
          secretsKey: context.config.secretsKey,
          now,
          careTeam: { patientId: patient.id, teamRole: form.data.teamRole, release },
        });
        context.wakeMailer();
        return done(`Invitation sent to ${form.data.email}. They join the care team when they accept.`);
      }
      case "end": {
        const form = parseForm(endMemberSchema, formData);
        if (!form.ok) return fail(formState(form));
        const ended = await endCareTeamMembership(context.db, audit, { patientId: patient.id, ...form.data, now });
        return ended
          ? done("Membership ended. The provider no longer sees this patient.")
          : fail(formState({ formError: "That membership had already ended." }), 409);
      }
      case "release": {
        const form = parseForm(releaseSchema(today), formData, SCOPE_FIELDS);
        if (!form.ok) return fail(formState(form));
        await recordRelease(context.db, audit, { patientId: patient.id, ...form.data, now });
        return done("Release of information recorded.");
      }
      case "revoke": {
        const form = parseForm(revokeReleaseSchema, formData);
        if (!form.ok) return fail(formState(form));
        const revoked = await revokeRelease(context.db, audit, { patientId: patient.id, ...form.data, now });
        return revoked
          ? done("Release revoked. The provider's access ended with this change.")
          : fail(formState({ formError: "That release was already revoked." }), 409);
      }
      default:
        return fail(formState({ formError: "Unknown action: reload the page and try again." }));
    }
  } catch (error) {
    if (error instanceof CareTeamError || error instanceof InvitationError) {
      return fail(
        formState({
          errors: { [error.field ?? "email"]: [error.message] },
          values: Object.fromEntries([...formData].filter(([, v]) => typeof v === "string")) as Record<string, string>,
        }),
      );
    }
    throw error;
  }
}

const RELEASE_TONE = {
  current: "good",
  expired: "bad",
  revoked: "neutral",
  not_yet_signed: "warn",
  missing: "bad",
} as const;
const teamRoleLabel = (value: string) => TEAM_ROLES.find((t) => t.value === value)?.label ?? value;

function ReleaseFields({ state, idPrefix }: { state?: FormState; idPrefix: string }) {
  return (
    <>
      <div className="form-row">
        <TextField
          label="Date signed"
          name="signedOn"
          type="date"
          defaultValue={state?.values.signedOn}
          errors={state?.errors.signedOn}
          id={`${idPrefix}-signed`}
        />
        <TextField
          label="Expires on"
          name="expiresOn"
          type="date"
          defaultValue={state?.values.expiresOn}
          errors={state?.errors.expiresOn}
          id={`${idPrefix}-expires`}
        />
      </div>
      <CheckboxGroup
        legend="The release allows sharing"
        name="scope"
        options={RELEASE_SCOPES}
        checked={
          state?.values.scope?.split("\n") ?? [
            "care_coordination",
            "infusion_schedule",
            "care_notes",
            "symptom_measures",
          ]
        }
        errors={state?.errors.scope}
      />
    </>
  );
}

export default function CareTeam() {
  const { patient, role, actorId, team, addable } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const stateFor = (intent: string, target = "") =>
    actionData && actionData.intent === intent && actionData.target === target ? actionData : undefined;
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
        active.map((m) => {
          const current = m.releases.find((r) => r.state === "current");
          return (
            <article key={m.id} className="card" aria-label={`${m.name}, ${teamRoleLabel(m.team_role)}`}>
              <h3>
                {m.name}{" "}
                <small className="muted">
                  · {teamRoleLabel(m.team_role)} · {ROLE_LABELS[m.role]}
                </small>
              </h3>
              <p>
                {m.organisation || "—"} ·{" "}
                {m.licence_type ? `${m.licence_type} (${m.licence_state})` : "licence not on file"} · on the team since{" "}
                {formatDateTime(m.started_at)}
                {m.status !== "active" ? (
                  <>
                    {" "}
                    · <Badge tone="bad">account deactivated</Badge>
                  </>
                ) : null}
              </p>
              {/* An outside provider sees their own release only. */}
              {!isOutsideProvider(role) || m.user_id === actorId ? (
                <p>
                  Release of information:{" "}
                  <Badge tone={RELEASE_TONE[current ? "current" : (m.releases[0]?.state ?? "missing")]}>
                    {current ? "current" : (m.releases[0]?.state ?? "missing").replaceAll("_", " ")}
                  </Badge>
                  {current
                    ? ` · signed ${formatDate(current.signed_on)}, expires ${formatDate(current.expires_on)} · ${current.scope.join(", ").replaceAll("_", " ")}`
                    : ""}
                </p>
              ) : null}
              {coordinator ? (
                <details
                  open={Boolean(
                    stateFor("release", m.user_id) ||
                    stateFor("end", m.id) ||
                    (current && stateFor("revoke", current.id)),
                  )}
                >
                  <summary>Manage {m.name}</summary>
                  {current ? (
                    <Form method="post" noValidate aria-label={`Revoke the release for ${m.name}`}>
                      <FormError message={stateFor("revoke", current.id)?.formError} />
                      <input type="hidden" name="intent" value="revoke" />
                      <input type="hidden" name="target" value={current.id} />
                      <input type="hidden" name="releaseId" value={current.id} />
                      <TextField
                        label="Reason for revoking the release"
                        name="reason"
                        id={`revoke-${current.id}`}
                        errors={stateFor("revoke", current.id)?.errors.reason}
                      />
                      <SubmitButton className="button button-danger">Revoke release</SubmitButton>
                    </Form>
                  ) : null}
                  <Form method="post" noValidate aria-label={`Record a release for ${m.name}`}>
                    <h4>Record a release of information</h4>
                    <FormError message={stateFor("release", m.user_id)?.formError} />
                    <input type="hidden" name="intent" value="release" />
                    <input type="hidden" name="target" value={m.user_id} />
                    <input type="hidden" name="providerId" value={m.user_id} />
                    <ReleaseFields state={stateFor("release", m.user_id)} idPrefix={`release-${m.id}`} />
                    <SubmitButton>Record release</SubmitButton>
                  </Form>
                  <Form method="post" noValidate aria-label={`End ${m.name}'s membership`}>
                    <h4>End membership</h4>
                    <FormError message={stateFor("end", m.id)?.formError} />
                    <input type="hidden" name="intent" value="end" />
                    <input type="hidden" name="target" value={m.id} />
                    <input type="hidden" name="memberId" value={m.id} />
                    <TextField
                      label="Reason the membership ends"
                      name="reason"
                      id={`end-${m.id}`}
                      errors={stateFor("end", m.id)?.errors.reason}
                    />
                    <SubmitButton className="button button-secondary">End membership</SubmitButton>
                  </Form>
                </details>
              ) : null}
            </article>
          );
        })
      )}

      {coordinator ? (
        <div className="grid">
          <section className="card" aria-labelledby="add-title">
            <h2 id="add-title">Add an existing provider</h2>
            <Form method="post" noValidate>
              <FormError message={stateFor("add")?.formError} />
              <input type="hidden" name="intent" value="add" />
              {addable.length === 0 ? (
                <p className="muted">Every provider with an account is already on this team: invite a new one.</p>
              ) : null}
              <SelectField
                label="Provider"
                name="providerId"
                placeholder="Choose a provider"
                options={addable.map((p) => ({
                  value: p.id,
                  label: `${p.name} — ${ROLE_LABELS[p.role]}${p.organisation ? `, ${p.organisation}` : ""}`,
                }))}
                defaultValue={stateFor("add")?.values.providerId ?? ""}
                errors={stateFor("add")?.errors.providerId}
              />
              <SelectField
                label="Role on the team"
                name="teamRole"
                options={TEAM_ROLES}
                placeholder="Choose a role"
                defaultValue={stateFor("add")?.values.teamRole ?? ""}
                errors={stateFor("add")?.errors.teamRole}
              />
              <SubmitButton>Add to care team</SubmitButton>
            </Form>
          </section>
          <section className="card" aria-labelledby="invite-title">
            <h2 id="invite-title">Invite a new provider</h2>
            <Form method="post" noValidate>
              <FormError message={stateFor("invite")?.formError} />
              <input type="hidden" name="intent" value="invite" />
              <TextField
                label="Provider's email"
                name="email"
                type="email"
                defaultValue={stateFor("invite")?.values.email}
                errors={stateFor("invite")?.errors.email}
              />
              <SelectField
                label="They are a"
                name="providerRole"
                options={[
                  { value: "therapist", label: "Therapist" },
                  { value: "psychiatrist", label: "Psychiatrist or psychiatric NP" },
                ]}
                placeholder="Choose"
                defaultValue={stateFor("invite")?.values.providerRole ?? ""}
                errors={stateFor("invite")?.errors.providerRole}
              />
              <SelectField
                label="Role on the team"
                name="teamRole"
                options={TEAM_ROLES}
                placeholder="Choose a role"
                defaultValue={stateFor("invite")?.values.teamRole ?? ""}
                errors={stateFor("invite")?.errors.teamRole}
              />
              <fieldset className="field">
                <legend>Release of information naming this provider (if the patient has signed one)</legend>
                <ReleaseFields state={stateFor("invite")} idPrefix="invite" />
              </fieldset>
              <SubmitButton>Send invitation</SubmitButton>
            </Form>
          </section>
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
