import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Link, useActionData, useLoaderData, useLocation } from "@remix-run/react";
import { auditContextOf, requireActor } from "~/auth/session.server";
import { Form, SubmitButton, TextField } from "~/components/form";
import { EngagementBadge } from "~/components/patient";
import { Alert, Badge, EmptyState, PageHeader, Pagination } from "~/components/ui";
import { pageParam } from "~/lib/params";
import { clinicToday, formatDate } from "~/lib/time";
import { rosterSearchSchema } from "~/modules/patients/forms.server";
import { listPatients, type RosterRow } from "~/modules/patients/roster.server";
import { openSafetyAlerts } from "~/modules/measures/measures.server";
import { openSafetyConcerns, reviewQueue, unreadByPatient } from "~/modules/notes/notes.server";
import { workListCounts } from "~/modules/work-list/work-list.server";
import { When } from "~/components/time";
import { countOpenInvitations } from "~/modules/users/invitations.server";
import { isOutsideProvider } from "~/lib/roles";

export async function loader({ request, context }: LoaderFunctionArgs) {
  const actor = await requireActor(request, context);
  const page = pageParam(request);
  const provider = isOutsideProvider(actor.role);
  const now = context.now();
  const coordinating = actor.role === "coordinator" || actor.role === "admin";
  const today = clinicToday(now);
  const [patients, openInvitations, workList, safety, unread, reviews, alerts] = await Promise.all([
    listPatients(context.db, actor, auditContextOf(context, actor), { page, today, now }),
    coordinating ? countOpenInvitations(context.db, now) : null,
    actor.role === "coordinator" ? workListCounts(context.db, now) : null,
    openSafetyConcerns(context.db, actor, today),
    unreadByPatient(context.db, actor, today),
    reviewQueue(context.db, actor, today),
    openSafetyAlerts(context.db, actor, today),
  ]);
  return {
    name: actor.name,
    provider,
    role: actor.role,
    page,
    ...patients,
    openInvitations,
    workList,
    safety,
    alerts,
    unread: Object.fromEntries(unread),
    unreadTotal: [...unread.values()].reduce((a, b) => a + b, 0),
    reviewCount: reviews.length,
  };
}

// Search is a POST so that a patient's name never sits in a URL, a browser history or a server log.
export async function action({ request, context }: ActionFunctionArgs) {
  const actor = await requireActor(request, context);
  const formData = await request.formData();
  const parsed = rosterSearchSchema.safeParse({ q: formData.get("q") ?? "", page: formData.get("page") ?? 1 });
  if (!parsed.success) {
    return data(
      {
        q: String(formData.get("q") ?? "").slice(0, 100),
        error: parsed.error.issues[0]!.message,
        rows: [] as RosterRow[],
        hasNext: false,
        page: 1,
      },
      { status: 400 },
    );
  }
  const now = context.now();
  const result = await listPatients(context.db, actor, auditContextOf(context, actor), {
    page: parsed.data.page,
    query: parsed.data.q,
    today: clinicToday(now),
    now,
  });
  return { q: parsed.data.q, error: null, page: parsed.data.page, ...result };
}

function UnreadCell({ count, patientId }: { count: number; patientId: string }) {
  if (!count) return <span className="muted">—</span>;
  return (
    <Link to={`/patients/${patientId}/notes`}>
      {count} unread<span className="visually-hidden"> care notes</span>
    </Link>
  );
}

