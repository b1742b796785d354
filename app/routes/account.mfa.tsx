import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { confirmIdentity, ReauthError } from "~/auth/account.server";
import { enableTotp, enrolmentQr, matchingStep, MFA_REQUIRED_ROLES, mfaStatus, newTotpSecret } from "~/auth/mfa.server";
import { auditContextOf, requireActor, sessionCookieHeader } from "~/auth/session.server";
import { Form, FormError, SubmitButton, TextField } from "~/components/form";
import { Alert, PageHeader } from "~/components/ui";
import { formState, parseForm, type FormState } from "~/lib/forms";
import { hashToken } from "~/lib/tokens.server";
import { totpEnrolmentSchema } from "~/modules/users/forms.server";

export const meta: MetaFunction = () => [{ title: "Two-step sign-in · Ember Health Provider Portal" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const actor = await requireActor(request, context, undefined, { duringEnrolment: true });
  const status = await mfaStatus(context.db, actor.id);
  const secret = newTotpSecret();
  const { qr } = await enrolmentQr(secret, actor.email);
  return {
    secret,
    qr,
    enrolled: Boolean(status.totp_enabled_at),
    required: MFA_REQUIRED_ROLES.includes(actor.role),
    forced: Boolean(actor.needsMfaEnrolment),
  };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const actor = await requireActor(request, context, undefined, { duringEnrolment: true });
  const form = parseForm(totpEnrolmentSchema, await request.formData());
  if (!form.ok)
    return data(
      { ...formState(form), codes: null as string[] | null, secret: form.values.secret ?? null },
      { status: 400 },
    );
  const now = context.now();
  const audit = auditContextOf(context, actor);
  const fail = (state: Partial<FormState>, status = 400) =>
    data({ ...formState(state), codes: null, secret: form.data.secret }, { status });
  // The new code proves the app holds the new key; checked first, as it needs nothing of the account.
  const step = matchingStep(form.data.secret, actor.email, form.data.code, now);
  if (step === null)
    return fail({
      errors: {
        code: ["That code does not match the key. Check the time on your phone, then enter the current code."],
      },
    });
  try {
    // The re-prompt: the password, and for a replacement a code from the authenticator being
    // replaced, so a stolen session and password cannot swap the second factor.
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
      ? fail({ errors: { [error.field]: [error.message] } })
      : fail({ formError: error.message }, error.throttled ? 429 : 400);
  }
  const { codes, sessionId } = await enableTotp(context.db, context.config.secretsKey, audit, {
    userId: actor.id,
    secret: form.data.secret,
    currentSessionHash: hashToken(actor.sessionId),
    step,
    now,
  });
  return data(
    { ...formState({}), codes, secret: null },
    { headers: { "Set-Cookie": sessionCookieHeader(context, sessionId) } },
  );
}

export default function MfaSetup() {
  const { secret, qr, enrolled, required, forced } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  if (actionData?.codes) {
    return (
      <div className="card narrow">
        <h1>Two-step sign-in is on</h1>
        <Alert kind="success">
          Your other sessions were signed out. From now on you sign in with your password and a code from your app.
        </Alert>
        <h2>Your recovery codes</h2>
        <p>Each works once if you lose your phone. Store them somewhere safe now: they are not shown again.</p>
        <ul className="recovery-codes" data-testid="recovery-codes">
          {actionData.codes.map((c) => (
            <li key={c}>
              <code>{c}</code>
            </li>
          ))}
        </ul>
        <p>
          <Link to="/" className="button">
            Continue to the portal
          </Link>
        </p>
      </div>
    );
  }
  const key = actionData?.secret ?? secret;
  return (
    <>
      <PageHeader title={enrolled ? "Replace your authenticator" : "Set up two-step sign-in"} />
      {forced ? (
        <Alert kind="info">
          Ember staff sign in with a password and a code from an authenticator app. Set it up now to continue.
        </Alert>
      ) : null}
      {!required && !enrolled ? (
        <p>
          Optional for outside providers, and strongly recommended: it protects your patients&apos; records if your
          password leaks.
        </p>
      ) : null}
      <div className="card narrow">
        <ol>
          <li>Open an authenticator app (Google Authenticator, Microsoft Authenticator, 1Password, …).</li>
          <li>
            Scan this code, or enter the key by hand.
            <img src={qr} alt="QR code for Ember Health Portal two-step sign-in" width={200} height={200} />
            <p>
              Key: <code data-testid="totp-key">{key.replace(/(.{4})/g, "$1 ").trim()}</code>
            </p>
          </li>
          <li>
            {enrolled
              ? "Enter the 6-digit code the new app shows. To confirm it is you, enter your password and a code from the authenticator you are replacing (or one of your recovery codes)."
              : "Enter the 6-digit code the app shows, and your password to confirm it is you."}
          </li>
        </ol>
        <FormError message={actionData?.formError} />
        <Form method="post" noValidate>
          <input type="hidden" name="secret" value={key} />
          <TextField
            label="Code from the app"
            name="code"
            autoComplete="one-time-code"
            inputMode="numeric"
            errors={actionData?.errors.code ?? actionData?.errors.secret}
          />
          <TextField
            label="Current password"
            name="currentPassword"
            type="password"
            autoComplete="current-password"
            errors={actionData?.errors.currentPassword}
          />
          {enrolled ? (
            <TextField
              label="Code from your current authenticator, or a recovery code"
              name="currentCode"
              autoComplete="off"
              errors={actionData?.errors.currentCode}
            />
          ) : null}
          <SubmitButton>{enrolled ? "Replace the authenticator" : "Turn on two-step sign-in"}</SubmitButton>
        </Form>
      </div>
    </>
  );
}
