import { DataTable } from "~/components/data-table";
import { Badge, EmptyState } from "~/components/ui";
import { formatDate, formatDateTime } from "~/lib/time";
import { CADENCE_LABELS, DEPRESSION_LABELS, THERAPY_LABELS } from "~/modules/engagement/labels";
import type { EngagementData } from "./types";

/** Every outside provider's latest confirmation, active or lapsed, as they signed it. */
export function ConfirmationsTable({ records }: { records: EngagementData["records"] }) {
  return (
    <DataTable
      caption="Engagement confirmations"
      rows={records}
      rowKey={(r) => r.id}
      empty={
        <EmptyState title="No engagement confirmed yet">
          <p>
            Ember schedules infusions only while an outside licensed provider on the care team confirms they actively
            treat the patient.
          </p>
        </EmptyState>
      }
      columns={[
        { header: "Provider", cell: (r) => r.provider_name },
        {
          header: "Status",
          cell: (r) =>
            r.active ? (
              <Badge tone="good">active until {formatDateTime(r.expires_at)}</Badge>
            ) : (
              <Badge tone="bad">engagement lapsed {formatDateTime(r.expires_at)}</Badge>
            ),
        },
        { header: "Treatment since", cell: (r) => formatDate(r.treatment_started_on) },
        { header: "Last session", cell: (r) => `${formatDate(r.last_session_on)} (${CADENCE_LABELS[r.cadence]})` },
        {
          header: "Trauma-focused therapy",
          cell: (r) =>
            `${THERAPY_LABELS[r.trauma_therapy]}${r.trauma_therapy !== "none" ? `, ${r.sessions_held} sessions held` : ""}`,
        },
        { header: "Depression", cell: (r) => DEPRESSION_LABELS[r.depression] },
        {
          header: "Signed",
          cell: (r) => `${r.signature_name}, ${r.signature_licence}, ${formatDateTime(r.confirmed_at)}`,
        },
      ]}
    />
  );
}
