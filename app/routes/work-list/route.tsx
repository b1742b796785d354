import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { auditContextOf, requireActor } from "~/auth/session.server";
import { Badge, PageHeader } from "~/components/ui";
import { pageParam } from "~/lib/params";
import { formatDate, formatDateTime } from "~/lib/time";
import { recordAudit } from "~/audit/audit.server";
import {
  coordinatorWorkList,
  WORK_LIST_PAGE_SIZE,
  WORK_LISTS,
  type WorkListPages,
} from "~/modules/work-list/work-list.server";
import { ROLE_LABELS } from "~/lib/roles";

import {
  AwaitingRelease,
  InfusionLoops,
  ProvisionalIntakes,
  SAFETY_ALERT_DAYS,
  SafetyAlerts,
  Section,
  StaleReviews,
} from "./sections";

export const meta: MetaFunction = () => [{ title: "Work list · Ember Health Provider Portal" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const actor = await requireActor(request, context, ["coordinator", "admin"]);
  const pages = Object.fromEntries(WORK_LISTS.map((name) => [name, pageParam(request, name)])) as WorkListPages;
  const now = context.now();
  const list = await coordinatorWorkList(context.db, actor, now, pages, SAFETY_ALERT_DAYS);
  await recordAudit(context.db, auditContextOf(context, actor), {
    action: "work_list.view",
    entityType: "patient",
    detail: {
      patientIds: [
        ...new Set([
          ...list.awaitingRelease.map((r) => r.patient_id),
          ...list.provisionalIntakes.map((r) => r.patient_id),
          ...list.unengaged.map((r) => r.id),
          ...list.expiringConfirmations.map((r) => r.patient_id),
          ...list.expiringReleases.map((r) => r.patient_id),
          ...list.windows.map((w) => w.patient_id),
          ...list.boosters.map((b) => b.patient_id),
          ...list.lapsedWithVisits.map((l) => l.id),
          ...list.gateOverrides.map((o) => o.patient_id),
          ...list.safetyAlerts.map((a) => a.patient_id),
          ...list.staleReviews.map((r) => r.patient_id),
        ]),
      ],
    },
  });
  return { ...list, pages, pageSize: WORK_LIST_PAGE_SIZE };
}

export default function WorkList() {
  const {
    unengaged,
    expiringConfirmations,
    expiringReleases,
    staleInvitations,
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
      <AwaitingRelease />
      <ProvisionalIntakes />
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
      <InfusionLoops />
      <StaleReviews />
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
