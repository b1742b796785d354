import type { z } from "zod";

export type FieldErrors = Record<string, string[] | undefined>;

export type FormResult<T> =
  | { ok: true; data: T; values: Record<string, string> }
  | { ok: false; errors: FieldErrors; formError?: string; values: Record<string, string> };

/** What was typed, to put back in the form when it is shown again with its errors. Passwords never return. */
export function submittedValues(formData: FormData): Record<string, string> {
  const values: Record<string, string> = {};
  for (const [key, value] of formData) {
    if (typeof value !== "string" || /password|token/i.test(key)) continue;
    values[key] = key in values ? `${values[key]}\n${value}` : value.slice(0, 20_000);
  }
  return values;
}

/** PostgreSQL text cannot hold U+0000, and no form needs it: refused here rather than failing in the database. */
export const NUL_MESSAGE = "Remove the invisible control character (U+0000) from this field.";

/** Runs submitted form data through a zod schema; multi-valued fields (checkboxes) arrive as arrays. */
export function parseForm<S extends z.ZodType>(
  schema: S,
  formData: FormData,
  arrayFields: string[] = [],
): FormResult<z.infer<S>> {
  const raw: Record<string, unknown> = {};
  const errors: FieldErrors = {};
  for (const key of new Set(formData.keys())) {
    const all = formData.getAll(key).filter((v): v is string => typeof v === "string");
    if (all.some((v) => v.includes("\u0000"))) errors[key] = [NUL_MESSAGE];
    raw[key] = arrayFields.includes(key) ? all : all[0];
  }
  for (const key of arrayFields) raw[key] ??= [];
  const parsed = schema.safeParse(raw);
  if (parsed.success && Object.keys(errors).length === 0)
    return { ok: true, data: parsed.data, values: submittedValues(formData) };
  for (const issue of parsed.error?.issues ?? []) {
    const key = String(issue.path[0] ?? "form");
    (errors[key] ??= []).push(issue.message);
  }
  return { ok: false, errors, values: submittedValues(formData) };
}

/** The shape every form action returns when it shows the form again. */
export interface FormState {
  errors: FieldErrors;
  values: Record<string, string>;
  formError: string | null;
}

export function formState(state: Partial<FormState>): FormState {
  return { errors: state.errors ?? {}, values: state.values ?? {}, formError: state.formError ?? null };
}
