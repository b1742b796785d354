import type { ActionFunctionArgs, AppLoadContext, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import type { Actor } from "~/auth/actor";
import { Form, useLoaderData, useLocation } from "@remix-run/react";
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
  });
  const page = pageParam(request);
  const result = await listUsers(context.db, { page, pageSize: PAGE_SIZE, ...filters });
  return { ...result, page, filters, actorId: actor.id };
}

async function setStatus(
  {
    request,
    context,
    formData,
    actor,
  }: { request: Request; context: AppLoadContext; formData: FormData; actor: Actor },
  intent: string,
) {
  const deactivate = intent === "deactivate";
  const outcome = await setUserStatus(context.db, auditContextOf(context, actor), {
    userId: requireUuid(formData.get("userId")),
    status: deactivate ? "deactivated" : "active",
    now: context.now(),
  });
  const message =
    outcome === "self"
      ? "You cannot deactivate your own account. Ask another administrator."
      : outcome === "unchanged"
        ? "Nothing changed: the user was already in that state."
        : deactivate
          ? "User deactivated. Their sessions have ended and they can no longer sign in."
          : "User reactivated. They can sign in again.";
  return redirectWithFlash(context, `/admin/users${new URL(request.url).search}`, {
    kind: outcome === "changed" ? "success" : "error",
    message,
  });
}

export async function action({ request, context }: ActionFunctionArgs) {
  const actor = await requireActor(request, context, ["admin"]);
  const formData = await request.formData();
  return dispatchIntent(
    formData,
    { deactivate: setStatus, reactivate: setStatus },
    { request, context, formData, actor },
  );
}

export default function AdminUsers() {
  const { rows, hasNext, page, filters, actorId } = useLoaderData<typeof loader>();
  const location = useLocation();
  return (
    <>
      <PageHeader
        title="Users"
        description="Everyone with a portal account. Deactivating a user ends their sessions at once."
      />
      <Form method="get" className="filters">
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
            <p>Change the filters, or invite someone from the Invitations page.</p>
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
              ) : (
                <Form method="post" className="inline-form">
                  <input type="hidden" name="userId" value={u.id} />
                  <button
                    type="submit"
                    name="intent"
                    value={u.status === "active" ? "deactivate" : "reactivate"}
                    className="button-link"
                  >
                    {u.status === "active" ? "Deactivate" : "Reactivate"}
                    <span className="visually-hidden"> {u.name}</span>
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
