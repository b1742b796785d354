import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Link, useActionData, useSearchParams } from "@remix-run/react";
import { Form, FormError, SubmitButton, TextField } from "~/components/form";
import { getActor, safeRedirectPath, sessionCookieHeader } from "~/auth/session.server";
import { challengeCookie } from "~/auth/challenge-cookie.server";
import { signIn } from "~/auth/sign-in.server";
import { formState, parseForm } from "~/lib/forms";
import { signInSchema } from "~/modules/users/forms.server";

export const meta: MetaFunction = () => [{ title: "Sign in · Ember Health Provider Portal" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const actor = await getActor(request, context);
  if (actor) throw redirect(safeRedirectPath(new URL(request.url).searchParams.get("redirectTo")));
  return null;
}

export async function action({ request, context }: ActionFunctionArgs) {
  const form = parseForm(signInSchema, await request.formData());
  if (!form.ok) return data(formState({ errors: form.errors, values: form.values, formError: null }), { status: 400 });

  const previousSessionId = context.lucia.readSessionCookie(request.headers.get("Cookie") ?? "");
  const result = await signIn(context, {
    email: form.data.email,
    password: form.data.password,
    previousSessionId,
    userAgent: request.headers.get("user-agent"),
  });
  if (!result.ok) {
    const formError =
      result.reason === "throttled"
        ? "Too many failed sign-in attempts. Sign-in is paused for this account for 15 minutes. Wait and try again, or reset your password."
        : "The email or password is not right. Check both and try again.";
    return data(formState({ values: { email: form.data.email }, formError }), {
      status: result.reason === "throttled" ? 429 : 400,
    });
  }
  const redirectTo = safeRedirectPath(form.data.redirectTo);
  if ("challenge" in result) {
    const cookie = await challengeCookie(context.config.session.secureCookie).serialize(result.challenge);
    return redirect(`/login/verify?${new URLSearchParams({ redirectTo })}`, { headers: { "Set-Cookie": cookie } });
  }
  return redirect(redirectTo, { headers: { "Set-Cookie": sessionCookieHeader(context, result.sessionId) } });
}

export default function Login() {
  const actionData = useActionData<typeof action>();
  const [params] = useSearchParams();
  const expired = params.get("expired") === "1";
  return (
    <div className="card narrow">
      <h1>Sign in</h1>
      <p className="lead">For Ember Health staff and the outside providers who care for Ember patients.</p>
      {expired ? <p className="alert alert-info">Your session ended. Sign in again to continue.</p> : null}
      <FormError message={actionData?.formError} />
      <Form method="post" noValidate>
        <input type="hidden" name="redirectTo" value={params.get("redirectTo") ?? "/"} />
        <TextField
          label="Email"
          name="email"
          type="email"
          autoComplete="username"
          defaultValue={actionData?.values.email}
          errors={actionData?.errors.email}
          required
        />
        <TextField
          label="Password"
          name="password"
          type="password"
          autoComplete="current-password"
          errors={actionData?.errors.password}
          required
        />
        <SubmitButton pendingText="Signing in…">Sign in</SubmitButton>
      </Form>
      <p>
        <Link to="/forgot-password">Forgot your password?</Link>
      </p>
    </div>
  );
}
