import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData, useLocation } from "@remix-run/react";
import { requireActor } from "~/auth/session.server";
import { DataTable } from "~/components/data-table";
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
      <DataTable
        caption="Outside providers"
        rows={rows}
        rowKey={(p) => p.id}
        empty={
          <EmptyState title="No outside providers yet">
            <p>Invite therapists and psychiatrists from the Invitations page; they then fill in their profile.</p>
          </EmptyState>
        }
        columns={[
          {
            header: "Provider",
            cell: (p) => (
              <>
                <Link to={`/providers/${p.id}`}>{p.name}</Link>
                <br />
                <small className="muted">
                  {ROLE_LABELS[p.role]} · {p.organisation}
                </small>
              </>
            ),
          },
          {
            header: "Modalities",
            cell: (p) => p.modalities?.join(", ") || <span className="muted">profile not filled in</span>,
          },
          { header: "Boroughs", cell: (p) => `${p.boroughs?.join(", ") || "—"}${p.telehealth ? " · telehealth" : ""}` },
          {
            header: "New patients",
            cell: (p) =>
              p.accepting_new ? (
                <Badge tone="good">{p.open_slots_per_week} slots/week</Badge>
              ) : (
                <Badge>not accepting</Badge>
              ),
          },
        ]}
      />
      <Pagination page={page} hasNext={hasNext} search={location.search} label="Provider pages" />
    </>
  );
}
