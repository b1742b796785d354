import { decideBoosterReview } from "~/modules/infusions/boosters.server";
import { cancelVisit, rescheduleVisit } from "~/modules/infusions/infusions.server";
import { boosterDecisionSchema, cancelSchema, rescheduleSchema } from "~/modules/infusions/forms.server";
import { preview, schedule } from "./booking.server";
import { done, InfusionRefusal, warningsOf, withForm, type InfusionChange } from "./change.server";

export type { InfusionAnswer, InfusionChange } from "./change.server";

const reschedule = (change: InfusionChange) =>
  withForm(
    change,
    "reschedule",
    rescheduleSchema,
    async (form) => {
      const { context, audit, patientId, now } = change;
      const result = await rescheduleVisit(context.db, audit, {
        patientId,
        ...form,
        now,
        appUrl: context.config.appUrl,
      });
      context.wakeMailer();
      const outside = result.sessionsNowOutside
        ? ` ${result.sessionsNowOutside} planned session(s) now fall outside the window.`
        : "";
      const warnings = warningsOf(result.warnings);
      return done(
        change,
        `Visit moved; its therapy window moved with it and the care team was notified.${outside}${warnings}`,
        warnings ? "info" : "success",
      );
    },
    "visitId",
  );

const cancel = (change: InfusionChange) =>
  withForm(
    change,
    "cancel",
    cancelSchema,
    async (form) => {
      const { context, audit, patientId, now } = change;
      const ok = await cancelVisit(context.db, audit, { patientId, ...form, now, appUrl: context.config.appUrl });
      if (!ok) throw new InfusionRefusal("Only a scheduled visit can be cancelled.");
      context.wakeMailer();
      return done(change, "Visit cancelled; the care team was notified.");
    },
    "visitId",
  );

const boosterDecision = (change: InfusionChange) =>
  withForm(
    change,
    "booster-decision",
    boosterDecisionSchema,
    async (form) => {
      const { context, audit, actor, patientId, now } = change;
      const ok = await decideBoosterReview(context.db, audit, { patientId, ...form, clinicianId: actor.id, now });
      if (!ok) throw new InfusionRefusal("That review was already decided.");
      return done(change, "Booster decision recorded.");
    },
    "reviewId",
  );

/** Ember's clinicians run the visits; an outside provider plans and records their own therapy sessions. */
export const CLINICIAN_INTENTS = {
  preview,
  schedule,
  reschedule,
  cancel,
  "booster-decision": boosterDecision,
};
export { PROVIDER_INTENTS } from "./session-actions.server";
