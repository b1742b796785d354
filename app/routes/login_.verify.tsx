import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { getFormProps, useForm } from "@conform-to/react";
import { Link, useActionData, useSearchParams } from "@remix-run/react";
import type { z } from "zod";
import { challengeCookie } from "~/auth/challenge-cookie.server";
import { findChallenge } from "~/auth/mfa.server";
import { safeRedirectPath, sessionCookieHeader } from "~/auth/session.server";
import { completeSecondFactor } from "~/auth/sign-in.server";
import { Form, FormError, SubmitButton, TextField } from "~/components/form";
import { parseSubmission, showFormAgain } from "~/lib/forms.server";
import { secondFactorSchema } from "~/modules/users/forms.server";

export const meta: MetaFunction = () => [{ title: "Verification code · Ember Health Provider Portal" }];

const MESSAGES = {
  invalid: "That code is not right. Check your authenticator app and try again, or use a recovery code.",
  reused: "That code was already used. Wait for the next code in your app.",
  throttled: "Too many wrong codes. Wait 15 minutes and sign in again.",
  expired: "The sign-in step timed out. Sign in again with your password.",
} as const;

async function pendingChallenge(request: Request, secure: boolean) {
  const value = await challengeCookie(secure).parse(request.headers.get("Cookie"));
  return typeof value === "string" ? value : null;
}

export async function loader({ request, context }: LoaderFunctionArgs) {
  const token = await pendingChallenge(request, context.config.session.secureCookie);
  if (!token || !(await findChallenge(context.db, token, context.now()))) throw redirect("/login");
  return null;
}

export async function action({ request, context }: ActionFunctionArgs) {
  const submission = parseSubmission(await request.formData(), secondFactorSchema);
  const token = await pendingChallenge(request, context.config.session.secureCookie);
  if (!token) return data(submission.reply({ formErrors: [MESSAGES.expired] }), { status: 400 });
  if (submission.status !== "success") return showFormAgain(submission);
  const result = await completeSecondFactor(context, {
    challenge: token,
    code: submission.value.code,
    previousSessionId: context.lucia.readSessionCookie(request.headers.get("Cookie") ?? ""),
    userAgent: request.headers.get("user-agent"),
  });
  if (!result.ok)
    return data(submission.reply({ formErrors: [MESSAGES[result.reason]] }), {
      status: result.reason === "throttled" ? 429 : 400,
    });
  if (!("sessionId" in result)) throw new Error("unexpected second challenge");
  const headers = new Headers();
  headers.append("Set-Cookie", sessionCookieHeader(context, result.sessionId));
  headers.append("Set-Cookie", await challengeCookie(context.config.session.secureCookie).serialize("", { maxAge: 0 }));
  return redirect(safeRedirectPath(submission.value.redirectTo), { headers });
}

export default function VerifyCode() {
  const lastResult = useActionData<typeof action>();
  const [form, fields] = useForm<z.input<typeof secondFactorSchema>>({
    id: "second-factor",
    lastResult,
    shouldValidate: "onBlur",
  });
  const [params] = useSearchParams();
  return (
    <div className="card narrow">
      <h1>Enter your verification code</h1>
      <p className="lead">
        Open your authenticator app and enter the 6-digit code for Ember Health Portal. Lost your phone? Enter one of
        your recovery codes.
      </p>
      <FormError form={form} />
      <Form method="post" {...getFormProps(form)} noValidate>
        <input type="hidden" name="redirectTo" value={params.get("redirectTo") ?? "/"} />
        <TextField label="Code" field={fields.code} autoComplete="one-time-code" inputMode="text" autoFocus required />
        <SubmitButton pendingText="Checking…">Verify</SubmitButton>
      </Form>
      <p>
        <Link to="/login">Start again</Link>
      </p>
    </div>
  );
}
