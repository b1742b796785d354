import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { getFormProps, useForm, type FieldMetadata, type SubmissionResult } from "@conform-to/react";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import type { ReactNode } from "react";
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
import { parseSubmission } from "~/lib/forms.server";
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
  const schema = intent === "password" ? changePasswordSchema : intent === "email" ? changeEmailSchema : reauthSchema;
  const submission = parseSubmission(formData, schema);
  // Four forms share this action: the reply names the one it answers.
  const reply = (result: SubmissionResult, status = 400) =>
    data({ intent, codes: null as string[] | null, result }, { status });
  const done = async (message: string, rotatedSessionId?: string | null) => {
    const headers = new Headers({ "Set-Cookie": await setFlash(context, { kind: "success", message }) });
    if (rotatedSessionId !== undefined) headers.append("Set-Cookie", sessionCookieHeader(context, rotatedSessionId));
    return redirect("/account", { headers });
  };
  if (submission.status !== "success") return reply(submission.reply(), submission.status ? 400 : 200);
  try {
    await confirmIdentity(context.db, context.config.secretsKey, audit, {
      userId: actor.id,
      password: submission.value.currentPassword,
      code: submission.value.currentCode,
      now,
      limits: context.config.throttle,
    });
  } catch (error) {
    if (!(error instanceof ReauthError)) throw error;
    return error.field
      ? reply(submission.reply({ fieldErrors: { [error.field]: [error.message] } }))
      : reply(submission.reply({ formErrors: [error.message] }), error.throttled ? 429 : 400);
  }
  const base = { userId: actor.id, sessionId: actor.sessionId, now };
  switch (intent) {
    case "password":
      return done(
        "Password changed. Every other session was signed out.",
        await changePassword(context.db, audit, {
          ...base,
          newPassword: (submission.value as z.infer<typeof changePasswordSchema>).newPassword,
        }),
      );
    case "email": {
      const changed = await changeEmail(context.db, audit, {
        ...base,
        email: (submission.value as z.infer<typeof changeEmailSchema>).newEmail,
      });
      return changed
        ? done("Email changed. Every other session was signed out.")
        : reply(submission.reply({ fieldErrors: { newEmail: ["Another account uses this email."] } }));
    }
    case "recovery-codes":
      return {
        intent,
        codes: await regenerateRecoveryCodes(context.db, audit, base),
        result: submission.reply({ resetForm: true }),
      };
    case "disable-mfa":
      return (await disableTotp(context.db, audit, { ...base, role: actor.role }))
        ? done("Two-step sign-in is off. Every other session was signed out.")
        : reply(submission.reply({ formErrors: ["Ember staff must keep two-step sign-in on."] }), 403);
    default:
      return reply(submission.reply({ formErrors: ["Unknown action: reload the page and try again."] }));
  }
}

type ReauthInput = z.input<typeof reauthSchema>;
type Reply = SubmissionResult | undefined;

function ReauthFields({
  enrolled,
  fields,
}: {
  enrolled: boolean;
  fields: Record<keyof ReauthInput, FieldMetadata<any, any, string[]>>;
}) {
  return (
    <>
      <TextField
        label="Current password"
        field={fields.currentPassword}
        type="password"
        autoComplete="current-password"
      />
      {enrolled ? (
        <TextField
          label="Current code from your authenticator app"
          field={fields.currentCode}
          autoComplete="one-time-code"
        />
      ) : null}
    </>
  );
}

/**
 * Every form on this page asks who you are again (password, and the current code once two-step
 * sign-in is on) before its own fields.
 */
function AccountForm<S extends ReauthInput>({
  id,
  intent,
  enrolled,
  lastResult,
  heading,
  label,
  fields: ownFields,
  submit,
}: {
  id: string;
  intent: string;
  enrolled: boolean;
  lastResult: Reply;
  heading?: string;
  label?: string;
  fields?: (fields: ReturnType<typeof useForm<S>>[1]) => ReactNode;
  submit: ReactNode;
}) {
  const [form, fields] = useForm<S>({ id, lastResult, shouldValidate: "onBlur" });
  return (
    <Form method="post" {...getFormProps(form)} noValidate aria-label={label}>
      <input type="hidden" name="intent" value={intent} />
      {heading ? <h3>{heading}</h3> : null}
      <FormError form={form} />
      <ReauthFields enrolled={enrolled} fields={fields} />
      {ownFields?.(fields)}
      {submit}
    </Form>
  );
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
