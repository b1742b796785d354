import { Link, useLoaderData, useLocation } from "@remix-run/react";
import type { ReactNode } from "react";
import { Item9Signals } from "~/components/safety";
import { When, WindowRange } from "~/components/time";
import { formatDate } from "~/lib/time";
import { BOOSTER_REVIEW_REASONS } from "~/modules/infusions/labels";
import { NOTE_KIND_LABELS } from "~/modules/notes/labels";
import { Badge, Pagination } from "~/components/ui";
import type { WorkListName } from "~/modules/work-list/work-list.server";
import type { loader } from "./route";

/** How far back the work list shows safety alerts, answered or not, with their time to acknowledgement. */
export const SAFETY_ALERT_DAYS = 7;

/** One list of open loops, with its count and its own pages. */
export function Section({
  list,
  title,
  count,
  empty,
  children,
}: {
  list: WorkListName;
  title: string;
  count: number;
  empty: string;
  children: ReactNode;
}) {
  const { pages, more, pageSize } = useLoaderData<typeof loader>();
  const location = useLocation();
  const id = title.toLowerCase().replace(/[^a-z]+/g, "-");
  const page = pages[list];
  // The badge counts what is known: this page and the ones before it, "+" when more follow.
  const known = (page - 1) * pageSize + count;
  return (
    <section className="card" aria-labelledby={id}>
      <h2 id={id}>
        {title} <Badge tone={known ? "warn" : "good"}>{more[list] ? `${known}+` : known}</Badge>
      </h2>
      {count === 0 ? <p className="muted">{page > 1 ? "Nothing more on this list." : empty}</p> : children}
      <Pagination page={page} hasNext={more[list]} search={location.search} label={`${title}: pages`} param={list} />
    </section>
  );
}

export function SafetyAlerts() {
  const { safetyAlerts } = useLoaderData<typeof loader>();
  return (
    <section className="card" aria-labelledby="safety-alerts-title">
      <h2 id="safety-alerts-title">
        Safety alerts in the last {SAFETY_ALERT_DAYS} days{" "}
        <Badge tone={safetyAlerts.some((a) => !a.acknowledged_at) ? "bad" : "good"}>
          {safetyAlerts.filter((a) => !a.acknowledged_at).length} open
        </Badge>
      </h2>
      {safetyAlerts.length === 0 ? (
        <p className="muted">No safety concern or PHQ-9 item 9 alert in the last {SAFETY_ALERT_DAYS} days.</p>
      ) : (
        <ul>
          {safetyAlerts.map((a) => (
            <li key={a.id} data-testid="safety-alert">
              <Link to={`/patients/${a.patient_id}/${a.note_id ? "notes" : "measures"}`}>
                {a.last_name}, {a.first_name} ({a.record_number})
              </Link>{" "}
              — {a.note_id ? "safety concern" : <Item9Signals signals={a.signals} takenOn={a.taken_on} />}, raised{" "}
              <When at={a.raised_at} /> {a.escalated_at ? <Badge tone="bad">escalated</Badge> : null}{" "}
              {a.acknowledged_at ? (
                <>
                  acknowledged by {a.acknowledged_by_name} after {a.minutesToAcknowledge} min
                </>
              ) : (
                <Badge tone="bad">not acknowledged</Badge>
              )}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

/** The loops around infusions: windows with no session planned in them, and booster decisions due. */
export function InfusionLoops() {
  const { windows, boosters } = useLoaderData<typeof loader>();
  return (
    <>
      <Section
        list="windows"
        title="Therapy windows with no planned session"
        count={windows.length}
        empty="Every open or upcoming therapy window has a session planned in it."
      >
        <ul>
          {windows.map((w) => (
            <li key={w.id}>
              <Link to={`/patients/${w.patient_id}/infusions`}>
                {w.last_name}, {w.first_name} ({w.record_number})
              </Link>{" "}
              — {w.location_name}, window <WindowRange opens={w.ends_at} closes={w.window_closes_at} />
            </li>
          ))}
        </ul>
      </Section>
      <Section
        list="boosters"
        title="Booster reviews due"
        count={boosters.length}
        empty="No booster review is waiting for a decision."
      >
        <ul>
          {boosters.map((b) => (
            <li key={b.id}>
              <Link to={`/patients/${b.patient_id}/infusions`}>
                {b.last_name}, {b.first_name} ({b.record_number})
              </Link>{" "}
              — due {b.due_from} to {b.due_to} ({BOOSTER_REVIEW_REASONS[b.reason]})
            </li>
          ))}
        </ul>
      </Section>
    </>
  );
}

/** Care notes a psychiatrist has not reviewed for longer than the clinic allows, each linking to the note. */
export function StaleReviews() {
  const { staleReviews } = useLoaderData<typeof loader>();
  return (
    <Section
      list="staleReviews"
      title="Care notes waiting for psychiatrist review"
      count={staleReviews.length}
      empty="No care note has waited for review longer than the clinic allows."
    >
      <ul>
        {staleReviews.map((r) => (
          <li key={r.id}>
            <Link to={`/patients/${r.patient_id}/notes#note-${r.id}`}>
              {r.last_name}, {r.first_name} ({r.record_number})
            </Link>{" "}
            — {NOTE_KIND_LABELS[r.kind]}, <Badge tone="warn">review waiting {r.days_waiting} days</Badge>
          </li>
        ))}
      </ul>
    </Section>
  );
}

/** Offers accepted whose provider cannot see the patient yet: the coordinator records the release on the care team. */
export function AwaitingRelease() {
  const { awaitingRelease } = useLoaderData<typeof loader>();
  return (
    <Section
      list="awaitingRelease"
      title="Offer accepted: record the release"
      count={awaitingRelease.length}
      empty="Every provider who accepted a referral has a current release of information."
    >
      <ul>
        {awaitingRelease.map((r) => (
          <li key={r.id}>
            <Link to={`/patients/${r.patient_id}/care-team`}>
              {r.last_name}, {r.first_name} ({r.record_number})
            </Link>{" "}
            — {r.provider_name} accepted <When at={r.accepted_at} />; record the release naming them ·{" "}
            <Link to={`/referrals/${r.id}`}>referral</Link>
          </li>
        ))}
      </ul>
    </Section>
  );
}

/** Intakes a new provider gave as scheduled: provisional until they confirm engagement after it. */
export function ProvisionalIntakes() {
  const { provisionalIntakes } = useLoaderData<typeof loader>();
  return (
    <Section
      list="provisionalIntakes"
      title="Intake scheduled, engagement not confirmed (provisional)"
      count={provisionalIntakes.length}
      empty="No provider is waiting on a first session with a patient."
    >
      <ul>
        {provisionalIntakes.map((i) => (
          <li key={i.id}>
            <Link to={`/patients/${i.patient_id}/engagement`}>
              {i.last_name}, {i.first_name} ({i.record_number})
            </Link>{" "}
            — {i.provider_name}, intake scheduled on {formatDate(i.scheduled_on)}{" "}
            <Badge tone="warn">provisional: infusions cannot be booked</Badge>
          </li>
        ))}
      </ul>
    </Section>
  );
}
