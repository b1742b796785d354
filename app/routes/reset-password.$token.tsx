import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { getFormProps, useForm } from "@conform-to/react";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import type { z } from "zod";
import { sessionCookieHeader } from "~/auth/session.server";
import { Form, FormError, SubmitButton, TextField } from "~/components/form";
import { setFlash } from "~/lib/flash.server";
import { parseSubmission, showFormAgain } from "~/lib/forms.server";
import { isResetTokenUsable, resetPassword } from "~/modules/users/password-reset.server";
import { resetSchema } from "~/modules/users/forms.server";

export const meta: MetaFunction = () => [
  { title: "Choose a new password · Ember Health Provider Portal" },
  { name: "referrer", content: "no-referrer" },
];

const THROTTLED =
  "Too many reset links that do not work were tried from your network. Wait an hour, then use the newest link you were sent.";
const GONE =
  "This reset link is no longer valid: it was used, or more than 30 minutes have passed. Ask for a new link.";

export async function loader({ params, context }: LoaderFunctionArgs) {
  const usable = await isResetTokenUsable(context.db, params.token ?? "", context.now());
  return data({ usable }, { status: usable ? 200 : 410 });
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const submission = parseSubmission(await request.formData(), resetSchema);
  if (submission.status !== "success") return showFormAgain(submission);
  const outcome = await resetPassword(
    context.db,
    { actorId: null, actorRole: null, ip: context.ip, requestId: context.requestId },
    {
      token: params.token ?? "",
      password: submission.value.password,
      now: context.now(),
    },
  );
  if (outcome === "throttled") return data(submission.reply({ formErrors: [THROTTLED] }), { status: 429 });
  if (outcome === "gone") return data(submission.reply({ formErrors: [GONE] }), { status: 410 });
  const headers = new Headers();
  headers.append("Set-Cookie", sessionCookieHeader(context, null));
  headers.append(
    "Set-Cookie",
    await setFlash(context, {
      kind: "success",
      message: "Your password was changed and every session was signed out. Sign in with the new password.",
    }),
  );
  return redirect("/login", { headers });
}

export default function ResetPassword() {
  const { usable } = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>();
  const [form, fields] = useForm<z.input<typeof resetSchema>>({
    id: "new-password",
    lastResult,
    shouldValidate: "onBlur",
  });
  if (!usable) {
    return (
      <div className="card narrow">
        <h1>Reset link not valid</h1>
        <p>{GONE}</p>
        <p>
          <Link to="/forgot-password">Ask for a new reset link</Link>
        </p>
      </div>
    );
  }
  return (
    <div className="card narrow">
      <h1>Choose a new password</h1>
      <FormError form={form} />
      <Form method="post" {...getFormProps(form)} noValidate>
        <TextField
          label="New password"
          field={fields.password}
          type="password"
          autoComplete="new-password"
          hint="At least 12 characters."
          required
        />
        <TextField
          label="Repeat the new password"
          field={fields.confirmPassword}
          type="password"
          autoComplete="new-password"
          required
        />
        <SubmitButton pendingText="Saving…">Save the new password</SubmitButton>
      </Form>
    </div>
  );
}