function PatientTable({
  rows,
  caption,
  unread,
}: {
  rows: RosterRow[];
  caption: string;
  unread: Record<string, number>;
}) {
  return (
    <div className="table-wrap">
      <table>
        <caption className="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            <th scope="col">Patient</th>
            <th scope="col">Record number</th>
            <th scope="col">Date of birth</th>
            <th scope="col">Preferred clinic</th>
            <th scope="col">Engagement</th>
            <th scope="col">Care notes</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((p) => (
            <tr key={p.id}>
              <td>
                <Link to={`/patients/${p.id}`}>
                  {p.last_name}, {p.first_name}
                </Link>
              </td>
              <td>{p.record_number}</td>
              <td>{formatDate(p.date_of_birth)}</td>
              <td>{p.location_name}</td>
              <td>
                <EngagementBadge status={p.engagement} />
              </td>
              <td>
                <UnreadCell count={unread[p.id] ?? 0} patientId={p.id} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export default function Home() {
  const {
    name,
    provider,
    rows,
    hasNext,
    page,
    openInvitations,
    role,
    workList,
    safety,
    alerts,
    unread,
    unreadTotal,
    reviewCount,
  } = useLoaderData<typeof loader>();
  const search = useActionData<typeof action>();
  const location = useLocation();
  return (
    <>
      <PageHeader
        title={provider ? "My patients" : "Patients"}
        description={
          provider
            ? `Welcome, ${name}. These are the Ember patients whose care team you are on and whose release of information is current.`
            : `Welcome, ${name}. Every Ember patient, with their preferred clinic and engagement.`
        }
        actions={
          role === "coordinator" ? (
            <Link to="/patients/new" className="button">
              New patient
            </Link>
          ) : null
        }
      />
      {alerts.length ? (
        <section aria-labelledby="alerts-title">
          <h2 id="alerts-title" className="visually-hidden">
            Unacknowledged safety alerts
          </h2>
          {alerts.map((a) => (
            <Alert key={a.id} kind="error">
              <strong>Urgent safety alert</strong> {a.escalated_at ? <Badge tone="bad">escalated</Badge> : null} for{" "}
              <Link to={`/patients/${a.patient_id}/measures`}>
                {a.last_name}, {a.first_name}
              </Link>
              : a PHQ-9 recorded <When at={a.raised_at} /> has item 9 above 0.{" "}
              {role === "clinician"
                ? "Acknowledge it with the action taken."
                : "Waiting for an Ember clinician to acknowledge it."}
            </Alert>
          ))}
        </section>
      ) : null}
      {safety.length ? (
        <section aria-labelledby="safety-title">
          <h2 id="safety-title" className="visually-hidden">
            Unacknowledged safety concerns
          </h2>
          {safety.map((c) => (
            <Alert key={c.id} kind="error">
              <strong>Safety concern</strong> {c.escalated_at ? <Badge tone="bad">escalated</Badge> : null} for{" "}
              <Link to={`/patients/${c.patient_id}/notes`}>
                {c.last_name}, {c.first_name}
              </Link>{" "}
              posted by {c.author_name}, <When at={c.created_at} />.{" "}
              {role === "clinician"
                ? "Acknowledge it with your response."
                : "Waiting for an Ember clinician to acknowledge it."}
            </Alert>
          ))}
        </section>
      ) : null}
      {unreadTotal || reviewCount ? (
        <p className="alert alert-info" role="status">
          {unreadTotal ? `${unreadTotal} unread care note${unreadTotal === 1 ? "" : "s"} across your patients.` : ""}{" "}
          {reviewCount ? (
            <Link to="/reviews">
              {reviewCount} note{reviewCount === 1 ? "" : "s"} waiting for your review
            </Link>
          ) : null}
        </p>
      ) : null}
      {workList || openInvitations !== null ? (
        <div className="grid">
          {workList ? (
            <div className="card">
              <h2>Work list</h2>
              <p>
                <span className="stat">
                  {workList.unengaged +
                    workList.confirmations +
                    workList.releases +
                    workList.invitations +
                    workList.lapsedWithVisits +
                    workList.gateOverrides}
                </span>{" "}
                open items
              </p>
              <p className="muted">
                {workList.unengaged} without an engaged provider · {workList.confirmations} confirmations expiring ·{" "}
                {workList.releases} releases expiring · {workList.invitations} invitations unanswered ·{" "}
                {workList.lapsedWithVisits} lapsed with visits booked · {workList.gateOverrides} held past the gate
              </p>
              <p>
                <Link to="/work-list">Open the work list</Link>
              </p>
            </div>
          ) : null}
          {openInvitations !== null ? (
            <div className="card">
              <h2>Pending invitations</h2>
              <p className="stat">{openInvitations}</p>
              <p>
                <Link to="/invitations">See and manage invitations</Link>
              </p>
            </div>
          ) : null}
        </div>
      ) : null}

      <Form method="post" className="search-form" aria-label="Search patients">
        <TextField
          label="Search by name or record number"
          name="q"
          type="search"
          defaultValue={search?.q}
          errors={search?.error ? [search.error] : undefined}
        />
        <input type="hidden" name="page" value="1" />
        <SubmitButton className="button button-secondary">Search</SubmitButton>
      </Form>

      {search && !search.error ? (
        <section aria-labelledby="results-title">
          <h2 id="results-title">
            Results for “{search.q}”{" "}
            <Link to="." reloadDocument className="muted">
              (clear)
            </Link>
          </h2>
          {search.rows.length === 0 ? (
            <p>No patient you can see matches. Check the spelling, or search by record number (EMB-…).</p>
          ) : (
            <PatientTable rows={search.rows} caption="Search results" unread={unread} />
          )}
          {search.page > 1 || search.hasNext ? (
            <Form method="post" className="pagination" aria-label="Search result pages">
              <input type="hidden" name="q" value={search.q} />
              {search.page > 1 ? (
                <button type="submit" name="page" value={search.page - 1} className="button-link">
                  ← Previous
                </button>
              ) : (
                <span />
              )}
              <span>Page {search.page}</span>
              {search.hasNext ? (
                <button type="submit" name="page" value={search.page + 1} className="button-link">
                  Next →
                </button>
              ) : (
                <span />
              )}
            </Form>
          ) : null}
        </section>
      ) : rows.length === 0 ? (
        <EmptyState title={provider ? "No patients shared with you yet" : "No patients yet"}>
          {provider ? (
            <p>
              A patient appears here once an Ember care coordinator adds you to their care team and records the
              patient&apos;s release of information. If you expected a patient, contact the Ember care coordination
              team.
            </p>
          ) : role === "coordinator" ? (
            <p>
              <Link to="/patients/new">Create the first patient record</Link>.
            </p>
          ) : (
            <p>Patients appear here once a care coordinator creates their record.</p>
          )}
        </EmptyState>
      ) : (
        <>
          <PatientTable rows={rows} caption={provider ? "My patients" : "All patients"} unread={unread} />
          <Pagination page={page} hasNext={hasNext} search={location.search} label="Patient pages" />
        </>
      )}
    </>
  );
}
