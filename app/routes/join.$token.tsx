import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { getFormProps, useForm } from "@conform-to/react";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import type { z } from "zod";
import { MFA_REQUIRED_ROLES } from "~/auth/mfa.server";
import { sessionCookieHeader } from "~/auth/session.server";
import { Form, FormError, SelectField, SubmitButton, TextField } from "~/components/form";
import { setFlash } from "~/lib/flash.server";
import { parseSubmission, showFormAgain } from "~/lib/forms.server";
import { clinicToday } from "~/lib/time";
import { acceptInvitation, findOpenInvitation, InvitationError } from "~/modules/users/invitations.server";
import { acceptSchema } from "~/modules/users/forms.server";
import { LICENCE_TYPES, US_STATES } from "~/modules/users/labels";
import { isOutsideProvider, ROLE_LABELS } from "~/lib/roles";

export const meta: MetaFunction = () => [
  { title: "Accept your invitation · Ember Health Provider Portal" },
  { name: "referrer", content: "no-referrer" },
];

const GONE =
  "This invitation link is no longer valid: it was used, revoked, replaced by a newer link, or it expired. Ask your Ember care coordinator to send a new one.";

export async function loader({ params, context }: LoaderFunctionArgs) {
  const invitation = await findOpenInvitation(context.db, params.token ?? "", context.now());
  if (!invitation) return data({ invitation: null }, { status: 410 });
  return data({ invitation: { email: invitation.email, role: invitation.role } });
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const now = context.now();
  const token = params.token ?? "";
  const invitation = await findOpenInvitation(context.db, token, now);
  const formData = await request.formData();
  const schema = acceptSchema({
    outsideProvider: !!invitation && isOutsideProvider(invitation.role),
    today: clinicToday(now),
  });
  const submission = parseSubmission(formData, schema);
  if (!invitation) return data(submission.reply({ formErrors: [GONE] }), { status: 410 });
  if (submission.status !== "success") return showFormAgain(submission);
  let accepted;
  try {
    accepted = await acceptInvitation(context.db, {
      ...submission.value,
      token,
      now,
      ip: context.ip,
      requestId: context.requestId,
    });
  } catch (error) {
    if (error instanceof InvitationError)
      return data(submission.reply({ formErrors: [error.message] }), { status: 409 });
    throw error;
  }
  if (!accepted) return data(submission.reply({ formErrors: [GONE] }), { status: 410 });
  const session = await context.lucia.createSession(accepted.userId, {
    ip: context.ip,
    userAgent: request.headers.get("user-agent")?.slice(0, 300) ?? null,
    // Ember staff set up their second factor before anything else.
    needsMfaEnrolment: context.config.staffMfaRequired && MFA_REQUIRED_ROLES.includes(accepted.role),
  });
  const headers = new Headers();
  headers.append("Set-Cookie", sessionCookieHeader(context, session.id));
  headers.append(
    "Set-Cookie",
    await setFlash(context, {
      kind: "success",
      message: "Welcome to the Ember Health provider portal. Your account is ready.",
    }),
  );
  return redirect("/", { headers });
}

export default function AcceptInvitation() {
  const { invitation } = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>();
  // Every field either kind of invitation shows: an outside provider also gives a licence and an NPI.
  const [form, fields] = useForm<
    z.input<ReturnType<typeof acceptSchema>> &
      Partial<Record<"licenceType" | "licenceNumber" | "licenceState" | "licenceExpiresOn" | "npi", string>>
  >({
    id: "accept-invitation",
    lastResult,
    shouldValidate: "onBlur",
    defaultValue: { licenceState: "NY" },
  });
  if (!invitation) {
    return (
      <div className="card narrow">
        <h1>Invitation not valid</h1>
        <p>{GONE}</p>
        <p>
          Already have an account? <Link to="/login">Sign in</Link>.
        </p>
      </div>
    );
  }
  const provider = isOutsideProvider(invitation.role);
  return (
    <div className="card narrow">
      <h1>Set up your account</h1>
      <p className="lead">
        You were invited as {ROLE_LABELS[invitation.role].toLowerCase()} with <strong>{invitation.email}</strong>.
      </p>
      <FormError form={form} />
      <Form method="post" {...getFormProps(form)} noValidate>
        <TextField label="Full name" field={fields.name} autoComplete="name" required />
        <TextField
          label={provider ? "Practice or organisation" : "Team or department (optional)"}
          field={fields.organisation}
          autoComplete="organization"
        />
        {provider ? (
          <fieldset className="field">
            <legend>Licence and NPI</legend>
            <SelectField
              label="Licence type"
              field={fields.licenceType}
              options={LICENCE_TYPES.map((t) => ({ value: t, label: t }))}
              placeholder="Choose a licence type"
              required
            />
            <TextField label="Licence number" field={fields.licenceNumber} required />
            <SelectField
              label="Licence state"
              field={fields.licenceState}
              options={US_STATES.map((s) => ({ value: s, label: s }))}
              placeholder="Choose a state"
              required
            />
            <TextField label="Licence expiry date" field={fields.licenceExpiresOn} type="date" required />
            <TextField
              label="NPI"
              field={fields.npi}
              inputMode="numeric"
              hint="Your 10-digit National Provider Identifier."
              required
            />
          </fieldset>
        ) : null}
        <TextField
          label="Password"
          field={fields.password}
          type="password"
          autoComplete="new-password"
          hint="At least 12 characters."
          required
        />
        <TextField
          label="Repeat the password"
          field={fields.confirmPassword}
          type="password"
          autoComplete="new-password"
          required
        />
        <SubmitButton pendingText="Creating your account…">Create my account</SubmitButton>
      </Form>
    </div>
  );
}
