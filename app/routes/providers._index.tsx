import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData, useLocation } from "@remix-run/react";
import { requireActor } from "~/auth/session.server";
import { Badge, EmptyState, PageHeader, Pagination } from "~/components/ui";
import { pageParam } from "~/lib/params";
import { listProviderProfiles } from "~/modules/referrals/profiles.server";
import { ROLE_LABELS } from "~/lib/roles";

export const meta: MetaFunction = () => [{ title: "Provider directory · Ember Health Provider Portal" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireActor(request, context, ["coordinator", "admin"]);
  const page = pageParam(request);
  return { page, ...(await listProviderProfiles(context.db, { page, pageSize: 50 })) };
}

export default function Providers() {
  const { rows, hasNext, page } = useLoaderData<typeof loader>();
  const location = useLocation();
  return (
    <>
      <PageHeader
        title="Provider directory"
        description="Outside providers and what they offer. Referral matching reads these profiles."
      />
      {rows.length === 0 ? (
        <EmptyState title="No outside providers yet">
          <p>Invite therapists and psychiatrists from the Invitations page; they then fill in their profile.</p>
        </EmptyState>
      ) : (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">Provider</th>
                <th scope="col">Modalities</th>
                <th scope="col">Boroughs</th>
                <th scope="col">New patients</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((p) => (
                <tr key={p.id}>
                  <td>
                    <Link to={`/providers/${p.id}`}>{p.name}</Link>
                    <br />
                    <small className="muted">
                      {ROLE_LABELS[p.role]} · {p.organisation}
                    </small>
                  </td>
                  <td>{p.modalities?.join(", ") || <span className="muted">profile not filled in</span>}</td>
                  <td>
                    {p.boroughs?.join(", ") || "—"}
                    {p.telehealth ? " · telehealth" : ""}
                  </td>
                  <td>
                    {p.accepting_new ? (
                      <Badge tone="good">{p.open_slots_per_week} slots/week</Badge>
                    ) : (
                      <Badge>not accepting</Badge>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <Pagination page={page} hasNext={hasNext} search={location.search} label="Provider pages" />
    </>
  );
}
