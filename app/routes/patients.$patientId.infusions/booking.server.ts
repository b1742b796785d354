import { scheduleSchema } from "~/modules/infusions/forms.server";
import { scheduleCourse } from "~/modules/infusions/infusions.server";
import { done, warningsOf, withForm, type InfusionChange } from "./change.server";

/** Books a course (or booster visits) on the dates typed. */
export const schedule = (change: InfusionChange) =>
  withForm(change, "schedule", scheduleSchema, async (form) => {
    const { context, audit, patientId, now } = change;
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
  });
