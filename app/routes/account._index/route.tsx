import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import type { z } from "zod";
import { MFA_REQUIRED_ROLES, mfaStatus } from "~/auth/mfa.server";
import { requireActor } from "~/auth/session.server";
import { SubmitButton, TextField } from "~/components/form";
import { When } from "~/components/time";
import { Alert, Badge, PageHeader } from "~/components/ui";
import { dispatchIntent } from "~/lib/intents.server";
import type { changeEmailSchema, changePasswordSchema } from "~/modules/users/forms.server";
import { AccountForm } from "./account-form";
import { ACCOUNT_INTENTS } from "./actions.server";

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
  return dispatchIntent(formData, ACCOUNT_INTENTS, { context, formData, actor });
}

export default function Account() {
  const { email, enrolled, enrolledAt, recoveryCodesLeft, required } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const resultFor = (intent: string) => (actionData?.intent === intent ? actionData.result : undefined);
  return (
    <>
      <PageHeader
        title="Account and security"
        description={`Signed in as ${email}. Changing your password, email or two-step sign-in asks for your password again and signs out your other sessions.`}
      />
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
            <AccountForm
              id="recovery-codes"
              intent="recovery-codes"
              enrolled={enrolled}
              lastResult={resultFor("recovery-codes")}
              heading="New recovery codes"
              label="New recovery codes"
              submit={<SubmitButton className="button button-secondary">Make new recovery codes</SubmitButton>}
            />
          ) : null}
          {enrolled && !required ? (
            <AccountForm
              id="disable-mfa"
              intent="disable-mfa"
              enrolled={enrolled}
              lastResult={resultFor("disable-mfa")}
              heading="Turn off"
              label="Turn off two-step sign-in"
              submit={<SubmitButton className="button button-danger">Turn off two-step sign-in</SubmitButton>}
            />
          ) : null}
        </section>
        <section className="card" aria-labelledby="password-title">
          <h2 id="password-title">Change password</h2>
          <AccountForm<z.input<typeof changePasswordSchema>>
            id="change-password"
            intent="password"
            enrolled={enrolled}
            lastResult={resultFor("password")}
            fields={(fields) => (
              <>
                <TextField
                  label="New password"
                  field={fields.newPassword}
                  type="password"
                  autoComplete="new-password"
                  hint="At least 12 characters."
                />
                <TextField
                  label="Repeat the new password"
                  field={fields.confirmPassword}
                  type="password"
                  autoComplete="new-password"
                />
              </>
            )}
            submit={<SubmitButton>Change password</SubmitButton>}
          />
        </section>
        <section className="card" aria-labelledby="email-title">
          <h2 id="email-title">Change email</h2>
          <AccountForm<z.input<typeof changeEmailSchema>>
            id="change-email"
            intent="email"
            enrolled={enrolled}
            lastResult={resultFor("email")}
            fields={(fields) => <TextField label="New email" field={fields.newEmail} type="email" />}
            submit={<SubmitButton>Change email</SubmitButton>}
          />
        </section>
      </div>
      <p>
        <Link to="/account/sessions">See and end your sessions</Link> · <Link to="/settings">Email notices</Link>
      </p>
    </>
  );
}
