import type { AppLoadContext } from "@remix-run/node";
import type { z } from "zod";
import type { Actor } from "~/auth/actor";
import type { AuditContext } from "~/audit/audit.server";
import { redirectWithFlash } from "~/lib/flash.server";
import type { FormAnswer } from "~/lib/form-answer";
import { answerForm } from "~/lib/forms.server";
import { ScheduleError } from "~/modules/infusions/infusions.server";
import type { CoursePreview } from "~/modules/infusions/preview.server";
import { SessionRefusal } from "~/modules/infusions/sessions.server";

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

/** A form's answer, tagged with the form (and the visit, session or review it acts on); a preview carries its proposal. */
export type InfusionAnswer = (FormAnswer & { preview?: ShownPreview }) | undefined;

export const warningsOf = (warnings: string[]) => (warnings.length ? ` Please check: ${warnings.join(" ")}` : "");

/** A change refused for a reason the clinician or provider can act on: shown as that form's message. */
export class InfusionRefusal extends Error {}

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
export const withForm = <S extends z.ZodType>(
  change: InfusionChange,
  intent: string,
  schema: S,
  run: (value: z.output<S>) => Promise<Response>,
  targetField?: string,
) =>
  answerForm(
    change.formData,
    {
      intent,
      target: targetField ? change.formData.get(targetField)?.toString() || undefined : undefined,
      schema,
      refusals: [ScheduleError, InfusionRefusal, SessionRefusal],
    },
    run,
  );
