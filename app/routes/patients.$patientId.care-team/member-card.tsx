import { getFormProps, useForm } from "@conform-to/react";
import type { ReactNode } from "react";
import { Form, FormError, SubmitButton, TextField } from "~/components/form";
import { Badge } from "~/components/ui";
import { resultFor } from "~/lib/form-answer";
import { formatDate, formatDateTime } from "~/lib/time";
import { TEAM_ROLES } from "~/modules/patients/labels";
import type { CareTeamAnswer } from "./actions.server";
import { ALL_SCOPES, ReleaseFields } from "./release-fields";
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
  answer,
}: {
  member: CareTeamData["team"][number];
  role: CareTeamData["role"];
  actorId: string;
  answer: CareTeamAnswer;
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
      {role === "coordinator" ? <ManageMember member={m} current={current} answer={answer} /> : null}
    </article>
  );
}

function ManageMember({
  member: m,
  current,
  answer,
}: {
  member: CareTeamData["team"][number];
  current: CareTeamData["team"][number]["releases"][number] | undefined;
  answer: CareTeamAnswer;
}) {
  const revoke = useMemberForm("revoke", current?.id ?? "", answer, "onBlur");
  const release = useMemberForm("release", m.user_id, answer, "onSubmit", { scope: ALL_SCOPES });
  const end = useMemberForm("end", m.id, answer, "onBlur");
  const releaseForm = (
    <MemberForm state={release} idField="providerId" label={`Record a release for ${m.name}`}>
      <h4>{current ? "Record a release of information" : `Record the release of information naming ${m.name}`}</h4>
      <ReleaseFields fields={release.fields} />
      <SubmitButton>Record release</SubmitButton>
    </MemberForm>
  );
  return (
    <>
      {/* Without a current release the provider waits on this form: it is not tucked away. */}
      {current ? null : releaseForm}
      <details open={[current ? revoke : null, current ? release : null, end].some((f) => f?.answered)}>
        <summary>Manage {m.name}</summary>
        {current ? (
          <MemberForm state={revoke} idField="releaseId" label={`Revoke the release for ${m.name}`}>
            <TextField label="Reason for revoking the release" field={revoke.fields.reason} />
            <SubmitButton className="button button-danger">Revoke release</SubmitButton>
          </MemberForm>
        ) : null}
        {current ? releaseForm : null}
        <MemberForm state={end} idField="memberId" label={`End ${m.name}'s membership`}>
          <h4>End membership</h4>
          <TextField label="Reason the membership ends" field={end.fields.reason} />
          <SubmitButton className="button button-secondary">End membership</SubmitButton>
        </MemberForm>
      </details>
    </>
  );
}

type MemberFields = { reason: string; signedOn: string; expiresOn: string; scope: string[] };

/** One of a member's forms, shown with the action's answer only when it names this form and this row. */
function useMemberForm(
  intent: string,
  target: string,
  answer: CareTeamAnswer,
  shouldValidate: "onBlur" | "onSubmit",
  defaultValue?: Partial<MemberFields>,
) {
  const lastResult = resultFor(answer, intent, target || undefined);
  const [form, fields] = useForm<MemberFields>({
    id: `${intent}-${target}`,
    lastResult,
    defaultValue,
    shouldValidate,
  });
  return { intent, target, form, fields, answered: Boolean(lastResult) };
}

function MemberForm({
  state: { intent, target, form },
  idField,
  label,
  children,
}: {
  state: ReturnType<typeof useMemberForm>;
  idField: string;
  label: string;
  children: ReactNode;
}) {
  // The row's id travels hidden: a refusal about it (a stale page) is the form's own message.
  const idErrors = form.allErrors[idField] ?? [];
  return (
    <Form method="post" {...getFormProps(form)} aria-label={label}>
      <FormError message={[...(form.errors ?? []), ...idErrors].join(" ")} />
      <input type="hidden" name="intent" value={intent} />
      <input type="hidden" name={idField} value={target} />
      {children}
    </Form>
  );
}
