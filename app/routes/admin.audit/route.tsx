import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, useLoaderData, useLocation } from "@remix-run/react";
import { auditContextOf, requireActor } from "~/auth/session.server";
import { DataTable } from "~/components/data-table";
import { Badge, EmptyState, PageHeader, Pagination } from "~/components/ui";
import { pageParam } from "~/lib/params";
import { clinicToday, formatDateTime } from "~/lib/time";
import { auditedPatient, auditFilterSchema, browseAudit } from "~/modules/audit-log/browse.server";
import { rosterSearchSchema } from "~/modules/patients/forms.server";
import { listPatients } from "~/modules/patients/roster.server";
import { PatientFilter } from "./patient-filter";

export const meta: MetaFunction = () => [{ title: "Audit log · Ember Health Provider Portal" }];

const PAGE_SIZE = 50;

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireActor(request, context, ["admin"]);
  const url = new URL(request.url);
  const filter = auditFilterSchema.parse(Object.fromEntries([...url.searchParams].filter(([, v]) => v !== "")));
  const page = pageParam(request);
  const [result, patient] = await Promise.all([
    browseAudit(context.db, filter, { page, pageSize: PAGE_SIZE }),
    filter.patientId ? auditedPatient(context.db, filter.patientId) : null,
  ]);
  return { ...result, page, filter, patient };
}

/** Finds the patient whose access history the administrator wants, by name or record number. */
export async function action({ request, context }: ActionFunctionArgs) {
  const actor = await requireActor(request, context, ["admin"]);
  const formData = await request.formData();
  const parsed = rosterSearchSchema.safeParse({ q: formData.get("q") ?? "", page: 1 });
  if (!parsed.success)
    return data(
      { q: String(formData.get("q") ?? "").slice(0, 100), error: parsed.error.issues[0]!.message, rows: [] },
      { status: 400 },
    );
  const now = context.now();
  const { rows } = await listPatients(context.db, actor, auditContextOf(context, actor), {
    page: 1,
    query: parsed.data.q,
    today: clinicToday(now),
    now,
  });
  return { q: parsed.data.q, error: null, rows };
}

const OUTCOME_TONE = { success: "good", failure: "warn", denied: "bad" } as const;

export default function AuditLog() {
  const { rows, hasNext, page, filter, patient } = useLoaderData<typeof loader>();
  const location = useLocation();
  return (
    <>
      <PageHeader
        title="Audit log"
        description="Every sign-in, change and view of patient data, newest first. Times and dates in New York; stored in UTC."
        actions={
          <a className="button button-secondary" href={`/admin/audit.csv${location.search}`} download>
            Export this range as CSV
          </a>
        }
      />
      <PatientFilter patient={patient} search={location.search} />
      <Form method="get" className="filters" aria-label="Filter the audit log">
        {filter.patientId ? <input type="hidden" name="patientId" value={filter.patientId} /> : null}
        <div className="field">
          <label htmlFor="f-action">Action starts with</label>
          <input id="f-action" name="action" defaultValue={filter.action} placeholder="patient." />
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
          <label htmlFor="f-from">From (New York date)</label>
          <input id="f-from" name="from" type="date" defaultValue={filter.from} />
        </div>
        <div className="field">
          <label htmlFor="f-to">To (New York date, included)</label>
          <input id="f-to" name="to" type="date" defaultValue={filter.to} />
        </div>
        <button type="submit" className="button button-secondary">
          Filter
        </button>
      </Form>
      <DataTable
        caption={patient ? `Audit events for ${patient.record_number}` : "Audit events"}
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
          {
            header: "Patient",
            cell: (r) =>
              r.patient_id && r.patient_record_number
                ? `${r.patient_last_name}, ${r.patient_first_name} (${r.patient_record_number})`
                : (r.patient_id ?? "—"),
          },
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
