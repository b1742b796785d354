import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { getFormProps, useForm } from "@conform-to/react";
import { Link, useActionData, useSearchParams } from "@remix-run/react";
import { Form, FormError, SubmitButton, TextField } from "~/components/form";
import { getActor, safeRedirectPath, sessionCookieHeader } from "~/auth/session.server";
import { challengeCookie } from "~/auth/challenge-cookie.server";
import { signIn } from "~/auth/sign-in.server";
import { parseSubmission, showFormAgain } from "~/lib/forms.server";
import { signInSchema } from "~/modules/users/forms.server";
import type { z } from "zod";

export const meta: MetaFunction = () => [{ title: "Sign in · Ember Health Provider Portal" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const actor = await getActor(request, context);
  if (actor) throw redirect(safeRedirectPath(new URL(request.url).searchParams.get("redirectTo")));
  return null;
}

export async function action({ request, context }: ActionFunctionArgs) {
  const submission = parseSubmission(await request.formData(), signInSchema);
  if (submission.status !== "success") return showFormAgain(submission);

  const previousSessionId = context.lucia.readSessionCookie(request.headers.get("Cookie") ?? "");
  const result = await signIn(context, {
    email: submission.value.email,
    password: submission.value.password,
    previousSessionId,
    userAgent: request.headers.get("user-agent"),
  });
  if (!result.ok) {
    const formError =
      result.reason === "throttled"
        ? "Too many failed sign-in attempts. Sign-in is paused for this account for 15 minutes. Wait and try again, or reset your password."
        : "The email or password is not right. Check both and try again.";
    return data(submission.reply({ formErrors: [formError] }), { status: result.reason === "throttled" ? 429 : 400 });
  }
  const redirectTo = safeRedirectPath(submission.value.redirectTo);
  if ("challenge" in result) {
    const cookie = await challengeCookie(context.config.session.secureCookie).serialize(result.challenge);
    return redirect(`/login/verify?${new URLSearchParams({ redirectTo })}`, { headers: { "Set-Cookie": cookie } });
  }
  return redirect(redirectTo, { headers: { "Set-Cookie": sessionCookieHeader(context, result.sessionId) } });
}

export default function Login() {
  const lastResult = useActionData<typeof action>();
  const [form, fields] = useForm<z.input<typeof signInSchema>>({ id: "sign-in", lastResult, shouldValidate: "onBlur" });
  const [params] = useSearchParams();
  const expired = params.get("expired") === "1";
  return (
    <div className="card narrow">
      <h1>Sign in</h1>
      <p className="lead">For Ember Health staff and the outside providers who care for Ember patients.</p>
      {expired ? <p className="alert alert-info">Your session ended. Sign in again to continue.</p> : null}
      <FormError form={form} />
      <Form method="post" {...getFormProps(form)} noValidate>
        <input type="hidden" name="redirectTo" value={params.get("redirectTo") ?? "/"} />
        <TextField label="Email" field={fields.email} type="email" autoComplete="username" required />
        <TextField label="Password" field={fields.password} type="password" autoComplete="current-password" required />
        <SubmitButton pendingText="Signing in…">Sign in</SubmitButton>
      </Form>
      <p>
        <Link to="/forgot-password">Forgot your password?</Link>
      </p>
    </div>
  );
}
