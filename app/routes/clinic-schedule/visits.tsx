import { Link } from "@remix-run/react";
import { DataTable } from "~/components/data-table";
import { Badge, EmptyState } from "~/components/ui";
import { formatClockTime, formatLongDate } from "~/lib/time";
import type { FreeSlot } from "~/modules/infusions/clinic-day";

export interface ScheduleVisit {
  id: string;
  patient_id: string;
  kind: "course" | "booster";
  starts_at: string;
  ends_at: string;
  status: "scheduled" | "held" | "missed" | "cancelled";
  first_name: string;
  last_name: string;
  clinician_name: string;
  checked_at: string | null;
  /** How many points the completed check noted. */
  findings: number;
}

const STATUS_TONE = { scheduled: "neutral", held: "good", missed: "bad", cancelled: "bad" } as const;

const patientName = (v: ScheduleVisit) => `${v.last_name}, ${v.first_name}`;

function VisitTime({ visit }: { visit: ScheduleVisit }) {
  return (
    <>
      <time dateTime={new Date(visit.starts_at).toISOString()}>{formatClockTime(visit.starts_at)}</time> –{" "}
      <time dateTime={new Date(visit.ends_at).toISOString()}>{formatClockTime(visit.ends_at)}</time>
    </>
  );
}

/** The pre-infusion check's state; no check is recorded on a visit yet, so each one has not started. */
/** Whether the visit's check is done (and how much it noted), with the way to the visit's page. */
function CheckState({ visit: v }: { visit: ScheduleVisit }) {
  if (v.status === "cancelled") return <span className="muted">—</span>;
  return (
    <>
      {v.checked_at ? (
        <Badge tone={v.findings ? "warn" : "good"}>{v.findings ? `done · ${v.findings} noted` : "done"}</Badge>
      ) : v.status === "scheduled" ? (
        <Badge tone="warn">not started</Badge>
      ) : (
        <span className="muted">not recorded</span>
      )}{" "}
      <Link to={`/patients/${v.patient_id}/visits/${v.id}`}>
        Open the visit<span className="visually-hidden"> of {patientName(v)}</span>
      </Link>
    </>
  );
}

/** One clinic day: a table on a wide screen, a card per visit on a phone (each cell names its column). */
export function DayVisits({ visits, day }: { visits: ScheduleVisit[]; day: string }) {
  return (
    <DataTable
      caption={`Visits on ${formatLongDate(day)}`}
      rows={visits}
      rowKey={(v) => v.id}
      empty={
        <EmptyState title="No visits booked this day">
          <p>
            Book a course from a patient&rsquo;s Infusions page; the free time below is when the clinic can take one.
          </p>
        </EmptyState>
      }
      columns={[
        {
          header: "Time",
          cell: (v) => (
            <>
              <VisitTime visit={v} />
              {v.kind === "booster" ? <small className="muted"> · booster</small> : null}
            </>
          ),
        },
        { header: "Patient", cell: (v) => <Link to={`/patients/${v.patient_id}/infusions`}>{patientName(v)}</Link> },
        { header: "Clinician", cell: (v) => v.clinician_name },
        { header: "Status", cell: (v) => <Badge tone={STATUS_TONE[v.status]}>{v.status}</Badge> },
        { header: "Pre-infusion check", cell: (v) => <CheckState visit={v} /> },
      ]}
    />
  );
}

export function FreeSlots({ slots, hours }: { slots: FreeSlot[]; hours: string }) {
  if (slots.length === 0)
    return <p className="muted">No free time left within the clinic&rsquo;s hours ({hours}) for a whole visit.</p>;
  return (
    <ul className="free-slots">
      {slots.map((s) => (
        <li key={s.from}>
          {s.from}–{s.to}{" "}
          <span className="muted">(room for {s.visits === 1 ? "one visit" : `${s.visits} visits end to end`})</span>
        </li>
      ))}
    </ul>
  );
}

/** A week at one clinic: a section per day, each visit on its own line, with the day's free time. */
export function WeekVisits({
  days,
  dayHref,
}: {
  days: { day: string; visits: ScheduleVisit[]; slots: FreeSlot[] }[];
  dayHref: (day: string) => string;
}) {
  return (
    <div className="week-view">
      {days.map(({ day, visits, slots }) => (
        <section key={day} className="card week-day" aria-labelledby={`day-${day}`}>
          <h2 id={`day-${day}`}>
            <Link to={dayHref(day)}>{formatLongDate(day)}</Link>
          </h2>
          {visits.length === 0 ? (
            <p className="muted">No visits booked.</p>
          ) : (
            <ul>
              {visits.map((v) => (
                <li key={v.id}>
                  <VisitTime visit={v} /> · <Link to={`/patients/${v.patient_id}/infusions`}>{patientName(v)}</Link> ·{" "}
                  {v.clinician_name} · <Badge tone={STATUS_TONE[v.status]}>{v.status}</Badge>
                </li>
              ))}
            </ul>
          )}
          <p className="muted">
            {slots.length === 0
              ? "No free time for a whole visit."
              : `Free: ${slots.map((s) => `${s.from}–${s.to}`).join(", ")}`}
          </p>
        </section>
      ))}
    </div>
  );
}
