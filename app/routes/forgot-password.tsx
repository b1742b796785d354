import type { ActionFunctionArgs, MetaFunction } from "@remix-run/node";
import { getFormProps, useForm } from "@conform-to/react";
import { Link, useActionData } from "@remix-run/react";
import type { z } from "zod";
import { Form, SubmitButton, TextField } from "~/components/form";
import { parseSubmission, showFormAgain } from "~/lib/forms.server";
import { requestPasswordReset, RESET_VALID_MINUTES } from "~/modules/users/password-reset.server";
import { resetRequestSchema } from "~/modules/users/forms.server";

export const meta: MetaFunction = () => [{ title: "Reset your password · Ember Health Provider Portal" }];

export async function action({ request, context }: ActionFunctionArgs) {
  const submission = parseSubmission(await request.formData(), resetRequestSchema);
  if (submission.status !== "success") return showFormAgain(submission);
  await requestPasswordReset(
    context.db,
    { actorId: null, actorRole: null, ip: context.ip, requestId: context.requestId },
    {
      email: submission.value.email,
      appUrl: context.config.appUrl,
      secretsKey: context.config.secretsKey,
      now: context.now(),
    },
  );
  context.wakeMailer();
  return submission.reply({ resetForm: true });
}

export default function ForgotPassword() {
  const lastResult = useActionData<typeof action>();
  const [form, fields] = useForm<z.input<typeof resetRequestSchema>>({
    id: "reset-request",
    lastResult,
    shouldValidate: "onBlur",
  });
  // A request that went out is answered by emptying the form.
  const sent = lastResult?.initialValue === null;
  return (
    <div className="card narrow">
      <h1>Reset your password</h1>
      {sent ? (
        <div className="alert alert-success" role="status">
          If an active account uses that address, we sent it a link to choose a new password. The link works once, for{" "}
          {RESET_VALID_MINUTES} minutes. Check your inbox.
        </div>
      ) : (
        <p className="lead">Enter the email you sign in with. We will send you a link to choose a new password.</p>
      )}
      <Form method="post" {...getFormProps(form)} noValidate>
        <TextField label="Email" field={fields.email} type="email" autoComplete="username" required />
        <SubmitButton pendingText="Sending…">Send the reset link</SubmitButton>
      </Form>
      <p>
        <Link to="/login">Back to sign in</Link>
      </p>
    </div>
  );
}
