import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData, useLocation } from "@remix-run/react";
import { auditContextOf, requireActor } from "~/auth/session.server";
import { Badge, PageHeader, Pagination } from "~/components/ui";
import { pageParam } from "~/lib/params";
import { formatDate, formatDateTime } from "~/lib/time";
import { recordAudit } from "~/audit/audit.server";
import { BOOSTER_REVIEW_REASONS } from "~/modules/infusions/labels";
import {
  coordinatorWorkList,
  WORK_LIST_PAGE_SIZE,
  WORK_LISTS,
  type WorkListName,
  type WorkListPages,
} from "~/modules/work-list/work-list.server";
import { When, WindowRange } from "~/components/time";
import { recentSafetyAlerts } from "~/modules/safety/alerts.server";
import { ROLE_LABELS } from "~/lib/roles";

/** How far back the work list shows safety alerts, answered or not, with their time to acknowledgement. */
const SAFETY_ALERT_DAYS = 7;

export const meta: MetaFunction = () => [{ title: "Work list · Ember Health Provider Portal" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const actor = await requireActor(request, context, ["coordinator", "admin"]);
  const pages = Object.fromEntries(WORK_LISTS.map((name) => [name, pageParam(request, name)])) as WorkListPages;
  const now = context.now();
  const [list, safetyAlerts] = await Promise.all([
    coordinatorWorkList(context.db, actor, now, pages),
    recentSafetyAlerts(context.db, actor, { now, days: SAFETY_ALERT_DAYS, limit: WORK_LIST_PAGE_SIZE }),
  ]);
  await recordAudit(context.db, auditContextOf(context, actor), {
    action: "work_list.view",
    entityType: "patient",
    detail: {
      patientIds: [
        ...new Set([
          ...list.unengaged.map((r) => r.id),
          ...list.expiringConfirmations.map((r) => r.patient_id),
          ...list.expiringReleases.map((r) => r.patient_id),
          ...list.windows.map((w) => w.patient_id),
          ...list.boosters.map((b) => b.patient_id),
          ...list.lapsedWithVisits.map((l) => l.id),
          ...list.gateOverrides.map((o) => o.patient_id),
          ...safetyAlerts.map((a) => a.patient_id),
        ]),
      ],
    },
  });
  return { ...list, safetyAlerts, pages, pageSize: WORK_LIST_PAGE_SIZE };
}

function Section({
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
  children: React.ReactNode;
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

function SafetyAlerts() {
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
              — {a.note_id ? "safety concern" : "PHQ-9 item 9 above 0"}, raised <When at={a.raised_at} />{" "}
              {a.escalated_at ? <Badge tone="bad">escalated</Badge> : null}{" "}
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

export default function WorkList() {
  const {
    unengaged,
    expiringConfirmations,
    expiringReleases,
    staleInvitations,
    windows,
    boosters,
    lapsedWithVisits,
    gateOverrides,
    pageSize,
  } = useLoaderData<typeof loader>();
  return (
    <>
      <PageHeader
        title="Work list"
        description={`Every open loop, with a link to the page that closes it: ${pageSize} rows per list at a time, most urgent first.`}
      />
      <SafetyAlerts />
      <Section
        list="unengaged"
        title="Patients with no engaged provider"
        count={unengaged.length}
        empty="Every patient has an outside provider with an active engagement confirmation."
      >
        <ul>
          {unengaged.map((p) => (
            <li key={p.id}>
              <Link to={`/patients/${p.id}/care-team`}>
                {p.last_name}, {p.first_name} ({p.record_number})
              </Link>{" "}
              {p.had_engagement ? (
                <Badge tone="bad">engagement lapsed</Badge>
              ) : (
                <Badge tone="warn">never confirmed</Badge>
              )}
            </li>
          ))}
        </ul>
      </Section>
      <Section
        list="lapsedWithVisits"
        title="Engagement lapsed with visits booked"
        count={lapsedWithVisits.length}
        empty="Every patient with visits booked has a counting engagement confirmation."
      >
        <ul>
          {lapsedWithVisits.map((l) => (
            <li key={l.id}>
              <Link to={`/patients/${l.id}/infusions`}>
                {l.last_name}, {l.first_name} ({l.record_number})
              </Link>{" "}
              — next visit {formatDateTime(l.next_visit_at)}, {l.booked} booked
            </li>
          ))}
        </ul>
      </Section>
      <Section
        list="gateOverrides"
        title="Visits held past the engagement gate (30 days)"
        count={gateOverrides.length}
        empty="No visit was held past the engagement gate in the last 30 days."
      >
        <ul>
          {gateOverrides.map((o) => (
            <li key={o.id}>
              <Link to={`/patients/${o.patient_id}/infusions`}>
                {o.last_name}, {o.first_name} ({o.record_number})
              </Link>{" "}
              — visit of {formatDateTime(o.starts_at)}, overridden by {o.overridden_by}:{" "}
              <span className="note-text">{o.gate_override_reason}</span>
            </li>
          ))}
        </ul>
      </Section>
      <Section
        list="expiringConfirmations"
        title="Engagement confirmations expiring within 14 days"
        count={expiringConfirmations.length}
        empty="No confirmation expires in the next 14 days."
      >
        <ul>
          {expiringConfirmations.map((c) => (
            <li key={c.id}>
              <Link to={`/patients/${c.patient_id}/engagement`}>
                {c.last_name}, {c.first_name} ({c.record_number})
              </Link>{" "}
              — {c.provider_name}, expires {formatDateTime(c.expires_at)}
            </li>
          ))}
        </ul>
      </Section>
      <Section
        list="expiringReleases"
        title="Releases of information expiring within 30 days"
        count={expiringReleases.length}
        empty="No release expires in the next 30 days."
      >
        <ul>
          {expiringReleases.map((r) => (
            <li key={r.id}>
              <Link to={`/patients/${r.patient_id}/care-team`}>
                {r.last_name}, {r.first_name} ({r.record_number})
              </Link>{" "}
              — {r.provider_name}, expires {formatDate(r.expires_on)}
            </li>
          ))}
        </ul>
      </Section>
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
      <Section
        list="staleInvitations"
        title="Invitations unanswered for 3 days or more"
        count={staleInvitations.length}
        empty="Every invitation older than 3 days was answered."
      >
        <ul>
          {staleInvitations.map((i) => (
            <li key={i.id}>
              <Link to="/invitations">{i.email}</Link> — {ROLE_LABELS[i.role]}, sent {formatDateTime(i.created_at)},
              link expires {formatDateTime(i.expires_at)}
            </li>
          ))}
        </ul>
      </Section>
    </>
  );
}
