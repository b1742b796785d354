import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { auditContextOf, requireActor } from "~/auth/session.server";
import { DataTable } from "~/components/data-table";
import { When } from "~/components/time";
import { Badge, EmptyState, PageHeader } from "~/components/ui";
import { clinicToday, elapsedHours } from "~/lib/time";
import { recordAudit } from "~/audit/audit.server";
import { reviewQueue } from "~/modules/notes/queues.server";
import { NOTE_KIND_LABELS } from "~/modules/notes/labels";

export const meta: MetaFunction = () => [{ title: "Review queue · Ember Health Provider Portal" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const actor = await requireActor(request, context, ["psychiatrist"]);
  const now = context.now();
  const queue = await reviewQueue(context.db, actor, clinicToday(now));
  await recordAudit(context.db, auditContextOf(context, actor), {
    action: "note.review_queue",
    entityType: "care_note",
    detail: { noteIds: queue.map((q) => q.id) },
  });
  return {
    queue: queue.map((q) => ({
      ...q,
      waitedHours: Math.floor(elapsedHours(new Date(q.created_at), now)),
    })),
  };
}

function waited(hours: number) {
  if (hours < 1) return "under an hour";
  if (hours < 48) return `${hours} hour${hours === 1 ? "" : "s"}`;
  return `${Math.floor(hours / 24)} days`;
}

export default function Reviews() {
  const { queue } = useLoaderData<typeof loader>();
  return (
    <>
      <PageHeader
        title="Review queue"
        description="Notes on your patients sent for psychiatrist review, oldest first. Infusion summaries always come here."
      />
      <DataTable
        caption="Notes waiting for review"
        rows={queue}
        rowKey={(q) => q.id}
        empty={
          <EmptyState title="Nothing to review">
            <p>
              When a colleague asks for your review, or an Ember clinician posts an infusion summary for one of your
              patients, it appears here.
            </p>
          </EmptyState>
        }
        columns={[
          {
            header: "Waiting",
            cell: (q) => (
              <Badge tone={q.waitedHours >= 72 ? "bad" : q.waitedHours >= 24 ? "warn" : "neutral"}>
                {waited(q.waitedHours)}
              </Badge>
            ),
          },
          {
            header: "Patient",
            cell: (q) => (
              <Link to={`/patients/${q.patient_id}/notes#note-${q.id}`}>
                {q.last_name}, {q.first_name}
              </Link>
            ),
          },
          { header: "Note", cell: (q) => NOTE_KIND_LABELS[q.kind] },
          { header: "Author", cell: (q) => q.author_name },
          { header: "Posted", cell: (q) => <When at={q.created_at} /> },
        ]}
      />
    </>
  );
}
