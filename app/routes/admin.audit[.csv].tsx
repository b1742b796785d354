import type { LoaderFunctionArgs } from "@remix-run/node";
import { auditContextOf, requireActor } from "~/auth/session.server";
import { csvResponse } from "~/lib/csv";
import { recordAudit } from "~/audit/audit.server";
import { auditFilterSchema, browseAudit } from "~/modules/audit-log/browse.server";

const EXPORT_LIMIT = 100_000;

/** The filtered audit range as CSV, for compliance review; the export itself is audited. */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const actor = await requireActor(request, context, ["admin"]);
  const url = new URL(request.url);
  const filter = auditFilterSchema.parse(Object.fromEntries([...url.searchParams].filter(([, v]) => v !== "")));
  const { rows } = await browseAudit(context.db, filter, { page: 1, pageSize: EXPORT_LIMIT });
  await recordAudit(context.db, auditContextOf(context, actor), {
    action: "audit.export",
    entityType: "audit_events",
    detail: { rows: rows.length, filter },
  });
  return csvResponse(
    "ember-audit.csv",
    [
      "id",
      "at_utc",
      "actor_id",
      "actor_email",
      "actor_role",
      "action",
      "outcome",
      "entity_type",
      "entity_id",
      "patient_id",
      "ip",
      "request_id",
      "detail",
    ],
    rows.map((r) => [
      r.id,
      r.at,
      r.actor_id,
      r.actor_email,
      r.actor_role,
      r.action,
      r.outcome,
      r.entity_type,
      r.entity_id,
      r.patient_id,
      r.ip,
      r.request_id,
      r.detail,
    ]),
  );
}
