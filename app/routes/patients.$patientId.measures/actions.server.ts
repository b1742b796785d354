import { data, type AppLoadContext } from "@remix-run/node";
import type { Actor } from "~/auth/actor";
import type { AuditContext } from "~/audit/audit.server";
import { redirectWithFlash } from "~/lib/flash.server";
import { parseSubmission } from "~/lib/forms.server";
import { acknowledgeSafetyAlert } from "~/modules/measures/alerts.server";
import { recordMeasure } from "~/modules/measures/measures.server";
import { acknowledgeAlertSchema, measureSchema } from "~/modules/measures/forms.server";
import { INSTRUMENTS, type Instrument } from "~/modules/measures/scoring";

/** What every change on the measures page starts from: who records, for which patient, with which form. */
export interface MeasureChange {
  context: AppLoadContext;
  formData: FormData;
  actor: Actor;
  audit: AuditContext;
  patientId: string;
  today: string;
  now: Date;
}

/** A form's answer, tagged with the form (and the alert) it belongs to. */
export type MeasureAnswer = { intent: string; target: string; result: unknown } | undefined;

/** The form shown again: 400 when refused, 200 when the browser only asked for a field to be checked. */
function showAgain(intent: string, target: string, submission: ReturnType<typeof parseSubmission>) {
  return data({ intent, target, result: submission.reply() }, { status: submission.status === undefined ? 200 : 400 });
}

async function acknowledge({ context, formData, actor, audit, patientId, now }: MeasureChange) {
  const target = String(formData.get("alertId") ?? "");
  const submission = parseSubmission(formData, acknowledgeAlertSchema);
  if (submission.status !== "success") return showAgain("acknowledge", target, submission);
  const acknowledged = await acknowledgeSafetyAlert(context.db, actor, audit, { patientId, ...submission.value, now });
  if (acknowledged !== true) {
    const message =
      acknowledged === "new signal"
        ? "Another PHQ-9 with item 9 above 0 joined this alert since the page was loaded: read it, then acknowledge again."
        : "That alert was already acknowledged.";
    return data(
      { intent: "acknowledge", target, result: submission.reply({ formErrors: [message] }) },
      { status: 409 },
    );
  }
  return redirectWithFlash(context, `/patients/${patientId}/measures`, {
    kind: "success",
    message: "Safety alert acknowledged; it no longer shows on dashboards.",
  });
}

async function record(change: MeasureChange, intent: string) {
  const { context, formData, actor, audit, patientId, today, now } = change;
  // Only the PHQ9 and PCL5 intents lead here.
  const instrument = intent as Instrument;
  const submission = parseSubmission(formData, measureSchema(instrument, today));
  if (submission.status !== "success") return showAgain(instrument, "", submission);
  const result = await recordMeasure(context.db, actor, audit, {
    patientId,
    instrument: instrument,
    ...submission.value,
    now,
    appUrl: context.config.appUrl,
  });
  const alert = result.safetyAlert;
  if (alert && !alert.joined) context.wakeMailer();
  const message = alert?.joined
    ? `PHQ-9 recorded. Item 9 is above 0 again: it joins the safety alert still open (${alert.signals} signals); no one is emailed again.`
    : alert
      ? "PHQ-9 recorded. Item 9 is above 0: an urgent safety alert went to the clinicians, coordinators and care team."
      : `${INSTRUMENTS[instrument].label} recorded.${result.boosterReview ? " The scores show lost response or a meaningful worsening: a booster review is now due." : ""}`;
  return redirectWithFlash(context, `/patients/${patientId}/measures`, {
    kind: alert ? "error" : "success",
    message,
  });
}

/** A clinician acknowledges a safety alert; a recorder saves a PHQ-9 or a PCL-5, one form each. */
export const MEASURE_INTENTS = { acknowledge, PHQ9: record, PCL5: record };
