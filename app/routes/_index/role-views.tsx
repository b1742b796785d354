import { Link } from "@remix-run/react";
import { EmptyState, PageHeader } from "~/components/ui";
import { NotesNotice, SafetyNotices } from "./notices";
import { OffersWaiting, OpenWindows, UnreadNotes } from "./provider-cards";
import { PatientRoster } from "./roster";
import { InvitationsCard, WorkListCard } from "./staff-cards";
import type { HomeOf } from "./types";

interface ViewProps<V extends string> {
  name: string;
  page: number;
  home: HomeOf<V>;
}

const staffWelcome = (name: string) =>
  `Welcome, ${name}. Every Ember patient, with their preferred clinic and engagement.`;

const NO_PATIENTS_YET = (
  <EmptyState title="No patients yet">
    <p>Patients appear here once a care coordinator creates their record.</p>
  </EmptyState>
);

export function ProviderHome({ name, page, home }: ViewProps<"provider">) {
  return (
    <>
      <PageHeader
        title="My patients"
        description={`Welcome, ${name}. These are the Ember patients whose care team you are on and whose release of information is current.`}
      />
      <SafetyNotices home={home} clinician={false} />
      <NotesNotice unreadTotal={0} reviewCount={home.reviewCount} />
      <OffersWaiting offers={home.offers} />
      <OpenWindows windows={home.windows} />
      <UnreadNotes patients={home.unreadPatients} />
      <PatientRoster
        home={home}
        page={page}
        caption="My patients"
        empty={
          <EmptyState title="No patients shared with you yet">
            <p>
              A patient appears here once an Ember care coordinator adds you to their care team and records the
              patient&apos;s release of information. If you expected a patient, contact the Ember care coordination
              team.
            </p>
          </EmptyState>
        }
      />
    </>
  );
}

export function CoordinatorHome({ name, page, home }: ViewProps<"coordinator">) {
  return (
    <>
      <PageHeader
        title="Patients"
        description={staffWelcome(name)}
        actions={
          <Link to="/patients/new" className="button">
            New patient
          </Link>
        }
      />
      <SafetyNotices home={home} clinician={false} />
      <NotesNotice unreadTotal={home.unreadTotal} />
      <div className="grid">
        <WorkListCard workList={home.workList} />
        <InvitationsCard openInvitations={home.openInvitations} />
      </div>
      <PatientRoster
        home={home}
        page={page}
        caption="All patients"
        empty={
          <EmptyState title="No patients yet">
            <p>
              <Link to="/patients/new">Create the first patient record</Link>.
            </p>
          </EmptyState>
        }
      />
    </>
  );
}

export function ClinicianHome({ name, page, home }: ViewProps<"clinician">) {
  return (
    <>
      <PageHeader title="Patients" description={staffWelcome(name)} />
      <SafetyNotices home={home} clinician />
      <NotesNotice unreadTotal={home.unreadTotal} />
      <PatientRoster home={home} page={page} caption="All patients" empty={NO_PATIENTS_YET} />
    </>
  );
}

export function AdminHome({ name, page, home }: ViewProps<"admin">) {
  return (
    <>
      <PageHeader title="Patients" description={staffWelcome(name)} />
      <SafetyNotices home={home} clinician={false} />
      <NotesNotice unreadTotal={home.unreadTotal} />
      <div className="grid">
        <InvitationsCard openInvitations={home.openInvitations} />
      </div>
      <PatientRoster home={home} page={page} caption="All patients" empty={NO_PATIENTS_YET} />
    </>
  );
}
