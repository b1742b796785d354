import { Link, useActionData, useLocation } from "@remix-run/react";
import type { ReactNode } from "react";
import { DataTable } from "~/components/data-table";
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
  empty,
}: {
  rows: RosterRow[];
  caption: string;
  unread: Record<string, number>;
  empty: ReactNode;
}) {
  return (
    <DataTable
      caption={caption}
      rows={rows}
      rowKey={(p) => p.id}
      empty={empty}
      columns={[
        {
          header: "Patient",
          cell: (p) => (
            <Link to={`/patients/${p.id}`}>
              {p.last_name}, {p.first_name}
            </Link>
          ),
        },
        { header: "Record number", cell: (p) => p.record_number },
        { header: "Date of birth", cell: (p) => formatDate(p.date_of_birth) },
        { header: "Preferred clinic", cell: (p) => p.location_name },
        { header: "Engagement", cell: (p) => <EngagementBadge status={p.engagement} /> },
        { header: "Care notes", cell: (p) => <UnreadCell count={unread[p.id] ?? 0} patientId={p.id} /> },
      ]}
    />
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
          <PatientTable
            rows={search.rows}
            caption="Search results"
            unread={unread}
            empty={<p>No patient you can see matches. Check the spelling, or search by record number (EMB-…).</p>}
          />
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
      ) : (
        <>
          <PatientTable rows={rows} caption={caption} unread={unread} empty={empty} />
          {rows.length ? (
            <Pagination page={page} hasNext={hasNext} search={location.search} label="Patient pages" />
          ) : null}
        </>
      )}
    </>
  );
}
