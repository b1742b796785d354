import type { SubmissionResult } from "@conform-to/react";
import type { InfusionAnswer } from "./actions.server";

/** The action's answer when it belongs to the form named `intent` (on the row `target`), for that form's Conform state. */
export function resultFor(answer: InfusionAnswer, intent: string, target = ""): SubmissionResult<string[]> | undefined {
  return answer?.intent === intent && answer.target === target
    ? (answer.result as SubmissionResult<string[]>)
    : undefined;
}
