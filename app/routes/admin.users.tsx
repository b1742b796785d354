import type { ActionFunctionArgs, AppLoadContext, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import type { Actor } from "~/auth/actor";
import { Form, Link, useLoaderData, useLocation } from "@remix-run/react";
import { auditContextOf, requireActor } from "~/auth/session.server";
import { DataTable } from "~/components/data-table";
import { Badge, EmptyState, PageHeader, Pagination } from "~/components/ui";
import { redirectWithFlash } from "~/lib/flash.server";
import { dispatchIntent } from "~/lib/intents.server";
import { pageParam, requireUuid } from "~/lib/params";
import { formatDate, formatDateTime } from "~/lib/time";
import { userFilterSchema } from "~/modules/users/forms.server";
import { listUsers, setUserStatus } from "~/modules/users/users.server";
import { ROLES, ROLE_LABELS } from "~/lib/roles";

export const meta: MetaFunction = () => [{ title: "Users · Ember Health Provider Portal" }];

const PAGE_SIZE = 25;
export async function loader({ request, context }: LoaderFunctionArgs) {
  const actor = await requireActor(request, context, ["admin"]);
  const url = new URL(request.url);
  const filters = userFilterSchema.parse({
    role: url.searchParams.get("role") || undefined,
    status: url.searchParams.get("status") || undefined,
    q: url.searchParams.get("q") ?? undefined,
  });
  const page = pageParam(request);
  const result = await listUsers(context.db, { page, pageSize: PAGE_SIZE, ...filters, query: filters.q });
  return { ...result, page, filters, actorId: actor.id };
}

/** Reactivating is one step; deactivating is confirmed on its own page, with a reason (admin.users_.$userId.deactivate). */
async function reactivate({
  request,
  context,
  formData,
  actor,
}: {
  request: Request;
  context: AppLoadContext;
  formData: FormData;
  actor: Actor;
}) {
  const outcome = await setUserStatus(context.db, auditContextOf(context, actor), {
    userId: requireUuid(formData.get("userId")),
    status: "active",
    now: context.now(),
  });
  const message =
    outcome === "unchanged"
      ? "Nothing changed: the user was already active."
      : "User reactivated. They can sign in again; add them back to the care teams they should be on.";
  return redirectWithFlash(context, `/admin/users${new URL(request.url).search}`, {
    kind: outcome === "changed" ? "success" : "error",
    message,
  });
}

export async function action({ request, context }: ActionFunctionArgs) {
  const actor = await requireActor(request, context, ["admin"]);
  const formData = await request.formData();
  return dispatchIntent(formData, { reactivate }, { request, context, formData, actor });
}

export default function AdminUsers() {
  const { rows, hasNext, page, filters, actorId } = useLoaderData<typeof loader>();
  const location = useLocation();
  return (
    <>
      <PageHeader
        title="Users"
        description="Everyone with a portal account. Deactivating a user ends their sessions and care-team memberships at once; you confirm it, with a reason, on the next page."
      />
      <Form method="get" className="filters" aria-label="Find users">
        <div className="field">
          <label htmlFor="user-search">Name or email</label>
          <input id="user-search" name="q" type="search" defaultValue={filters.q ?? ""} />
        </div>
        <div className="field">
          <label htmlFor="role-filter">Role</label>
          <select id="role-filter" name="role" defaultValue={filters.role ?? ""}>
            <option value="">All roles</option>
            {ROLES.map((r) => (
              <option key={r} value={r}>
                {ROLE_LABELS[r]}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="status-filter">Status</label>
          <select id="status-filter" name="status" defaultValue={filters.status ?? ""}>
            <option value="">Any status</option>
            <option value="active">Active</option>
            <option value="deactivated">Deactivated</option>
          </select>
        </div>
        <button type="submit" className="button button-secondary">
          Filter
        </button>
      </Form>
      <DataTable
        caption="Users"
        rows={rows}
        rowKey={(u) => u.id}
        empty={
          <EmptyState title="No users match">
            <p>Check the spelling or change the filters, or invite someone from the Invitations page.</p>
          </EmptyState>
        }
        columns={[
          { header: "Name", cell: (u) => u.name },
          { header: "Email", cell: (u) => u.email },
          { header: "Role", cell: (u) => ROLE_LABELS[u.role] },
          {
            header: "Licence",
            cell: (u) =>
              u.licence_type ? `${u.licence_type}, NPI ${u.npi}, expires ${formatDate(u.licence_expires_on!)}` : "—",
          },
          { header: "Status", cell: (u) => <Badge tone={u.status === "active" ? "good" : "bad"}>{u.status}</Badge> },
          { header: "Since", cell: (u) => formatDateTime(u.created_at) },
          {
            header: "Action",
            cell: (u) =>
              u.id === actorId ? (
                <span className="muted">You</span>
              ) : u.status === "active" ? (
                <Link to={`/admin/users/${u.id}/deactivate`} className="button-link">
                  Deactivate<span className="visually-hidden"> {u.name}</span>
                </Link>
              ) : (
                <Form method="post" className="inline-form">
                  <input type="hidden" name="userId" value={u.id} />
                  <button type="submit" name="intent" value="reactivate" className="button-link">
                    Reactivate<span className="visually-hidden"> {u.name}</span>
                  </button>
                </Form>
              ),
          },
        ]}
      />
      <Pagination page={page} hasNext={hasNext} search={location.search} label="User pages" />
    </>
  );
}
