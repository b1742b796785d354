import { Link } from "@remix-run/react";
import { Badge } from "~/components/ui";
import { formatDateTime } from "~/lib/time";
import type { OverviewData } from "./types";

/** Each outside provider's latest engagement confirmation, and why one no longer counts. */
export function Engagements({
  patientId,
  role,
  engagements,
}: {
  patientId: string;
  role: OverviewData["role"];
  engagements: OverviewData["engagements"];
}) {
  return (
    <section className="card" aria-labelledby="engagement-title">
      <h2 id="engagement-title">Outside providers' engagement</h2>
      {engagements.length === 0 ? (
        <p>
          No provider has confirmed engagement yet.{" "}
          {role === "therapist" || role === "psychiatrist" ? (
            <Link to={`/patients/${patientId}/engagement`}>Confirm that you actively treat this patient</Link>
          ) : (
            "A provider on the care team confirms it from this patient's Engagement page."
          )}
        </p>
      ) : (
        <ul>
          {engagements.map((e) => (
            <li key={`${e.provider_name}-${e.confirmed_at}`}>
              {e.provider_name}:{" "}
              {e.active ? <Badge tone="good">active</Badge> : <Badge tone="bad">engagement lapsed</Badge>} confirmed{" "}
              {formatDateTime(e.confirmed_at)}, {e.active ? "valid until" : "expired"} {formatDateTime(e.expires_at)}
              {!e.on_team
                ? " · no longer on the care team"
                : !e.release_current
                  ? " · release of information not current"
                  : ""}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
