import type { SubmissionResult } from "@conform-to/react";
import type { AppLoadContext } from "@remix-run/node";
import type { Actor } from "~/auth/actor";
import type { AuditContext } from "~/audit/audit.server";
import { redirectWithFlash } from "~/lib/flash.server";
import { parseSubmission } from "~/lib/forms.server";
import { refuseSubmission } from "~/lib/intents.server";
import { offerReferral } from "~/modules/referrals/offers.server";
import { cancelReferral, closeReferral } from "~/modules/referrals/referrals.server";
import { cancelReferralSchema, offerSchema } from "~/modules/referrals/forms.server";

// A refusal of the whole request shows at the top of the page; the cancel form's field messages show in it.
export const refuse = (
  formData: FormData,
  refusal: { formError?: string; result?: SubmissionResult },
  status?: number,
) => refuseSubmission(formData, String(formData.get("target") ?? ""), refusal, status);

export interface ReferralChange {
  context: AppLoadContext;
  formData: FormData;
  actor: Actor;
  audit: AuditContext;
  referralId: string;
  now: Date;
}

const done = async ({ context, referralId }: ReferralChange, message: string) =>
  redirectWithFlash(context, `/referrals/${referralId}`, { kind: "success", message });

export const REFERRAL_INTENTS = {
  async offer(change: ReferralChange) {
    const { context, formData, actor, audit, referralId, now } = change;
    const submission = parseSubmission(formData, offerSchema);
    if (submission.status !== "success") return refuse(formData, { result: submission.reply() });
    await offerReferral(context.db, actor, audit, {
      referralId,
      providerId: submission.value.providerId,
      allowSeveral: submission.value.allowSeveral === "yes",
      now,
      appUrl: context.config.appUrl,
    });
    context.wakeMailer();
    return done(change, "Offer sent. The provider sees a de-identified summary and has 72 hours to answer.");
  },
  async cancel(change: ReferralChange) {
    const { context, formData, actor, audit, referralId, now } = change;
    const submission = parseSubmission(formData, cancelReferralSchema);
    if (submission.status !== "success")
      return refuse(formData, { result: submission.reply() }, submission.status ? 400 : 200);
    await cancelReferral(context.db, actor, audit, { referralId, reason: submission.value.reason, now });
    return done(change, "Referral cancelled.");
  },
  async close(change: ReferralChange) {
    const { context, actor, audit, referralId, now } = change;
    await closeReferral(context.db, actor, audit, { referralId, now });
    return done(change, "Referral closed: the loop is complete.");
  },
};
