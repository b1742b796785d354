import { Link } from "@remix-run/react";
import { Item9Signals } from "~/components/safety";
import { When } from "~/components/time";
import { Alert, Badge } from "~/components/ui";
import type { AnyHome } from "./types";

/** PHQ-9 alerts and safety-concern notes no Ember clinician has acknowledged yet. */
export function SafetyNotices({ home, clinician }: { home: AnyHome; clinician: boolean }) {
  const { alerts, safety } = home;
  return (
    <>
      {alerts.length ? (
        <section aria-labelledby="alerts-title">
          <h2 id="alerts-title" className="visually-hidden">
            Unacknowledged safety alerts
          </h2>
          {alerts.map((a) => (
            <Alert key={a.id} kind="error">
              <strong>Urgent safety alert</strong> {a.escalated_at ? <Badge tone="bad">escalated</Badge> : null} for{" "}
              <Link to={`/patients/${a.patient_id}/measures`}>
                {a.last_name}, {a.first_name}
              </Link>
              : <Item9Signals signals={a.signals} takenOn={a.taken_on} />; raised <When at={a.raised_at} />.{" "}
              {clinician
                ? "Acknowledge it with the action taken."
                : "Waiting for an Ember clinician to acknowledge it."}
            </Alert>
          ))}
        </section>
      ) : null}
      {safety.length ? (
        <section aria-labelledby="safety-title">
          <h2 id="safety-title" className="visually-hidden">
            Unacknowledged safety concerns
          </h2>
          {safety.map((c) => (
            <Alert key={c.id} kind="error">
              <strong>Safety concern</strong> {c.escalated_at ? <Badge tone="bad">escalated</Badge> : null} for{" "}
              <Link to={`/patients/${c.patient_id}/notes`}>
                {c.last_name}, {c.first_name}
              </Link>{" "}
              posted by {c.author_name}, <When at={c.created_at} />.{" "}
              {clinician ? "Acknowledge it with your response." : "Waiting for an Ember clinician to acknowledge it."}
            </Alert>
          ))}
        </section>
      ) : null}
    </>
  );
}

/** Care notes the reader has not opened, and (for a psychiatrist) notes waiting for their sign-off. */
export function NotesNotice({ unreadTotal, reviewCount = 0 }: { unreadTotal: number; reviewCount?: number }) {
  if (!unreadTotal && !reviewCount) return null;
  return (
    <p className="alert alert-info" role="status">
      {unreadTotal ? `${unreadTotal} unread care note${unreadTotal === 1 ? "" : "s"} across your patients.` : ""}{" "}
      {reviewCount ? (
        <Link to="/reviews">
          {reviewCount} note{reviewCount === 1 ? "" : "s"} waiting for your review
        </Link>
      ) : null}
    </p>
  );
}
