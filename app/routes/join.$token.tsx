import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { MFA_REQUIRED_ROLES } from "~/auth/mfa.server";
import { sessionCookieHeader } from "~/auth/session.server";
import { Form, FormError, SelectField, SubmitButton, TextField } from "~/components/form";
import { setFlash } from "~/lib/flash.server";
import { formState, parseForm } from "~/lib/forms";
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
  if (!invitation) return data(formState({ errors: {}, values: {}, formError: GONE }), { status: 410 });
  const schema = acceptSchema({ outsideProvider: isOutsideProvider(invitation.role), today: clinicToday(now) });
  const form = parseForm(schema, await request.formData());
  if (!form.ok) return data(formState({ errors: form.errors, values: form.values, formError: null }), { status: 400 });
  let accepted;
  try {
    accepted = await acceptInvitation(context.db, {
      ...form.data,
      token,
      now,
      ip: context.ip,
      requestId: context.requestId,
    });
  } catch (error) {
    if (error instanceof InvitationError)
      return data(formState({ errors: {}, values: form.values, formError: error.message }), { status: 409 });
    throw error;
  }
  if (!accepted) return data(formState({ errors: {}, values: {}, formError: GONE }), { status: 410 });
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
  const actionData = useActionData<typeof action>();
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
  const v = actionData?.values ?? {};
  const e = actionData?.errors ?? {};
  return (
    <div className="card narrow">
      <h1>Set up your account</h1>
      <p className="lead">
        You were invited as {ROLE_LABELS[invitation.role].toLowerCase()} with <strong>{invitation.email}</strong>.
      </p>
      <FormError message={actionData?.formError} />
      <Form method="post" noValidate>
        <TextField label="Full name" name="name" autoComplete="name" defaultValue={v.name} errors={e.name} required />
        <TextField
          label={provider ? "Practice or organisation" : "Team or department (optional)"}
          name="organisation"
          autoComplete="organization"
          defaultValue={v.organisation}
          errors={e.organisation}
        />
        {provider ? (
          <fieldset className="field">
            <legend>Licence and NPI</legend>
            <SelectField
              label="Licence type"
              name="licenceType"
              options={LICENCE_TYPES.map((t) => ({ value: t, label: t }))}
              placeholder="Choose a licence type"
              defaultValue={v.licenceType ?? ""}
              errors={e.licenceType}
              required
            />
            <TextField
              label="Licence number"
              name="licenceNumber"
              defaultValue={v.licenceNumber}
              errors={e.licenceNumber}
              required
            />
            <SelectField
              label="Licence state"
              name="licenceState"
              options={US_STATES.map((s) => ({ value: s, label: s }))}
              placeholder="Choose a state"
              defaultValue={v.licenceState ?? "NY"}
              errors={e.licenceState}
              required
            />
            <TextField
              label="Licence expiry date"
              name="licenceExpiresOn"
              type="date"
              defaultValue={v.licenceExpiresOn}
              errors={e.licenceExpiresOn}
              required
            />
            <TextField
              label="NPI"
              name="npi"
              inputMode="numeric"
              hint="Your 10-digit National Provider Identifier."
              defaultValue={v.npi}
              errors={e.npi}
              required
            />
          </fieldset>
        ) : null}
        <TextField
          label="Password"
          name="password"
          type="password"
          autoComplete="new-password"
          hint="At least 12 characters."
          errors={e.password}
          required
        />
        <TextField
          label="Repeat the password"
          name="confirmPassword"
          type="password"
          autoComplete="new-password"
          errors={e.confirmPassword}
          required
        />
        <SubmitButton pendingText="Creating your account…">Create my account</SubmitButton>
      </Form>
    </div>
  );
}
