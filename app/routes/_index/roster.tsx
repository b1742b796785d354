import { Link, useActionData, useLocation } from "@remix-run/react";
import type { ReactNode } from "react";
import { Form, SubmitButton, TextField } from "~/components/form";
import { EngagementBadge } from "~/components/patient";
import { Pagination } from "~/components/ui";
import { formatDate } from "~/lib/time";
import type { RosterRow } from "~/modules/patients/roster.server";
import type { action } from "./route";
import type { AnyHome } from "./types";

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

/**
 * The patients the reader may see, a page at a time, with a search by name or record number. The
 * search posts, so its results replace the list until cleared.
 */
export function PatientRoster({
  home,
  page,
  caption,
  empty,
}: {
  home: AnyHome;
  page: number;
  caption: string;
  empty: ReactNode;
}) {
  const search = useActionData<typeof action>();
  const location = useLocation();
  const { rows, hasNext, unread } = home;
  return (
    <>
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
        empty
      ) : (
        <>
          <PatientTable rows={rows} caption={caption} unread={unread} />
          <Pagination page={page} hasNext={hasNext} search={location.search} label="Patient pages" />
        </>
      )}
    </>
  );
}
