import type { SubmissionResult } from "@conform-to/react";

/** What an action answers for one of a page's several forms: the form (`intent`, and the row it is on) and its reply. */
export interface FormAnswer {
  intent: string;
  target?: string;
  result: SubmissionResult<string[]>;
}

/** The action's answer when it belongs to the form named `intent` (on row `target`), for that form's Conform state. */
export function resultFor(answer: FormAnswer | undefined, intent: string, target?: string) {
  return answer?.intent === intent && answer.target === target ? answer.result : undefined;
}

/** A button-only form's refusal (it has no fields to hold an error), or null. */
export function refusalFor(answer: FormAnswer | undefined, intent: string, target?: string): string | null {
  return resultFor(answer, intent, target)?.error?.[""]?.join(" ") ?? null;
}
