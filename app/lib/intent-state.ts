import { useActionData } from "@remix-run/react";
import type { FormState } from "./forms";

/** An action's answer for one of several forms on a page: which form (`intent`) and which row (`target`). */
export type IntentState = FormState & { intent: string; target: string };

/** The action's answer when it belongs to the form named by `intent` (on the row `target`), else undefined. */
export type StateFor = (intent: string, target?: string) => IntentState | undefined;

/** Lets each form of a many-form page show only its own errors and typed values. */
export function useIntentState(): StateFor {
  const answer = useActionData<IntentState>();
  return (intent, target = "") =>
    answer && answer.intent === intent && (answer.target ?? "") === target ? answer : undefined;
}
