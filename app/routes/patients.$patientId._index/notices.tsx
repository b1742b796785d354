import { Link } from "@remix-run/react";
import { Item9Signals } from "~/components/safety";
import { When } from "~/components/time";
import { Alert, Badge } from "~/components/ui";
import type { OverviewData } from "./types";

/** Safety signals no Ember clinician has acknowledged yet, each linking to where it was raised. */
export function OpenSafetyAlerts({ patientId, alerts }: { patientId: string; alerts: OverviewData["safetyAlerts"] }) {
  if (!alerts.length) return null;
  return (
    <section aria-labelledby="open-safety-title">
      <h2 id="open-safety-title" className="visually-hidden">
        Unacknowledged safety signals
      </h2>
      {alerts.map((a) => (
        <Alert key={a.id} kind="error">
          <strong>{a.note_id ? "Safety concern" : "Urgent safety alert"}</strong>{" "}
          {a.escalated_at ? <Badge tone="bad">escalated</Badge> : null}{" "}
          {a.note_id ? null : (
            <>
              (<Item9Signals signals={a.signals} takenOn={a.taken_on} />){" "}
            </>
          )}
          raised <When at={a.raised_at} />, not yet acknowledged by an Ember clinician.{" "}
          <Link to={`/patients/${patientId}/${a.note_id ? "notes" : "measures"}`}>
            {a.note_id ? "Read it in the care notes" : "See it on the symptom measures"}
          </Link>
        </Alert>
      ))}
    </section>
  );
}

/** What this viewer's release leaves out, so a page that is not found has a reason. */
export function NotCovered({ parts }: { parts: OverviewData["notCovered"] }) {
  if (!parts.length) return null;
  return (
    <section className="card" aria-labelledby="release-title">
      <h2 id="release-title">What your release of information does not cover</h2>
      <p>The patient's release for you does not allow sharing these, so their pages are not available to you:</p>
      <ul data-testid="not-covered">
        {parts.map((part) => (
          <li key={part}>{part}</li>
        ))}
      </ul>
    </section>
  );
}
