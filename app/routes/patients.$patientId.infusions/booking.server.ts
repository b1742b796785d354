import { data } from "@remix-run/node";
import { recordAudit } from "~/audit/audit.server";
import { parseSubmission } from "~/lib/forms.server";
import { previewSchema, scheduleSchema } from "~/modules/infusions/forms.server";
import { scheduleCourse, ScheduleError } from "~/modules/infusions/infusions.server";
import { previewCourse, type CourseProposal } from "~/modules/infusions/preview.server";
import { done, warningsOf, type InfusionChange, type ShownPreview } from "./change.server";

/** The pattern's fields, carried by the booking form so the page keeps them after each round trip. */
const CARRIED = ["locationId", "clinicianId", "kind", "repeat", "weekday", "everyDays", "firstDay", "time", "count"];

function carriedFields(payload: Record<string, unknown>) {
  const carried: Record<string, string | string[]> = {};
  for (const name of CARRIED) {
    const value = payload[name];
    if (typeof value === "string") carried[name] = value;
    else if (Array.isArray(value)) carried[name] = value.filter((v): v is string => typeof v === "string");
  }
  return carried;
}

/** The course proposal shown (again), with its conflicts read now. */
async function showPreview(
  change: InfusionChange,
  submission: ReturnType<typeof parseSubmission>,
  proposal: Omit<CourseProposal, "patientId" | "now">,
  notice: string | null,
  status = 200,
) {
  const { context, audit, patientId, now } = change;
  const shown: ShownPreview = {
    ...(await previewCourse(context.db, { ...proposal, patientId, now })),
    notice,
    carried: carriedFields(submission.payload),
  };
  // A preview writes nothing, but it shows this patient's schedule: audited as the read it is. A
  // refused booking shown again is answered as a refusal, which writes nothing.
  if (status === 200)
    await recordAudit(context.db, audit, {
      action: "infusion.preview",
      entityType: "patient",
      entityId: patientId,
      patientId,
      detail: { visits: shown.visits.length },
    });
  return data({ intent: "preview", result: submission.reply(), preview: shown }, { status });
}

/** Each proposed date and time with its therapy window and every conflict explained; nothing is written. */
async function previewFromForm(change: InfusionChange, notice: string | null, status: number) {
  const submission = parseSubmission(change.formData, previewSchema);
  if (submission.status !== "success")
    return data(
      { intent: "preview", result: submission.reply() },
      { status: submission.status === undefined ? 200 : 400 },
    );
  return showPreview(change, submission, submission.value, notice, status);
}

export const preview = (change: InfusionChange) => previewFromForm(change, null, 200);

const sameList = (a: string[], b: string[]) => a.length === b.length && a.every((v, i) => v === b[i]);

/**
 * Books exactly the dates previewed. Dates changed since the preview, or a conflict that arose
 * since (booking checks again inside its transaction), show the preview again instead.
 */
export async function schedule(change: InfusionChange) {
  const submission = parseSubmission(change.formData, scheduleSchema);
  if (submission.status !== "success")
    return previewFromForm(change, "Not booked: check the dates below, then book.", 400);
  const form = submission.value;
  const typed = change.formData
    .getAll("visit")
    .map((v) => String(v).trim())
    .filter(Boolean);
  const proposal = { locationId: form.locationId, clinicianId: form.clinicianId, kind: form.kind, visits: typed };
  if (!sameList(typed, form.previewed))
    return showPreview(
      change,
      submission,
      proposal,
      "Not booked yet: the dates changed since the preview. Check them below, then book.",
      409,
    );
  const { context, audit, patientId, now } = change;
  try {
    const result = await scheduleCourse(context.db, audit, {
      patientId,
      ...form,
      starts: form.visit,
      now,
      appUrl: context.config.appUrl,
    });
    context.wakeMailer();
    const count = form.visit.length;
    const base = `${count} visit${count === 1 ? "" : "s"} scheduled; the care team was notified.`;
    return done(change, `${base}${warningsOf(result.warnings)}`, result.warnings.length ? "info" : "success");
  } catch (error) {
    if (!(error instanceof ScheduleError)) throw error;
    return showPreview(
      change,
      submission,
      proposal,
      `Not booked: something changed since the preview. ${error.problems.join(" ")}`,
      409,
    );
  }
}
