import type { LoaderFunctionArgs } from "@remix-run/node";
import { auditContextOf, requireActor } from "~/auth/session.server";
import { csvResponse } from "~/lib/csv";
import { recordAudit } from "~/audit/audit.server";
import { referralsForExport } from "~/modules/referrals/pipeline.server";

/** Every referral as CSV; the audit row names each referral exported, so each patient in it can be traced. */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const actor = await requireActor(request, context, ["coordinator", "admin"]);
  const rows = await referralsForExport(context.db);
  await recordAudit(context.db, auditContextOf(context, actor), {
    action: "referral.export",
    entityType: "referral",
    detail: { rows: rows.length, referralIds: rows.map((r) => r.id) },
  });
  return csvResponse(
    "ember-referrals.csv",
    [
      "referral_id",
      "record_number",
      "status",
      "modality",
      "setting",
      "borough",
      "insurance",
      "language",
      "urgency",
      "opened_at_utc",
      "status_since_utc",
      "accepted_provider",
    ],
    rows.map((r) => [
      r.id,
      r.record_number,
      r.status,
      r.modality,
      r.setting,
      r.borough,
      r.insurance,
      r.language,
      r.urgency,
      r.created_at,
      r.status_changed_at,
      r.provider_name,
    ]),
  );
}
