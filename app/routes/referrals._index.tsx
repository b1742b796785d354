import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { auditContextOf, requireActor } from "~/auth/session.server";
import { DataTable } from "~/components/data-table";
import { Badge, EmptyState, PageHeader } from "~/components/ui";
import { recordAudit } from "~/audit/audit.server";
import { referralPipeline } from "~/modules/referrals/pipeline.server";

export const meta: MetaFunction = () => [{ title: "Referral pipeline · Ember Health Provider Portal" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const actor = await requireActor(request, context, ["coordinator", "admin"]);
  const pipeline = await referralPipeline(context.db, context.now());
  await recordAudit(context.db, auditContextOf(context, actor), {
    action: "referral.pipeline",
    entityType: "referral",
    detail: { referralIds: pipeline.waiting.map((w) => w.id) },
  });
  return pipeline;
}

export default function Pipeline() {
  const { states, waiting } = useLoaderData<typeof loader>();
  return (
    <>
      <PageHeader
        title="Referral pipeline"
        description="Every referral from open to closed. A loop closes only when the therapist has confirmed engagement."
        actions={
          <a href="/referrals.csv" className="button button-secondary" download>
            Export CSV
          </a>
        }
      />
      <DataTable
        caption="Referrals per state"
        rows={states}
        rowKey={(s) => s.status}
        empty={<p className="muted">No referrals yet: open one from a patient&apos;s Referrals tab.</p>}
        columns={[
          { header: "State", cell: (s) => s.status },
          { header: "Referrals", cell: (s) => s.count },
          {
            header: "Longest in this state",
            cell: (s) => (s.longestDays === null ? "—" : `${s.longestDays} day${s.longestDays === 1 ? "" : "s"}`),
          },
        ]}
      />
      <h2>Waiting longest</h2>
      {waiting.length === 0 ? (
        <EmptyState title="No open loops">
          <p>Open a referral from a patient&apos;s Referrals tab when they need a trauma-focused therapist.</p>
        </EmptyState>
      ) : (
        <ol>
          {waiting.map((w) => (
            <li key={w.id}>
              <Link to={`/referrals/${w.id}`}>
                {w.last_name}, {w.first_name} ({w.record_number})
              </Link>{" "}
              <Badge tone={w.daysInState >= 7 ? "bad" : w.daysInState >= 3 ? "warn" : "neutral"}>{w.status}</Badge> for{" "}
              {w.daysInState} day{w.daysInState === 1 ? "" : "s"} · {w.urgency}
            </li>
          ))}
        </ol>
      )}
    </>
  );
}
