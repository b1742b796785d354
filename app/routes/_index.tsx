import type { LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData, useLocation } from "@remix-run/react";
import { isOutsideProvider } from "~/auth/actor";
import { auditContextOf, requireActor } from "~/auth/session.server";
import { EmptyState, PageHeader, Pagination } from "~/components/ui";
import { pageParam } from "~/lib/params";
import { clinicToday, formatDate } from "~/lib/time";
import { listPatients } from "~/modules/patients/roster.server";
import { countOpenInvitations } from "~/modules/users/invitations.server";

export async function loader({ request, context }: LoaderFunctionArgs) {
  const actor = await requireActor(request, context);
  const page = pageParam(request);
  const provider = isOutsideProvider(actor.role);
  const [patients, openInvitations] = await Promise.all([
    listPatients(context.db, actor, auditContextOf(context, actor), { page, today: clinicToday(context.now()) }),
    provider ? Promise.resolve(null) : countOpenInvitations(context.db, context.now()),
  ]);
  return { name: actor.name, provider, role: actor.role, page, ...patients, openInvitations };
}

export default function Home() {
  const { name, provider, rows, hasNext, page, openInvitations, role } = useLoaderData<typeof loader>();
  const location = useLocation();
  return (
    <>
      <PageHeader
        title={provider ? "My patients" : "Patients"}
        description={
          provider
            ? `Welcome, ${name}. These are the Ember patients whose care team you are on and whose release of information is current.`
            : `Welcome, ${name}. Every Ember patient, with their preferred clinic.`
        }
      />
      {openInvitations !== null && (role === "coordinator" || role === "admin") ? (
        <div className="grid">
          <div className="card">
            <h2>Pending invitations</h2>
            <p className="stat">{openInvitations}</p>
            <p>
              <Link to="/invitations">See and manage invitations</Link>
            </p>
          </div>
        </div>
      ) : null}
      {rows.length === 0 ? (
        <EmptyState title={provider ? "No patients shared with you yet" : "No patients yet"}>
          {provider ? (
            <p>
              A patient appears here once an Ember care coordinator adds you to their care team and records the patient&apos;s release of
              information. If you expected a patient, contact the Ember care coordination team.
            </p>
          ) : (
            <p>Patients appear here once a care coordinator creates their record.</p>
          )}
        </EmptyState>
      ) : (
        <div className="table-wrap">
          <table>
            <caption className="visually-hidden">{provider ? "My patients" : "All patients"}</caption>
            <thead>
              <tr>
                <th scope="col">Patient</th>
                <th scope="col">Record number</th>
                <th scope="col">Date of birth</th>
                <th scope="col">Preferred clinic</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((p) => (
                <tr key={p.id}>
                  <td>
                    {p.last_name}, {p.first_name}
                  </td>
                  <td>{p.record_number}</td>
                  <td>{formatDate(p.date_of_birth)}</td>
                  <td>{p.location_name}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <Pagination page={page} hasNext={hasNext} search={location.search} label="Patient pages" />
    </>
  );
}
