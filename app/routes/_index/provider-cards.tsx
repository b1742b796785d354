import { Link } from "@remix-run/react";
import { When, WindowRange } from "~/components/time";
import { Badge } from "~/components/ui";
import type { HomeOf } from "./types";

type ProviderHomeData = HomeOf<"provider">;

const MODALITY: Record<string, string> = { WET: "WET", CPT: "CPT", PE: "PE", any: "Any trauma-focused therapy" };
const SETTING: Record<string, string> = {
  in_person: "in person",
  telehealth: "telehealth",
  either: "in person or telehealth",
};

/** Referral offers waiting for the provider's answer, each with the moment it expires. */
export function OffersWaiting({ offers }: { offers: ProviderHomeData["offers"] }) {
  return (
    <section className="card" aria-labelledby="offers-waiting-title">
      <h2 id="offers-waiting-title">
        Referral offers waiting for your answer <Badge tone={offers.length ? "warn" : "good"}>{offers.length}</Badge>
      </h2>
      {offers.length ? (
        <ul>
          {offers.map((o) => (
            <li key={o.id} data-testid="offer-waiting">
              {MODALITY[o.modality]}, {SETTING[o.setting]}
              {o.borough ? ` (${o.borough})` : ""}
              {o.urgency === "urgent" ? (
                <>
                  {" "}
                  <Badge tone="bad">urgent</Badge>
                </>
              ) : null}{" "}
              — answer by <When at={o.expires_at} />
            </li>
          ))}
        </ul>
      ) : (
        <p className="muted">No referral offer is waiting for your answer.</p>
      )}
      <p>
        <Link to="/offers">Answer referral offers</Link>
      </p>
    </section>
  );
}

/** Therapy windows of the provider's patients with no session planned in them: read here, planned on the patient's infusions page. */
export function OpenWindows({ windows }: { windows: ProviderHomeData["windows"] }) {
  return (
    <section className="card" aria-labelledby="open-windows-title">
      <h2 id="open-windows-title">
        Therapy windows with no session planned <Badge tone={windows.length ? "warn" : "good"}>{windows.length}</Badge>
      </h2>
      {windows.length ? (
        <ul>
          {windows.map((w) => (
            <li key={w.id} data-testid="open-window">
              <Link to={`/patients/${w.patient_id}/infusions`}>
                {w.last_name}, {w.first_name}
              </Link>{" "}
              {w.open ? <Badge tone="warn">open now</Badge> : <Badge tone="neutral">opens soon</Badge>} —{" "}
              {w.location_name}, <WindowRange opens={w.ends_at} closes={w.window_closes_at} />
            </li>
          ))}
        </ul>
      ) : (
        <p className="muted">Every open or coming therapy window of your patients has a session planned in it.</p>
      )}
    </section>
  );
}

/** Patients with care notes the provider has not read. */
export function UnreadNotes({ patients }: { patients: ProviderHomeData["unreadPatients"] }) {
  return (
    <section className="card" aria-labelledby="unread-notes-title">
      <h2 id="unread-notes-title">
        Unread care notes{" "}
        <Badge tone={patients.length ? "warn" : "good"}>{patients.reduce((t, p) => t + p.n, 0)}</Badge>
      </h2>
      {patients.length ? (
        <ul>
          {patients.map((p) => (
            <li key={p.patient_id}>
              <Link to={`/patients/${p.patient_id}/notes`}>
                {p.last_name}, {p.first_name}
              </Link>{" "}
              — {p.n} unread
            </li>
          ))}
        </ul>
      ) : (
        <p className="muted">You have read every care note on your patients.</p>
      )}
    </section>
  );
}
