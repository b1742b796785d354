import { NavLink } from "@remix-run/react";
import { Badge } from "./ui";
import { formatDate } from "~/lib/time";
import type { Role } from "~/lib/roles";
import type { PatientSummary } from "~/modules/patients/labels";

const STATUS_BADGE = {
  engaged: { tone: "good", label: "Engaged with an outside provider" },
  lapsed: { tone: "bad", label: "Engagement lapsed" },
  none: { tone: "warn", label: "No engaged provider" },
} as const;

export function EngagementBadge({ status }: { status: keyof typeof STATUS_BADGE }) {
  const b = STATUS_BADGE[status];
  return <Badge tone={b.tone}>{b.label}</Badge>;
}

export function PatientHeader({
  patient,
  role,
  status,
}: {
  patient: PatientSummary;
  role: Role;
  status?: keyof typeof STATUS_BADGE;
}) {
  const base = `/patients/${patient.id}`;
  return (
    <div className="patient-header">
      <div className="page-header">
        <div>
          <h1>
            {patient.last_name}, {patient.first_name}
          </h1>
          <p className="lead">
            {patient.record_number} · born {formatDate(patient.date_of_birth)} · {patient.location_name} ·{" "}
            {patient.insurance}
          </p>
          <p className="muted">
            Calendar ref <strong data-testid="calendar-code">{patient.calendar_code}</strong>: how calendar events name
            this patient
          </p>
        </div>
        {status ? <EngagementBadge status={status} /> : null}
      </div>
      <nav aria-label="Patient sections" className="tabs">
        <ul>
          <li>
            <NavLink to={base} end>
              Overview
            </NavLink>
          </li>
          <li>
            <NavLink to={`${base}/care-team`}>Care team</NavLink>
          </li>
          <li>
            <NavLink to={`${base}/engagement`}>Engagement</NavLink>
          </li>
          <li>
            <NavLink to={`${base}/infusions`}>Infusions</NavLink>
          </li>
          <li>
            <NavLink to={`${base}/notes`}>Care notes</NavLink>
          </li>
          <li>
            <NavLink to={`${base}/measures`}>Measures</NavLink>
          </li>
          {role !== "therapist" ? (
            <li>
              <NavLink to={`${base}/medications`}>Medications</NavLink>
            </li>
          ) : null}
          {role === "coordinator" || role === "admin" || role === "clinician" ? (
            <li>
              <NavLink to={`${base}/referrals`}>Referrals</NavLink>
            </li>
          ) : null}
          {role === "coordinator" ? (
            <li>
              <NavLink to={`${base}/edit`}>Edit record</NavLink>
            </li>
          ) : null}
          {role === "admin" ? (
            <li>
              <NavLink to={`/admin/audit?patientId=${patient.id}`}>Access history</NavLink>
            </li>
          ) : null}
        </ul>
      </nav>
    </div>
  );
}

export const RISK_FLAG_BANNERS: Record<string, string> = {
  dissociation:
    "History of dissociation or complex trauma — coordinate with the outside team before and after each infusion.",
  substance_use: "History of substance use — coordinate with the outside team before and after each infusion.",
};

export function RiskBanners({ flags }: { flags: string[] }) {
  if (flags.length === 0) return null;
  return (
    <div aria-label="Risk flags">
      {flags.map((flag) => (
        <div key={flag} className="alert alert-warning" role="note">
          <strong>Coordinate with the outside team.</strong> {RISK_FLAG_BANNERS[flag] ?? flag}
        </div>
      ))}
    </div>
  );
}
