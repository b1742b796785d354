import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Link, useActionData, useSearchParams } from "@remix-run/react";
import { challengeCookie } from "~/auth/challenge-cookie.server";
import { findChallenge } from "~/auth/mfa.server";
import { safeRedirectPath, sessionCookieHeader } from "~/auth/session.server";
import { completeSecondFactor } from "~/auth/sign-in.server";
import { Form, FormError, SubmitButton, TextField } from "~/components/form";
import { formState, parseForm } from "~/lib/forms";
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
  const token = await pendingChallenge(request, context.config.session.secureCookie);
  if (!token) return data(formState({ formError: MESSAGES.expired }), { status: 400 });
  const form = parseForm(secondFactorSchema, await request.formData());
  if (!form.ok) return data(formState(form), { status: 400 });
  const result = await completeSecondFactor(context, {
    challenge: token,
    code: form.data.code,
    previousSessionId: context.lucia.readSessionCookie(request.headers.get("Cookie") ?? ""),
    userAgent: request.headers.get("user-agent"),
  });
  if (!result.ok)
    return data(formState({ formError: MESSAGES[result.reason] }), {
      status: result.reason === "throttled" ? 429 : 400,
    });
  if (!("sessionId" in result)) throw new Error("unexpected second challenge");
  const headers = new Headers();
  headers.append("Set-Cookie", sessionCookieHeader(context, result.sessionId));
  headers.append("Set-Cookie", await challengeCookie(context.config.session.secureCookie).serialize("", { maxAge: 0 }));
  return redirect(safeRedirectPath(form.data.redirectTo), { headers });
}

export default function VerifyCode() {
  const actionData = useActionData<typeof action>();
  const [params] = useSearchParams();
  return (
    <div className="card narrow">
      <h1>Enter your verification code</h1>
      <p className="lead">
        Open your authenticator app and enter the 6-digit code for Ember Health Portal. Lost your phone? Enter one of
        your recovery codes.
      </p>
      <FormError message={actionData?.formError} />
      <Form method="post" noValidate>
        <input type="hidden" name="redirectTo" value={params.get("redirectTo") ?? "/"} />
        <TextField
          label="Code"
          name="code"
          autoComplete="one-time-code"
          inputMode="text"
          autoFocus
          errors={actionData?.errors.code}
          required
        />
        <SubmitButton pendingText="Checking…">Verify</SubmitButton>
      </Form>
      <p>
        <Link to="/login">Start again</Link>
      </p>
    </div>
  );
}
