import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { getFormProps, useForm } from "@conform-to/react";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import type { z } from "zod";
import { auditContextOf, requireActor } from "~/auth/session.server";
import { recordAudit } from "~/audit/audit.server";
import { Form, FormError, SubmitButton, TextAreaField } from "~/components/form";
import { Alert, PageHeader } from "~/components/ui";
import { redirectWithFlash } from "~/lib/flash.server";
import { parseSubmission, showFormAgain } from "~/lib/forms.server";
import { requireUuid } from "~/lib/params";
import { ROLE_LABELS } from "~/lib/roles";
import { TEAM_ROLES } from "~/modules/patients/labels";
import { deactivateSchema } from "~/modules/users/forms.server";
import { deactivationImpact, setUserStatus } from "~/modules/users/users.server";

export const meta: MetaFunction = () => [{ title: "Deactivate a user · Ember Health Provider Portal" }];

const teamRole = (value: string) => TEAM_ROLES.find((r) => r.value === value)?.label ?? value;

/** What deactivating this user would end, shown before the administrator confirms; the patients listed are audited as read. */
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const actor = await requireActor(request, context, ["admin"]);
  const userId = requireUuid(params.userId);
  const impact = await deactivationImpact(context.db, userId, context.now());
  if (!impact) throw new Response("Not found", { status: 404 });
  if (impact.patients.length)
    await recordAudit(context.db, auditContextOf(context, actor), {
      action: "user.deactivation_review",
      entityType: "user",
      entityId: userId,
      detail: { patientIds: impact.patients.map((p) => p.id) },
    });
  return { impact, self: userId === actor.id };
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const actor = await requireActor(request, context, ["admin"]);
  const userId = requireUuid(params.userId);
  const submission = parseSubmission(await request.formData(), deactivateSchema);
  if (submission.status !== "success") return showFormAgain(submission);
  const outcome = await setUserStatus(context.db, auditContextOf(context, actor), {
    userId,
    status: "deactivated",
    reason: submission.value.reason,
    now: context.now(),
  });
  if (outcome === "self")
    return showFormAgain(submission, {
      formErrors: ["You cannot deactivate your own account. Ask another administrator."],
    });
  return redirectWithFlash(context, "/admin/users", {
    kind: outcome === "changed" ? "success" : "info",
    message:
      outcome === "changed"
        ? "User deactivated. Their sessions and care-team memberships have ended, and they can no longer sign in."
        : "Nothing changed: the user was already deactivated.",
  });
}

export default function DeactivateUser() {
  const { impact, self } = useLoaderData<typeof loader>();
  const [form, fields] = useForm<z.input<typeof deactivateSchema>>({
    id: "deactivate",
    lastResult: useActionData<typeof action>(),
    shouldValidate: "onBlur",
  });
  if (impact.status !== "active")
    return (
      <>
        <PageHeader title={`${impact.name} is already deactivated`} />
        <p>
          <Link to="/admin/users">Back to users</Link>, where you can reactivate them.
        </p>
      </>
    );
  return (
    <>
      <PageHeader
        title={`Deactivate ${impact.name}`}
        description={`${ROLE_LABELS[impact.role]} · ${impact.email}. Their sessions and calendar feed end at once, and they can no longer sign in.`}
      />
      {self ? <Alert kind="error">You cannot deactivate your own account. Ask another administrator.</Alert> : null}
      <section className="card" aria-labelledby="impact-title">
        <h2 id="impact-title">What ends with the account</h2>
        {impact.patients.length === 0 ? (
          <p>They are on no patient&apos;s care team.</p>
        ) : (
          <>
            <p>
              Their membership of {impact.patients.length} care team{impact.patients.length === 1 ? "" : "s"} ends, and
              their engagement confirmations stop counting for these patients: plan who takes over each one.
            </p>
            <ul aria-label="Patients whose care team they are on">
              {impact.patients.map((p) => (
                <li key={p.id}>
                  <Link to={`/patients/${p.id}/care-team`}>
                    {p.last_name}, {p.first_name} ({p.record_number})
                  </Link>{" "}
                  — {teamRole(p.team_role)}
                </li>
              ))}
            </ul>
          </>
        )}
        {impact.booked_visits ? (
          <p>
            They supervise {impact.booked_visits} booked infusion visit{impact.booked_visits === 1 ? "" : "s"}: assign
            another clinician to each from the <Link to="/clinic-schedule">clinic schedule</Link>.
          </p>
        ) : null}
        {impact.open_offers ? (
          <p>
            {impact.open_offers} referral offer{impact.open_offers === 1 ? " is" : "s are"} waiting for their answer:
            offer those referrals to someone else.
          </p>
        ) : null}
      </section>
      {self ? null : (
        <Form method="post" {...getFormProps(form)} className="card">
          <FormError form={form} />
          <TextAreaField
            label="Reason for deactivating"
            hint="Kept with the account and in the audit log, e.g. “left the practice” or “licence lapsed”."
            field={fields.reason}
          />
          <p>
            <SubmitButton className="button button-danger">Deactivate {impact.name}</SubmitButton>{" "}
            <Link to="/admin/users">Keep the account</Link>
          </p>
        </Form>
      )}
    </>
  );
}
