import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useLoaderData, useLocation } from "@remix-run/react";
import { requireActor } from "~/auth/session.server";
import { DataTable } from "~/components/data-table";
import { Badge, EmptyState, PageHeader, Pagination } from "~/components/ui";
import { pageParam } from "~/lib/params";
import { formatDateTime } from "~/lib/time";
import { auditFilterSchema, browseAudit } from "~/modules/audit-log/browse.server";

export const meta: MetaFunction = () => [{ title: "Audit log · Ember Health Provider Portal" }];

const PAGE_SIZE = 50;

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireActor(request, context, ["admin"]);
  const url = new URL(request.url);
  const filter = auditFilterSchema.parse(Object.fromEntries([...url.searchParams].filter(([, v]) => v !== "")));
  const page = pageParam(request);
  const result = await browseAudit(context.db, filter, { page, pageSize: PAGE_SIZE });
  return { ...result, page, filter };
}

const OUTCOME_TONE = { success: "good", failure: "warn", denied: "bad" } as const;

export default function AuditLog() {
  const { rows, hasNext, page, filter } = useLoaderData<typeof loader>();
  const location = useLocation();
  return (
    <>
      <PageHeader
        title="Audit log"
        description="Every sign-in, change and view of patient data, newest first. Times in New York; stored in UTC."
        actions={
          <a className="button button-secondary" href={`/admin/audit.csv${location.search}`} download>
            Export this range as CSV
          </a>
        }
      />
      <Form method="get" className="filters" aria-label="Filter the audit log">
        <div className="field">
          <label htmlFor="f-action">Action starts with</label>
          <input id="f-action" name="action" defaultValue={filter.action} placeholder="auth." />
        </div>
        <div className="field">
          <label htmlFor="f-outcome">Outcome</label>
          <select id="f-outcome" name="outcome" defaultValue={filter.outcome ?? ""}>
            <option value="">Any</option>
            <option value="success">Success</option>
            <option value="failure">Failure</option>
            <option value="denied">Denied</option>
          </select>
        </div>
        <div className="field">
          <label htmlFor="f-actor">Actor email</label>
          <input id="f-actor" name="actorEmail" type="email" defaultValue={filter.actorEmail} />
        </div>
        <div className="field">
          <label htmlFor="f-from">From (UTC date)</label>
          <input id="f-from" name="from" type="date" defaultValue={filter.from} />
        </div>
        <div className="field">
          <label htmlFor="f-to">To (UTC date)</label>
          <input id="f-to" name="to" type="date" defaultValue={filter.to} />
        </div>
        <button type="submit" className="button button-secondary">
          Filter
        </button>
      </Form>
      <DataTable
        caption="Audit events"
        rows={rows}
        rowKey={(r) => r.id}
        empty={
          <EmptyState title="No audit events match">
            <p>Widen the date range or clear a filter.</p>
          </EmptyState>
        }
        columns={[
          { header: "When", cell: (r) => formatDateTime(r.at) },
          {
            header: "Actor",
            cell: (r) =>
              r.actor_email ? `${r.actor_name} (${r.actor_role})` : <span className="muted">anonymous</span>,
          },
          { header: "Action", cell: (r) => <code>{r.action}</code> },
          { header: "Outcome", cell: (r) => <Badge tone={OUTCOME_TONE[r.outcome]}>{r.outcome}</Badge> },
          { header: "Entity", cell: (r) => (r.entity_type ? `${r.entity_type} ${r.entity_id ?? ""}` : "—") },
          { header: "Patient id", cell: (r) => r.patient_id ?? "—" },
          {
            header: "Address · request",
            cell: (r) => (
              <>
                {r.ip ?? "—"}
                <br />
                <small className="muted">{r.request_id}</small>
              </>
            ),
          },
        ]}
      />
      <Pagination page={page} hasNext={hasNext} search={location.search} label="Audit log pages" />
    </>
  );
}
