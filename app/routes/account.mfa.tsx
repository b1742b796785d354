import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { getFormProps, useForm, type SubmissionResult } from "@conform-to/react";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import type { z } from "zod";
import { confirmIdentity, ReauthError } from "~/auth/account.server";
import { enableTotp, enrolmentQr, matchingStep, MFA_REQUIRED_ROLES, mfaStatus, newTotpSecret } from "~/auth/mfa.server";
import { auditContextOf, requireActor, sessionCookieHeader } from "~/auth/session.server";
import { Form, FormError, SubmitButton, TextField } from "~/components/form";
import { Alert, PageHeader } from "~/components/ui";
import { parseSubmission } from "~/lib/forms.server";
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
  const formData = await request.formData();
  const submission = parseSubmission(formData, totpEnrolmentSchema);
  // The key being set up stays on the page, so the code typed next still matches it.
  const typedSecret = formData.get("secret");
  const fail = (result: SubmissionResult, status = 400) =>
    data(
      { ...result, codes: null as string[] | null, secret: typeof typedSecret === "string" ? typedSecret : null },
      { status },
    );
  if (submission.status !== "success") return fail(submission.reply(), submission.status ? 400 : 200);
  const now = context.now();
  const audit = auditContextOf(context, actor);
  // The new code proves the app holds the new key; checked first, as it needs nothing of the account.
  const step = matchingStep(submission.value.secret, actor.email, submission.value.code, now);
  if (step === null)
    return fail(
      submission.reply({
        fieldErrors: {
          code: ["That code does not match the key. Check the time on your phone, then enter the current code."],
        },
      }),
    );
  try {
    // The re-prompt: the password, and for a replacement a code from the authenticator being
    // replaced, so a stolen session and password cannot swap the second factor.
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
      ? fail(submission.reply({ fieldErrors: { [error.field]: [error.message] } }))
      : fail(submission.reply({ formErrors: [error.message] }), error.throttled ? 429 : 400);
  }
  const { codes, sessionId } = await enableTotp(context.db, context.config.secretsKey, audit, {
    userId: actor.id,
    secret: submission.value.secret,
    currentSessionHash: hashToken(actor.sessionId),
    step,
    now,
  });
  return data(
    { ...submission.reply({ resetForm: true }), codes, secret: null },
    { headers: { "Set-Cookie": sessionCookieHeader(context, sessionId) } },
  );
}

export default function MfaSetup() {
  const { secret, qr, enrolled, required, forced } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [form, fields] = useForm<z.input<typeof totpEnrolmentSchema>>({
    id: "totp-enrolment",
    lastResult: actionData,
    shouldValidate: "onBlur",
  });
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
        <FormError form={form} />
        <Form method="post" {...getFormProps(form)} noValidate>
          <input type="hidden" name="secret" value={key} />
          <TextField label="Code from the app" field={fields.code} autoComplete="one-time-code" inputMode="numeric" />
          <TextField
            label="Current password"
            field={fields.currentPassword}
            type="password"
            autoComplete="current-password"
          />
          {enrolled ? (
            <TextField
              label="Code from your current authenticator, or a recovery code"
              field={fields.currentCode}
              autoComplete="off"
            />
          ) : null}
          <SubmitButton>{enrolled ? "Replace the authenticator" : "Turn on two-step sign-in"}</SubmitButton>
        </Form>
      </div>
    </>
  );
}
