import type { ActionFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Link, useActionData } from "@remix-run/react";
import { Form, SubmitButton, TextField } from "~/components/form";
import { formState, parseForm } from "~/lib/forms";
import { requestPasswordReset, RESET_VALID_MINUTES } from "~/modules/users/password-reset.server";
import { resetRequestSchema } from "~/modules/users/forms.server";

export const meta: MetaFunction = () => [{ title: "Reset your password · Ember Health Provider Portal" }];

export async function action({ request, context }: ActionFunctionArgs) {
  const form = parseForm(resetRequestSchema, await request.formData());
  if (!form.ok) return data({ sent: false, ...formState(form) }, { status: 400 });
  await requestPasswordReset(
    context.db,
    { actorId: null, actorRole: null, ip: context.ip, requestId: context.requestId },
    {
      email: form.data.email,
      appUrl: context.config.appUrl,
      secretsKey: context.config.secretsKey,
      now: context.now(),
    },
  );
  context.wakeMailer();
  return { sent: true, ...formState({}) };
}

export default function ForgotPassword() {
  const actionData = useActionData<typeof action>();
  return (
    <div className="card narrow">
      <h1>Reset your password</h1>
      {actionData?.sent ? (
        <div className="alert alert-success" role="status">
          If an active account uses that address, we sent it a link to choose a new password. The link works once, for{" "}
          {RESET_VALID_MINUTES} minutes. Check your inbox.
        </div>
      ) : (
        <p className="lead">Enter the email you sign in with. We will send you a link to choose a new password.</p>
      )}
      <Form method="post" noValidate>
        <TextField
          label="Email"
          name="email"
          type="email"
          autoComplete="username"
          defaultValue={actionData?.values.email}
          errors={actionData?.errors.email}
          required
        />
        <SubmitButton pendingText="Sending…">Send the reset link</SubmitButton>
      </Form>
      <p>
        <Link to="/login">Back to sign in</Link>
      </p>
    </div>
  );
}
