import { When } from "~/components/time";
import { Badge, EmptyState } from "~/components/ui";
import { formatDate } from "~/lib/time";
import { changeLabel, INSTRUMENTS } from "~/modules/measures/scoring";
import type { MeasuresData } from "./types";

/** Every score, newest first: the data behind the charts, readable without them. */
export function ScoreTable({ rows, canRecord }: Pick<MeasuresData, "rows"> & { canRecord: boolean }) {
  return (
    <>
      {rows.length === 0 ? (
        <EmptyState title="No scores yet">
          <p>
            {canRecord
              ? "Record a baseline PHQ-9 and PCL-5 before the first infusion."
              : "Outside providers and Ember clinicians record PHQ-9 and PCL-5 scores here."}
          </p>
        </EmptyState>
      ) : (
        <div className="table-wrap">
          <table>
            <caption>All scores (the data behind the charts)</caption>
            <thead>
              <tr>
                <th scope="col">Date</th>
                <th scope="col">Measure</th>
                <th scope="col">Total</th>
                <th scope="col">Reading</th>
                <th scope="col">Change from baseline</th>
                <th scope="col">Recorded by</th>
              </tr>
            </thead>
            <tbody>
              {[...rows].reverse().map((r) => (
                <tr key={r.id}>
                  <td>{formatDate(r.taken_on)}</td>
                  <td>{INSTRUMENTS[r.instrument].label}</td>
                  <td>
                    {r.total} / {r.instrument === "PHQ9" ? 27 : 80}
                  </td>
                  <td>
                    {r.band ? `${r.band}` : null}
                    {r.clusters
                      ? `B ${r.clusters.B} · C ${r.clusters.C} · D ${r.clusters.D} · E ${r.clusters.E}`
                      : null}
                    {r.probablePtsd ? (
                      <>
                        {" "}
                        <Badge tone="warn">probable PTSD</Badge>
                      </>
                    ) : null}
                    {r.safetySignal ? (
                      <>
                        {" "}
                        <Badge tone="bad">item 9 above 0</Badge>
                      </>
                    ) : null}
                  </td>
                  <td>
                    {r.isBaseline ? <Badge>baseline</Badge> : null}
                    {r.change ? (
                      <>
                        <span className={`change change-${r.change.direction}`}>{changeLabel(r.change)}</span>
                        {r.change.meaningful ? (
                          <>
                            {" "}
                            <Badge tone={r.change.direction === "worse" ? "bad" : "good"}>
                              {r.change.direction === "worse"
                                ? "clinically meaningful worsening"
                                : "clinically meaningful improvement"}
                            </Badge>
                          </>
                        ) : null}
                        {r.change.response ? (
                          <>
                            {" "}
                            <Badge tone="good">response</Badge>
                          </>
                        ) : null}
                        {r.change.remission ? (
                          <>
                            {" "}
                            <Badge tone="good">remission</Badge>
                          </>
                        ) : null}
                      </>
                    ) : r.isBaseline ? null : (
                      "—"
                    )}
                  </td>
                  <td>
                    {r.recorded_by_name}, <When at={r.recorded_at} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
