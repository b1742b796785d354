import { getFormProps, useForm, type FieldMetadata, type SubmissionResult } from "@conform-to/react";
import type { ReactNode } from "react";
import type { z } from "zod";
import { Form, FormError, TextField } from "~/components/form";
import type { reauthSchema } from "~/modules/users/forms.server";

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
export function AccountForm<S extends ReauthInput>({
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
