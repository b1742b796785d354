import { Form, FormError, SubmitButton, TextField } from "~/components/form";
import { Badge } from "~/components/ui";
import type { StateFor } from "~/lib/intent-state";
import { formatDate, formatDateTime } from "~/lib/time";
import { TEAM_ROLES } from "~/modules/patients/labels";
import { ReleaseFields } from "./release-fields";
import type { CareTeamData } from "./types";
import { isOutsideProvider, ROLE_LABELS } from "~/lib/roles";

const RELEASE_TONE = {
  current: "good",
  expired: "bad",
  revoked: "neutral",
  not_yet_signed: "warn",
  missing: "bad",
} as const;

export const teamRoleLabel = (value: string) => TEAM_ROLES.find((t) => t.value === value)?.label ?? value;

/** One provider on the team: who they are, their release, and (for a coordinator) what can change. */
export function MemberCard({
  member: m,
  role,
  actorId,
  stateFor,
}: {
  member: CareTeamData["team"][number];
  role: CareTeamData["role"];
  actorId: string;
  stateFor: StateFor;
}) {
  const current = m.releases.find((r) => r.state === "current");
  const shownState = current ? "current" : (m.releases[0]?.state ?? "missing");
  return (
    <article className="card" aria-label={`${m.name}, ${teamRoleLabel(m.team_role)}`}>
      <h3>
        {m.name}{" "}
        <small className="muted">
          · {teamRoleLabel(m.team_role)} · {ROLE_LABELS[m.role]}
        </small>
      </h3>
      <p>
        {m.organisation || "—"} · {m.licence_type ? `${m.licence_type} (${m.licence_state})` : "licence not on file"} ·
        on the team since {formatDateTime(m.started_at)}
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
          Release of information: <Badge tone={RELEASE_TONE[shownState]}>{shownState.replaceAll("_", " ")}</Badge>
          {current
            ? ` · signed ${formatDate(current.signed_on)}, expires ${formatDate(current.expires_on)} · ${current.scope.join(", ").replaceAll("_", " ")}`
            : ""}
        </p>
      ) : null}
      {role === "coordinator" ? <ManageMember member={m} current={current} stateFor={stateFor} /> : null}
    </article>
  );
}

function ManageMember({
  member: m,
  current,
  stateFor,
}: {
  member: CareTeamData["team"][number];
  current: CareTeamData["team"][number]["releases"][number] | undefined;
  stateFor: StateFor;
}) {
  const revoke = current ? stateFor("revoke", current.id) : undefined;
  const release = stateFor("release", m.user_id);
  const end = stateFor("end", m.id);
  return (
    <details open={Boolean(release || end || revoke)}>
      <summary>Manage {m.name}</summary>
      {current ? (
        <Form method="post" noValidate aria-label={`Revoke the release for ${m.name}`}>
          <FormError message={revoke?.formError} />
          <input type="hidden" name="intent" value="revoke" />
          <input type="hidden" name="target" value={current.id} />
          <input type="hidden" name="releaseId" value={current.id} />
          <TextField
            label="Reason for revoking the release"
            name="reason"
            id={`revoke-${current.id}`}
            errors={revoke?.errors.reason}
          />
          <SubmitButton className="button button-danger">Revoke release</SubmitButton>
        </Form>
      ) : null}
      <Form method="post" noValidate aria-label={`Record a release for ${m.name}`}>
        <h4>Record a release of information</h4>
        <FormError message={release?.formError} />
        <input type="hidden" name="intent" value="release" />
        <input type="hidden" name="target" value={m.user_id} />
        <input type="hidden" name="providerId" value={m.user_id} />
        <ReleaseFields state={release} idPrefix={`release-${m.id}`} />
        <SubmitButton>Record release</SubmitButton>
      </Form>
      <Form method="post" noValidate aria-label={`End ${m.name}'s membership`}>
        <h4>End membership</h4>
        <FormError message={end?.formError} />
        <input type="hidden" name="intent" value="end" />
        <input type="hidden" name="target" value={m.id} />
        <input type="hidden" name="memberId" value={m.id} />
        <TextField label="Reason the membership ends" name="reason" id={`end-${m.id}`} errors={end?.errors.reason} />
        <SubmitButton className="button button-secondary">End membership</SubmitButton>
      </Form>
    </details>
  );
}
