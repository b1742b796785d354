import { Link } from "@remix-run/react";
import { formatDateTime } from "~/lib/time";
import { sessionLabel } from "~/modules/infusions/labels";
import { DataTable } from "~/components/data-table";
import { When, WindowRange } from "~/components/time";
import { Badge, EmptyState } from "~/components/ui";
import type { InfusionAnswer } from "./actions.server";
import type { InfusionsData } from "./types";
import { VisitChanges } from "./visit-changes";

const VISIT_TONE = { scheduled: "neutral", held: "good", missed: "bad", cancelled: "bad" } as const;

type Visit = InfusionsData["visits"][number];

/** A visit under way or past whose outcome nobody has recorded: the next thing to do on it. */
const startedUnrecorded = (v: Visit, now: string) => v.status === "scheduled" && new Date(v.starts_at) <= new Date(now);

export function VisitTable({
  visits,
  sessions,
  gate,
  clinician,
  staff,
  provider,
  patientId,
  now,
  answer,
}: Pick<InfusionsData, "visits" | "sessions" | "gate" | "now"> & {
  clinician: boolean;
  staff: boolean;
  provider: boolean;
  patientId: string;
  answer: InfusionAnswer;
}) {
  return (
    <DataTable
      caption="Infusion visits"
      rows={visits}
      rowKey={(v) => v.id}
      empty={
        <EmptyState title="No infusion visits yet">
          <p>
            {clinician
              ? "Schedule the course below once the engagement gate allows it."
              : "Ember's clinicians schedule infusions once an outside provider has confirmed engagement."}
          </p>
        </EmptyState>
      }
      columns={[
        {
          header: "Visit",
          cell: (v) => (
            <>
              <When at={v.starts_at} />
              <br />
              <small className="muted">
                {v.kind === "booster" ? "Booster visit" : "Course visit"} · infusion {v.infusion_minutes} min
              </small>
            </>
          ),
        },
        {
          header: "Clinic · clinician",
          cell: (v) => (
            <>
              {v.location_name}
              <br />
              <small className="muted">{v.clinician_name}</small>
            </>
          ),
        },
        { header: "Status", cell: (v) => <VisitStatus visit={v} confirmedUntil={gate.confirmedUntil} /> },
        {
          header: "Therapy window",
          cell: (v) => (v.status === "cancelled" ? "—" : <WindowRange opens={v.ends_at} closes={v.window_closes_at} />),
        },
        {
          header: "Sessions in window",
          cell: (v) => {
            if (v.status === "cancelled") return "—";
            const inWindow = sessions.filter((s) => s.windowVisitId === v.id && s.status !== "cancelled");
            const open = provider && new Date(v.window_closes_at) > new Date(now);
            return (
              <>
                {inWindow.length ? inWindow.map(sessionLabel).join(", ") : <Badge tone="warn">none planned</Badge>}
                {open ? (
                  <>
                    {" "}
                    <Link to={`/patients/${patientId}/infusions?plan=${v.id}#plan-title`}>
                      Plan one
                      <span className="visually-hidden"> in the window after {formatDateTime(v.starts_at)}</span>
                    </Link>
                  </>
                ) : null}
              </>
            );
          },
        },
        staff && {
          header: "Actions",
          cell: (v) => (
            <>
              <Link
                to={`/patients/${patientId}/visits/${v.id}`}
                className={startedUnrecorded(v, now) ? "button" : undefined}
              >
                {startedUnrecorded(v, now) ? "Record the outcome" : "Pre-infusion check and record"}
                <span className="visually-hidden"> for the visit of {formatDateTime(v.starts_at)}</span>
              </Link>
              {clinician && v.status === "scheduled" ? <VisitChanges visit={v} answer={answer} /> : null}
            </>
          ),
        },
      ]}
    />
  );
}

function VisitStatus({
  visit: v,
  confirmedUntil,
}: {
  visit: Visit;
  confirmedUntil: InfusionsData["gate"]["confirmedUntil"];
}) {
  return (
    <>
      <Badge tone={VISIT_TONE[v.status]}>{v.status}</Badge>
      {v.cancel_reason ? <small className="muted"> {v.cancel_reason}</small> : null}
      {v.gate_override_at ? (
        <p className="visit-override">
          <Badge tone="bad">held despite the engagement gate</Badge> {v.gate_override_by_name},{" "}
          <When at={v.gate_override_at} />: <span className="note-text">{v.gate_override_reason}</span>
          <br />
          <small className="muted">The gate said: {v.gate_override_refusals?.join(" ")}</small>
        </p>
      ) : null}
      {v.status === "scheduled" && confirmedUntil && new Date(v.starts_at) > new Date(confirmedUntil) ? (
        <p>
          <Badge tone="warn">confirmation expires before this visit</Badge>
        </p>
      ) : null}
    </>
  );
}
