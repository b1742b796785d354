import type { SubmissionResult } from "@conform-to/react";
import { data } from "@remix-run/node";

/**
 * Actions whose forms share one URL say which form was sent in a hidden `intent` field. Each
 * route names its handlers once, and anything else (a stale page, a hand-made request) is a 400
 * that says so, rather than falling through to a default branch.
 */

/** The submitted intent, or "" when the form sent none. */
export function intentOf(formData: FormData): string {
  const intent = formData.get("intent");
  return typeof intent === "string" ? intent : "";
}

/** Whether `intent` names one of `handlers` (own keys only, so "constructor" is not an intent). */
export function isKnownIntent(handlers: object, intent: string): boolean {
  return Object.hasOwn(handlers, intent);
}

/**
 * Runs the handler the form's intent names, with `input` (what the route already resolved: the
 * actor, the patient, the parsed form data). Throws a 400 for a missing or unknown intent.
 */
export async function dispatchIntent<I, H extends Record<string, (input: I, intent: string) => unknown>>(
  formData: FormData,
  handlers: H,
  input: I,
): Promise<Awaited<ReturnType<H[keyof H]>>> {
  const intent = intentOf(formData);
  if (!isKnownIntent(handlers, intent))
    throw new Response(
      intent
        ? `Unknown action "${intent.slice(0, 40)}": reload the page and try again.`
        : "The form did not say what to do: reload the page and try again.",
      { status: 400, headers: { "Content-Type": "text/plain; charset=utf-8" } },
    );
  return (await handlers[intent]!(input, intent)) as Awaited<ReturnType<H[keyof H]>>;
}

/**
 * A refusal on a page of several Conform forms: `formError` shows above them all, `result` (the
 * field messages) in the form named by the intent and `target`, the row it acts on.
 */
export function refuseSubmission(
  formData: FormData,
  target: string,
  refusal: { formError?: string; result?: SubmissionResult },
  status = 400,
) {
  return data(
    { intent: intentOf(formData), target, formError: refusal.formError ?? null, result: refusal.result ?? null },
    { status },
  );
}
