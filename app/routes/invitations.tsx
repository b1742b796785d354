import type { ActionFunctionArgs, AppLoadContext, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { getFormProps, useForm } from "@conform-to/react";
import type { Actor } from "~/auth/actor";
import type { AuditContext } from "~/audit/audit.server";
import { useActionData, useLoaderData, useLocation } from "@remix-run/react";
import type { z } from "zod";
import { auditContextOf, requireActor } from "~/auth/session.server";
import { DataTable } from "~/components/data-table";
import { Form, FormError, SelectField, SubmitButton, TextField } from "~/components/form";
import { Badge, EmptyState, PageHeader, Pagination } from "~/components/ui";
import { redirectWithFlash } from "~/lib/flash.server";
import { parseSubmission, showFormAgain } from "~/lib/forms.server";
import { dispatchIntent } from "~/lib/intents.server";
import { pageParam, requireUuid } from "~/lib/params";
import { formatDateTime } from "~/lib/time";
import {
  createInvitation,
  InvitationError,
  invitationState,
  listInvitations,
  resendInvitation,
  revokeInvitation,
} from "~/modules/users/invitations.server";
import { inviteSchema } from "~/modules/users/forms.server";
import { INVITABLE_ROLES } from "~/modules/users/labels";
import { ROLE_LABELS } from "~/lib/roles";

export const meta: MetaFunction = () => [{ title: "Invitations · Ember Health Provider Portal" }];

const INVITERS = ["coordinator", "admin"] as const;
const PAGE_SIZE = 25;

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireActor(request, context, INVITERS);
  const page = pageParam(request);
  const { rows, hasNext } = await listInvitations(context.db, { page, pageSize: PAGE_SIZE });
  const now = context.now();
  return {
    page,
    hasNext,
    invitations: rows.map((r) => ({ ...r, state: invitationState(r, now) })),
  };
}

interface InvitationChange {
  context: AppLoadContext;
  formData: FormData;
  actor: Actor;
  audit: AuditContext;
  now: Date;
}

async function answer({ context, formData, actor, audit, now }: InvitationChange, intent: string) {
  const id = requireUuid(formData.get("invitationId"));
  const resending = intent === "resend";
  const done = resending
    ? await resendInvitation(context.db, audit, {
        id,
        inviterName: actor.name,
        appUrl: context.config.appUrl,
        secretsKey: context.config.secretsKey,
        now,
      })
    : await revokeInvitation(context.db, audit, { id, now });
  if (done && resending) context.wakeMailer();
  const message = done
    ? resending
      ? "Invitation re-sent with a new link; the old link no longer works."
      : "Invitation revoked; its link no longer works."
    : "That invitation was already accepted or revoked.";
  return redirectWithFlash(context, "/invitations", { kind: done ? "success" : "error", message });
}

async function invite({ context, formData, actor, audit, now }: InvitationChange) {
  const submission = parseSubmission(formData, inviteSchema);
  if (submission.status !== "success") return showFormAgain(submission);
  try {
    await createInvitation(context.db, audit, {
      ...submission.value,
      inviterName: actor.name,
      appUrl: context.config.appUrl,
      secretsKey: context.config.secretsKey,
      now,
    });
  } catch (error) {
    if (error instanceof InvitationError) {
      return data(submission.reply({ fieldErrors: { [error.field ?? "email"]: [error.message] } }), { status: 400 });
    }
    throw error;
  }
  context.wakeMailer();
  return redirectWithFlash(context, "/invitations", {
    kind: "success",
    message: `Invitation sent to ${submission.value.email}.`,
  });
}

// The invitation form's button says "invite" (a form sent without a button, by Enter before the
// page's script runs in some browsers, says nothing); each invitation's row names what to do with it.
const INVITATION_INTENTS = { "": invite, invite, resend: answer, revoke: answer };

export async function action({ request, context }: ActionFunctionArgs) {
  const actor = await requireActor(request, context, INVITERS);
  const formData = await request.formData();
  const change = { context, formData, actor, audit: auditContextOf(context, actor), now: context.now() };
  return dispatchIntent(formData, INVITATION_INTENTS, change);
}

const STATE_TONE = { open: "warn", accepted: "good", revoked: "neutral", expired: "bad" } as const;

export default function Invitations() {
  const { invitations, page, hasNext } = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>();
  const [form, fields] = useForm<z.input<typeof inviteSchema>>({ id: "invite", lastResult, shouldValidate: "onBlur" });
  const location = useLocation();
  return (
    <>
      <PageHeader
        title="Invitations"
        description="Invite outside providers and Ember staff. Each link works once and expires after 7 days."
      />
      <section className="card" aria-labelledby="invite-title">
        <h2 id="invite-title">Invite someone</h2>
        <FormError form={form} />
        <Form method="post" {...getFormProps(form)} noValidate>
          <div className="form-row">
            <TextField label="Email" field={fields.email} type="email" required />
            <SelectField
              label="Role"
              field={fields.role}
              options={INVITABLE_ROLES}
              placeholder="Choose a role"
              required
            />
          </div>
          <SubmitButton name="intent" value="invite" pendingText="Sending…">
            Send invitation
          </SubmitButton>
        </Form>
      </section>

      <h2>Sent invitations</h2>
      <DataTable
        caption="Invitations"
        rows={invitations}
        rowKey={(inv) => inv.id}
        empty={
          <EmptyState title="No invitations yet">
            <p>Use the form above to invite a therapist, psychiatrist or colleague.</p>
          </EmptyState>
        }
        columns={[
          { header: "Email", cell: (inv) => inv.email },
          { header: "Role", cell: (inv) => ROLE_LABELS[inv.role] },
          { header: "Status", cell: (inv) => <Badge tone={STATE_TONE[inv.state]}>{inv.state}</Badge> },
          {
            header: "Sent",
            cell: (inv) =>
              `${formatDateTime(inv.created_at)} by ${inv.invited_by_name}${inv.sent_count > 1 ? ` (sent ${inv.sent_count} times)` : ""}`,
          },
          { header: "Link expires", cell: (inv) => (inv.state === "accepted" ? "—" : formatDateTime(inv.expires_at)) },
          {
            header: "Actions",
            cell: (inv) =>
              inv.state === "open" || inv.state === "expired" ? (
                <Form method="post" className="inline-form">
                  <input type="hidden" name="invitationId" value={inv.id} />
                  <button type="submit" name="intent" value="resend" className="button-link">
                    Re-send<span className="visually-hidden"> invitation to {inv.email}</span>
                  </button>{" "}
                  {inv.state === "open" ? (
                    <button type="submit" name="intent" value="revoke" className="button-link">
                      Revoke<span className="visually-hidden"> invitation to {inv.email}</span>
                    </button>
                  ) : null}
                </Form>
              ) : null,
          },
        ]}
      />
      <Pagination page={page} hasNext={hasNext} search={location.search} label="Invitation pages" />
    </>
  );
}
