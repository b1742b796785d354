import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData, useLocation } from "@remix-run/react";
import { requireActor } from "~/auth/session.server";
import { DataTable } from "~/components/data-table";
import { Badge, EmptyState, PageHeader, Pagination } from "~/components/ui";
import { pageParam } from "~/lib/params";
import { formatDateTime } from "~/lib/time";
import { listUndeliveredMail } from "~/modules/users/mail.server";

export const meta: MetaFunction = () => [{ title: "Mail delivery · Ember Health Provider Portal" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireActor(request, context, ["admin"]);
  const page = pageParam(request);
  return { ...(await listUndeliveredMail(context.db, { page, pageSize: 50 })), page };
}

export default function MailDelivery() {
  const { rows, hasNext, page } = useLoaderData<typeof loader>();
  const location = useLocation();
  return (
    <>
      <PageHeader
        title="Mail delivery"
        description="Notices that failed to send. The portal retries with backoff and stops before the mail provider's 24-hour duplicate guard ends; what it gave up on is marked for review here."
      />
      <DataTable
        caption="Notices not yet delivered"
        rows={rows}
        rowKey={(m) => m.id}
        empty={
          <EmptyState title="Every notice was delivered">
            <p>Nothing is waiting or failing. Failed notices would appear here with the provider&apos;s error.</p>
          </EmptyState>
        }
        columns={[
          { header: "Queued", cell: (m) => formatDateTime(m.created_at) },
          { header: "Notice", cell: (m) => m.template },
          { header: "To", cell: (m) => m.to_address },
          {
            header: "Status",
            cell: (m) => (
              <Badge tone={m.status === "review" ? "bad" : "warn"}>
                {m.status === "review" ? "needs review" : `retrying ${formatDateTime(m.next_attempt_at)}`}
              </Badge>
            ),
          },
          { header: "Attempts", cell: (m) => m.attempts },
          { header: "Last error", cell: (m) => m.last_error },
        ]}
      />
      <Pagination page={page} hasNext={hasNext} search={location.search} label="Mail pages" />
    </>
  );
}
