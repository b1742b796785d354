import type { SubmissionResult } from "@conform-to/react";
import type { VisitAnswer } from "./route";

/** The action's answer when it belongs to the form named `intent`, for that form's Conform state. */
export function resultFor(answer: VisitAnswer, intent: string): SubmissionResult<string[]> | undefined {
  return answer?.intent === intent ? (answer.result as SubmissionResult<string[]>) : undefined;
}

/** A button-only form's refusal (it has no fields to hold an error), or null. */
export function refusalFor(answer: VisitAnswer, intent: string): string | null {
  return resultFor(answer, intent)?.error?.[""]?.join(" ") ?? null;
}
