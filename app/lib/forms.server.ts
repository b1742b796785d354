import type { Submission, SubmissionResult } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { configureCoercion } from "@conform-to/zod/v4/future";
import { data } from "@remix-run/node";
import type { z } from "zod";
import type { FormAnswer } from "./form-answer";
import { NUL_MESSAGE } from "./forms";

/**
 * Conform's coercion (one value or many for an array, text to number), but an empty field stays
 * an empty string: the schemas word their own message for a blank answer ("Enter the reason…"),
 * which a field turned into `undefined` would replace with zod's type error.
 */
const { coerceFormValue } = configureCoercion({ stripEmptyString: (value) => value });

type ReplyOptions = NonNullable<Parameters<Submission<unknown>["reply"]>[0]>;

/** Fields whose typed value never comes back to the browser, valid or not. */
const SECRET_FIELD = /password|token/i;

function fieldsHoldingNul(formData: FormData): string[] {
  const names = new Set<string>();
  for (const [name, value] of formData) if (typeof value === "string" && value.includes("\u0000")) names.add(name);
  return [...names];
}

/**
 * Runs a form submission through its zod schema with Conform. A reply never echoes a password
 * or token, and a field holding U+0000 is refused with its own message: PostgreSQL text cannot
 * store it, and no form needs it.
 */
export function parseSubmission<S extends z.ZodType>(formData: FormData, schema: S): Submission<z.output<S>> {
  let submission: Submission<z.output<S>>;
  try {
    submission = parseWithZod(formData, { schema: coerceFormValue(schema), disableAutoCoercion: true });
  } catch {
    // Conform's own control fields (__intent__, __state__) hold JSON; a forged one is the caller's mistake.
    throw data({ error: { "": ["This form could not be read. Reload the page and try again."] } }, { status: 400 });
  }
  const secrets = Object.keys(submission.payload).filter((name) => SECRET_FIELD.test(name));
  const nulErrors = Object.fromEntries(fieldsHoldingNul(formData).map((name) => [name, [NUL_MESSAGE]]));
  const refusesNul = Object.keys(nulErrors).length > 0 && submission.status !== undefined;
  const reply = (options: ReplyOptions = {}): SubmissionResult => {
    if ("resetForm" in options && options.resetForm) return submission.reply(options);
    const extra = options as Exclude<ReplyOptions, { resetForm?: boolean }>;
    return submission.reply({
      ...extra,
      hideFields: [...secrets, ...(extra.hideFields ?? [])],
      ...(refusesNul ? { fieldErrors: { ...nulErrors, ...extra.fieldErrors } } : {}),
    });
  };
  if (refusesNul) {
    const error = submission.status === "error" ? submission.error : null;
    return { status: "error", payload: submission.payload, error: { ...error, ...nulErrors }, reply };
  }
  return { ...submission, reply };
}

/**
 * The form shown again: 400 when the submission was refused, 200 when the browser only asked
 * for a field to be checked (Conform's validate intent, sent on blur).
 */
export function showFormAgain(submission: Submission<unknown>, options?: ReplyOptions) {
  return data(submission.reply(options), { status: submission.status === undefined ? 200 : 400 });
}

/** Errors a module throws to refuse a change for a reason the person can act on: their message is the form's. */
type Refusal = abstract new (...args: never[]) => Error;

/**
 * One form of a page with several: its fields through `schema`, then `run`. A refused form comes
 * back tagged with its intent (and `target`, the row it is on) so the page shows the messages beside
 * that form: 400, or 200 for Conform's check on blur. An error of one of `refusals` comes back as
 * the form's own message (409), or beside the field it names in `field` (400), or with its own `status`;
 * anything else is thrown.
 */
export async function answerForm<S extends z.ZodType, R>(
  formData: FormData,
  form: { intent: string; target?: string; schema: S; refusals: readonly Refusal[] },
  run: (value: z.output<S>) => Promise<R>,
) {
  const { intent, target } = form;
  const submission = parseSubmission(formData, form.schema);
  if (submission.status !== "success")
    return data<FormAnswer>(
      { intent, target, result: submission.reply() },
      { status: submission.status === undefined ? 200 : 400 },
    );
  try {
    return await run(submission.value);
  } catch (error) {
    if (form.refusals.some((refusal) => error instanceof refusal)) {
      const { message, field, status } = error as Error & { field?: unknown; status?: unknown };
      const own = typeof status === "number" ? status : undefined;
      // A refusal about one answer (an address already taken) names its field: shown beside it, as a bad answer is.
      if (typeof field === "string" && field)
        return data<FormAnswer>(
          { intent, target, result: submission.reply({ fieldErrors: { [field]: [message] } }) },
          { status: own ?? 400 },
        );
      return data<FormAnswer>(
        { intent, target, result: submission.reply({ formErrors: [message] }) },
        { status: own ?? 409 },
      );
    }
    throw error;
  }
}
