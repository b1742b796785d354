import { DataTable } from "~/components/data-table";
import { When } from "~/components/time";
import { Badge, EmptyState } from "~/components/ui";
import { formatDate } from "~/lib/time";
import { changeLabel, INSTRUMENTS } from "~/modules/measures/scoring";
import type { MeasuresData } from "./types";

type Score = MeasuresData["rows"][number];

/** A badge after the text before it, separated by a space. */
function Flag({ show, tone, children }: { show: unknown; tone: "good" | "warn" | "bad"; children: string }) {
  return show ? (
    <>
      {" "}
      <Badge tone={tone}>{children}</Badge>
    </>
  ) : null;
}

function Reading({ score: r }: { score: Score }) {
  return (
    <>
      {r.band ? `${r.band}` : null}
      {r.clusters ? `B ${r.clusters.B} · C ${r.clusters.C} · D ${r.clusters.D} · E ${r.clusters.E}` : null}
      <Flag show={r.probablePtsd} tone="warn">
        probable PTSD
      </Flag>
      <Flag show={r.safetySignal} tone="bad">
        item 9 above 0
      </Flag>
    </>
  );
}

function ChangeFromBaseline({ score: r }: { score: Score }) {
  if (!r.change) return r.isBaseline ? <Badge>baseline</Badge> : "—";
  const worse = r.change.direction === "worse";
  return (
    <>
      {r.isBaseline ? <Badge>baseline</Badge> : null}
      <span className={`change change-${r.change.direction}`}>{changeLabel(r.change)}</span>
      <Flag show={r.change.meaningful} tone={worse ? "bad" : "good"}>
        {worse ? "clinically meaningful worsening" : "clinically meaningful improvement"}
      </Flag>
      <Flag show={r.change.response} tone="good">
        response
      </Flag>
      <Flag show={r.change.remission} tone="good">
        remission
      </Flag>
    </>
  );
}

/** Every score, newest first: the data behind the charts, readable without them. */
export function ScoreTable({ rows, canRecord }: Pick<MeasuresData, "rows"> & { canRecord: boolean }) {
  return (
    <DataTable
      caption="All scores (the data behind the charts)"
      showCaption
      rows={[...rows].reverse()}
      rowKey={(r) => r.id}
      empty={
        <EmptyState title="No scores yet">
          <p>
            {canRecord
              ? "Record a baseline PHQ-9 and PCL-5 before the first infusion."
              : "Outside providers and Ember clinicians record PHQ-9 and PCL-5 scores here."}
          </p>
        </EmptyState>
      }
      columns={[
        { header: "Date", cell: (r) => formatDate(r.taken_on) },
        { header: "Measure", cell: (r) => INSTRUMENTS[r.instrument].label },
        { header: "Total", cell: (r) => `${r.total} / ${r.instrument === "PHQ9" ? 27 : 80}` },
        { header: "Reading", cell: (r) => <Reading score={r} /> },
        { header: "Change from baseline", cell: (r) => <ChangeFromBaseline score={r} /> },
        {
          header: "Recorded by",
          cell: (r) => (
            <>
              {r.recorded_by_name}, <When at={r.recorded_at} />
            </>
          ),
        },
      ]}
    />
  );
}
