import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import type { z } from "zod";
import {
  changeEmail,
  changePassword,
  confirmIdentity,
  disableTotp,
  ReauthError,
  regenerateRecoveryCodes,
} from "~/auth/account.server";
import { MFA_REQUIRED_ROLES, mfaStatus } from "~/auth/mfa.server";
import { auditContextOf, requireActor, sessionCookieHeader } from "~/auth/session.server";
import { Form, FormError, SubmitButton, TextField } from "~/components/form";
import { When } from "~/components/time";
import { Alert, Badge, PageHeader } from "~/components/ui";
import { setFlash } from "~/lib/flash.server";
import { formState, parseForm, type FormState } from "~/lib/forms";
import { changeEmailSchema, changePasswordSchema, reauthSchema } from "~/modules/users/forms.server";

export const meta: MetaFunction = () => [{ title: "Account and security · Ember Health Provider Portal" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const actor = await requireActor(request, context);
  const status = await mfaStatus(context.db, actor.id);
  return {
    email: status.email,
    enrolled: Boolean(status.totp_enabled_at),
    enrolledAt: status.totp_enabled_at,
    recoveryCodesLeft: status.recoveryCodesLeft,
    required: MFA_REQUIRED_ROLES.includes(actor.role),
  };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const actor = await requireActor(request, context);
  const formData = await request.formData();
  const intent = String(formData.get("intent") ?? "");
  const now = context.now();
  const audit = auditContextOf(context, actor);
  const fail = (state: FormState, status = 400) =>
    data({ intent, codes: null as string[] | null, ...state }, { status });
  const done = async (message: string, rotatedSessionId?: string | null) => {
    const headers = new Headers({ "Set-Cookie": await setFlash(context, { kind: "success", message }) });
    if (rotatedSessionId !== undefined) headers.append("Set-Cookie", sessionCookieHeader(context, rotatedSessionId));
    return redirect("/account", { headers });
  };
  const schema = intent === "password" ? changePasswordSchema : intent === "email" ? changeEmailSchema : reauthSchema;
  const form = parseForm(schema, formData);
  if (!form.ok) return fail(formState(form));
  try {
    await confirmIdentity(context.db, context.config.secretsKey, audit, {
      userId: actor.id,
      password: form.data.currentPassword,
      code: form.data.currentCode,
      now,
      limits: context.config.throttle,
    });
  } catch (error) {
    if (!(error instanceof ReauthError)) throw error;
    return error.field
      ? fail(formState({ errors: { [error.field]: [error.message] } }))
      : fail(formState({ formError: error.message }), error.throttled ? 429 : 400);
  }
  const base = { userId: actor.id, sessionId: actor.sessionId, now };
  switch (intent) {
    case "password":
      return done(
        "Password changed. Every other session was signed out.",
        await changePassword(context.db, audit, {
          ...base,
          newPassword: (form.data as z.infer<typeof changePasswordSchema>).newPassword,
        }),
      );
    case "email": {
      const changed = await changeEmail(context.db, audit, {
        ...base,
        email: (form.data as z.infer<typeof changeEmailSchema>).newEmail,
      });
      return changed
        ? done("Email changed. Every other session was signed out.")
        : fail(formState({ errors: { newEmail: ["Another account uses this email."] } }));
    }
    case "recovery-codes":
      return { intent, codes: await regenerateRecoveryCodes(context.db, audit, base), ...formState({}) };
    case "disable-mfa":
      return (await disableTotp(context.db, audit, { ...base, role: actor.role }))
        ? done("Two-step sign-in is off. Every other session was signed out.")
        : fail(formState({ formError: "Ember staff must keep two-step sign-in on." }), 403);
    default:
      return fail(formState({ formError: "Unknown action: reload the page and try again." }));
  }
}

function ReauthFields({ enrolled, state }: { enrolled: boolean; state?: FormState }) {
  return (
    <>
      <TextField
        label="Current password"
        name="currentPassword"
        type="password"
        autoComplete="current-password"
        errors={state?.errors.currentPassword}
      />
      {enrolled ? (
        <TextField
          label="Current code from your authenticator app"
          name="currentCode"
          autoComplete="one-time-code"
          errors={state?.errors.currentCode}
        />
      ) : null}
    </>
  );
}

export default function Account() {
  const { email, enrolled, enrolledAt, recoveryCodesLeft, required } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const stateFor = (intent: string) => (actionData?.intent === intent ? actionData : undefined);
  return (
    <>
      <PageHeader
        title="Account and security"
        description={`Signed in as ${email}. Changing your password, email or two-step sign-in asks for your password again and signs out your other sessions.`}
      />
      <FormError message={actionData?.formError} />
      {actionData?.codes ? (
        <Alert kind="success">
          New recovery codes (the old ones no longer work; store these now, they are not shown again):
          <ul className="recovery-codes" data-testid="recovery-codes">
            {actionData.codes.map((c) => (
              <li key={c}>
                <code>{c}</code>
              </li>
            ))}
          </ul>
        </Alert>
      ) : null}
      <div className="grid">
        <section className="card" aria-labelledby="mfa-title">
          <h2 id="mfa-title">Two-step sign-in</h2>
          <p>
            {enrolled ? <Badge tone="good">on</Badge> : <Badge tone="warn">off</Badge>}{" "}
            {required ? "Required for Ember staff." : "Recommended."}
          </p>
          {enrolled ? (
            <p className="muted">
              On since <When at={enrolledAt!} />. {recoveryCodesLeft} recovery code{recoveryCodesLeft === 1 ? "" : "s"}{" "}
              left{recoveryCodesLeft < 3 ? ": make new ones below." : "."}
            </p>
          ) : null}
          <p>
            <Link to="/account/mfa">{enrolled ? "Replace your authenticator" : "Set up two-step sign-in"}</Link>
          </p>
          {enrolled ? (
            <Form method="post" noValidate aria-label="New recovery codes">
              <input type="hidden" name="intent" value="recovery-codes" />
              <h3>New recovery codes</h3>
              <ReauthFields enrolled={enrolled} state={stateFor("recovery-codes")} />
              <SubmitButton className="button button-secondary">Make new recovery codes</SubmitButton>
            </Form>
          ) : null}
          {enrolled && !required ? (
            <Form method="post" noValidate aria-label="Turn off two-step sign-in">
              <input type="hidden" name="intent" value="disable-mfa" />
              <h3>Turn off</h3>
              <ReauthFields enrolled={enrolled} state={stateFor("disable-mfa")} />
              <SubmitButton className="button button-danger">Turn off two-step sign-in</SubmitButton>
            </Form>
          ) : null}
        </section>
        <section className="card" aria-labelledby="password-title">
          <h2 id="password-title">Change password</h2>
          <Form method="post" noValidate>
            <input type="hidden" name="intent" value="password" />
            <ReauthFields enrolled={enrolled} state={stateFor("password")} />
            <TextField
              label="New password"
              name="newPassword"
              type="password"
              autoComplete="new-password"
              hint="At least 12 characters."
              errors={stateFor("password")?.errors.newPassword}
            />
            <TextField
              label="Repeat the new password"
              name="confirmPassword"
              type="password"
              autoComplete="new-password"
              errors={stateFor("password")?.errors.confirmPassword}
            />
            <SubmitButton>Change password</SubmitButton>
          </Form>
        </section>
        <section className="card" aria-labelledby="email-title">
          <h2 id="email-title">Change email</h2>
          <Form method="post" noValidate>
            <input type="hidden" name="intent" value="email" />
            <ReauthFields enrolled={enrolled} state={stateFor("email")} />
            <TextField
              label="New email"
              name="newEmail"
              type="email"
              defaultValue={stateFor("email")?.values.newEmail}
              errors={stateFor("email")?.errors.newEmail}
            />
            <SubmitButton>Change email</SubmitButton>
          </Form>
        </section>
      </div>
      <p>
        <Link to="/account/sessions">See and end your sessions</Link> · <Link to="/settings">Email notices</Link>
      </p>
    </>
  );
}
