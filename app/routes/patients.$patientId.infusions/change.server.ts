import { data, type AppLoadContext } from "@remix-run/node";
import type { z } from "zod";
import type { Actor } from "~/auth/actor";
import type { AuditContext } from "~/audit/audit.server";
import { redirectWithFlash } from "~/lib/flash.server";
import { parseSubmission } from "~/lib/forms.server";
import { ScheduleError } from "~/modules/infusions/infusions.server";
import type { CoursePreview } from "~/modules/infusions/preview.server";

/** What every change on the infusions page starts from: who asks, about which patient, with which form. */
export interface InfusionChange {
  context: AppLoadContext;
  formData: FormData;
  actor: Actor;
  audit: AuditContext;
  patientId: string;
  now: Date;
}

/** A course preview as the page shows it: what was proposed, with what the booking form carries along. */
export interface ShownPreview extends CoursePreview {
  /** Why the preview is shown again instead of a booking, if it is. */
  notice: string | null;
  /** The booking settings and pattern fields as previewed, carried by the booking form. */
  carried: Record<string, string | string[]>;
}

/** A form's answer, tagged with the form (and the visit, session or review it acts on) it belongs to. */
export type InfusionAnswer = { intent: string; target: string; result: unknown; preview?: ShownPreview } | undefined;

export const warningsOf = (warnings: string[]) => (warnings.length ? ` Please check: ${warnings.join(" ")}` : "");

/** What a change ends in: the page again with a flash, or a refusal shown on the form that asked. */
export type Outcome = Response | { refused: string };

export async function done(
  { context, patientId }: InfusionChange,
  message: string,
  kind: "success" | "info" = "success",
) {
  return redirectWithFlash(context, `/patients/${patientId}/infusions`, { kind, message });
}

/**
 * Runs a form through its schema; a refusal (the module's or a conflict's) comes back on that form.
 * `targetField` names the hidden field holding the row the form acts on, for a page of many rows.
 */
export async function withForm<S extends z.ZodType>(
  change: InfusionChange,
  intent: string,
  schema: S,
  run: (value: z.output<S>) => Promise<Outcome>,
  targetField?: string,
) {
  const target = targetField ? String(change.formData.get(targetField) ?? "") : "";
  const answer = (result: unknown, status: number) => data({ intent, target, result }, { status });
  const submission = parseSubmission(change.formData, schema);
  if (submission.status !== "success") return answer(submission.reply(), submission.status === undefined ? 200 : 400);
  try {
    const outcome = await run(submission.value);
    return outcome instanceof Response ? outcome : answer(submission.reply({ formErrors: [outcome.refused] }), 409);
  } catch (error) {
    if (error instanceof ScheduleError)
      return answer(submission.reply({ formErrors: [error.problems.join(" ")] }), 409);
    throw error;
  }
}
