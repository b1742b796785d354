import type { LoaderFunctionArgs } from "@remix-run/node";
import { auditContextOf, requireActor } from "~/auth/session.server";
import { recordAudit } from "~/modules/audit/audit.server";
import { referralsForExport } from "~/modules/referrals/referrals.server";

/** RFC 4180 quoting; a leading =, +, - or @ is prefixed so a spreadsheet never runs a cell as a formula. */
export function csvCell(value: unknown): string {
  let text = value instanceof Date ? value.toISOString() : value === null || value === undefined ? "" : String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export async function loader({ request, context }: LoaderFunctionArgs) {
  const actor = await requireActor(request, context, ["coordinator", "admin"]);
  const rows = await referralsForExport(context.db);
  await recordAudit(context.db, auditContextOf(context, actor), { action: "referral.export", entityType: "referral", detail: { rows: rows.length } });
  const header = ["referral_id", "record_number", "status", "modality", "setting", "borough", "insurance", "language", "urgency", "opened_at_utc", "status_since_utc", "accepted_provider"];
  const lines = rows.map((r) => [r.id, r.record_number, r.status, r.modality, r.setting, r.borough, r.insurance, r.language, r.urgency, r.created_at, r.status_changed_at, r.provider_name].map(csvCell).join(","));
  return new Response([header.join(","), ...lines].join("\r\n") + "\r\n", {
    headers: { "Content-Type": "text/csv; charset=utf-8", "Content-Disposition": 'attachment; filename="ember-referrals.csv"', "Cache-Control": "no-store" },
  });
}
