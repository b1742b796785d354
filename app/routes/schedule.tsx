import type { ActionFunctionArgs, AppLoadContext, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import type { Actor } from "~/auth/actor";
import { Link, useActionData, useLoaderData, useLocation } from "@remix-run/react";
import { auditContextOf, requireActor } from "~/auth/session.server";
import { protocolProgress, sessionLabel } from "~/modules/infusions/labels";
import { DataTable } from "~/components/data-table";
import { Form } from "~/components/form";
import { When, WindowRange } from "~/components/time";
import { Alert, Badge, EmptyState, PageHeader, Pagination } from "~/components/ui";
import { pageParam } from "~/lib/params";
import { clinicToday } from "~/lib/time";
import { recordAudit, type AuditContext } from "~/audit/audit.server";
import { dispatchIntent } from "~/lib/intents.server";
import { issueCalendarFeed, revokeCalendarFeeds } from "~/modules/infusions/calendar.server";
import { providerSchedule } from "~/modules/infusions/schedule.server";
import { OUTSIDE_PROVIDER_ROLES } from "~/lib/roles";

export const meta: MetaFunction = () => [{ title: "Upcoming infusions · Ember Health Provider Portal" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const actor = await requireActor(request, context, OUTSIDE_PROVIDER_ROLES);
  const now = context.now();
  const today = clinicToday(now);
  const page = pageParam(request);
  const { visits, hasNext, outside, boosters, feed } = await providerSchedule(context.db, actor, { now, today, page });
  await recordAudit(context.db, auditContextOf(context, actor), {
    action: "schedule.view",
    entityType: "patient",
    detail: { patientIds: [...new Set([...visits.map((v) => v.patient_id), ...outside.map((s) => s.patient_id)])] },
  });
  return { page, hasNext, visits, outside, boosters, hasFeed: Boolean(feed), feedSince: feed?.created_at ?? null };
}

interface FeedChange {
  context: AppLoadContext;
  actor: Actor;
  audit: AuditContext;
}

const FEED_INTENTS = {
  async "revoke-feed"({ context, actor, audit }: FeedChange) {
    await revokeCalendarFeeds(context.db, actor, audit, context.now());
    return { feedUrl: null, revoked: true };
  },
  async "issue-feed"({ context, actor, audit }: FeedChange) {
    const token = await issueCalendarFeed(context.db, actor, audit, context.now());
    return { feedUrl: `${context.config.appUrl}/calendar-feed/${token}.ics`, revoked: false };
  },
};

export async function action({ request, context }: ActionFunctionArgs) {
  const actor = await requireActor(request, context, OUTSIDE_PROVIDER_ROLES);
  const formData = await request.formData();
  return dispatchIntent(formData, FEED_INTENTS, { context, actor, audit: auditContextOf(context, actor) });
}

export default function Schedule() {
  const { page, hasNext, visits, outside, boosters, hasFeed, feedSince } = useLoaderData<typeof loader>();
  const location = useLocation();
  const feed = useActionData<typeof action>();
  const initials = (p: { first_name: string; last_name: string }) => `${p.last_name}, ${p.first_name}`;
  return (
    <>
      <PageHeader
        title="Upcoming infusions"
        description="Every infusion visit of your patients whose therapy window has not closed yet, with the sessions planned inside each window. New York time."
      />
      {boosters.map((b) => (
        <Alert key={b.id} kind="warning">
          Booster review due for{" "}
          <Link to={`/patients/${b.patient_id}/infusions`}>
            {b.last_name}, {b.first_name}
          </Link>{" "}
          between {b.due_from} and {b.due_to}.
        </Alert>
      ))}
      <DataTable
        caption="Upcoming infusion visits and therapy windows"
        rows={visits}
        rowKey={(v) => v.id}
        empty={
          page > 1 ? (
            <EmptyState title="No more upcoming infusions">
              <p>
                This page is past the last visit. <Link to="/schedule">Back to the soonest visits</Link>.
              </p>
            </EmptyState>
          ) : (
            <EmptyState title="No upcoming infusions">
              <p>
                When Ember schedules infusions for one of your patients, the visits and the therapy window after each
                one appear here, and you get an email notice.
              </p>
            </EmptyState>
          )
        }
        columns={[
          { header: "Patient", cell: (v) => <Link to={`/patients/${v.patient_id}/infusions`}>{initials(v)}</Link> },
          {
            header: "Visit",
            cell: (v) => (
              <>
                <When at={v.starts_at} />
                {v.kind === "booster" ? <small className="muted"> · booster</small> : null}
              </>
            ),
          },
          { header: "Clinic", cell: (v) => v.location_name },
          { header: "Therapy window", cell: (v) => <WindowRange opens={v.ends_at} closes={v.window_closes_at} /> },
          {
            header: "Progress",
            cell: (v) => protocolProgress(v.progress).join("; ") || <span className="muted">no sessions yet</span>,
          },
          {
            header: "Session planned in the window?",
            cell: (v) =>
              v.sessions.length ? (
                <Badge tone="good">yes: {v.sessions.map(sessionLabel).join(", ")}</Badge>
              ) : (
                <>
                  <Badge tone="warn">no</Badge>{" "}
                  <Link to={`/patients/${v.patient_id}/infusions?plan=${v.id}#plan-title`}>Plan one</Link>
                </>
              ),
          },
        ]}
      />
      {visits.length ? (
        <Pagination page={page} hasNext={hasNext} search={location.search} label="Upcoming infusions: pages" />
      ) : null}

      <h2>Your sessions outside every window</h2>
      {outside.length === 0 ? (
        <p className="muted">None: every session you planned falls inside a therapy window.</p>
      ) : (
        <ul>
          {outside.map((s) => (
            <li key={s.id}>
              <Link to={`/patients/${s.patient_id}/infusions`}>{initials(s)}</Link> — {sessionLabel(s)},{" "}
              <When at={s.starts_at} />{" "}
              {s.visit_id ? (
                <Badge tone="bad">its visit moved: now outside the window</Badge>
              ) : (
                <Badge tone="warn">outside every window</Badge>
              )}
            </li>
          ))}
        </ul>
      )}

      <section className="card" aria-labelledby="feed-title">
        <h2 id="feed-title">Calendar feed</h2>
        <p>
          Subscribe from your calendar app to see these visits and windows. Events carry patient initials only. The
          address is secret: anyone with it can read the feed, so revoke it if it leaks.
        </p>
        {feed?.feedUrl ? (
          <Alert kind="success">
            Your new feed address (shown once; copy it now):{" "}
            <code className="feed-url" data-testid="feed-url">
              {feed.feedUrl}
            </code>
          </Alert>
        ) : null}
        {feed?.revoked ? (
          <Alert kind="info">Your feed address was revoked: calendar apps using it get nothing from now on.</Alert>
        ) : null}
        {hasFeed && !feed?.feedUrl ? (
          <p>
            A feed address is active since <When at={feedSince!} />.
          </p>
        ) : null}
        <Form method="post" className="inline-form">
          <button type="submit" name="intent" value="issue-feed" className="button">
            {hasFeed ? "Replace the feed address" : "Create a feed address"}
          </button>{" "}
          {hasFeed ? (
            <button type="submit" name="intent" value="revoke-feed" className="button button-secondary">
              Revoke the feed address
            </button>
          ) : null}
        </Form>
      </section>
    </>
  );
}
