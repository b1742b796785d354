import type { Executor } from "../../../db/engine";
import type { Actor } from "~/auth/actor";
import type { AuditContext } from "~/audit/audit.server";
import { openSafetyAlerts } from "~/modules/measures/alerts.server";
import { openSafetyConcerns, reviewQueue, unreadNotesByPatient } from "~/modules/notes/queues.server";
import { listPatients } from "~/modules/patients/roster.server";
import { countOpenInvitations } from "~/modules/users/invitations.server";
import { workListCounts } from "~/modules/work-list/work-list.server";
import { providerAgenda } from "./provider-agenda.server";

interface HomeOptions {
  page: number;
  today: string;
  now: Date;
}

/**
 * What every home page starts with: the patients the actor may see (a page of the roster), the
 * safety alerts and concerns still waiting for a clinician, and the care notes they have not read.
 */
async function patientOverview(db: Executor, actor: Actor, audit: AuditContext, { page, today, now }: HomeOptions) {
  const [patients, safety, unread, alerts] = await Promise.all([
    listPatients(db, actor, audit, { page, today, now }),
    openSafetyConcerns(db, actor, today),
    unreadNotesByPatient(db, actor, today),
    openSafetyAlerts(db, actor, today),
  ]);
  return {
    ...patients,
    safety,
    alerts,
    unread: Object.fromEntries(unread.map((u) => [u.patient_id, u.n])),
    unreadPatients: unread,
    unreadTotal: unread.reduce((total, u) => total + u.n, 0),
  };
}

/**
 * An outside provider: their own patients, the referral offers waiting for their answer, therapy
 * windows with no session planned, unread notes, and (for a psychiatrist) the notes waiting for their sign-off.
 */
async function providerHome(db: Executor, actor: Actor, audit: AuditContext, options: HomeOptions) {
  const [overview, reviews, agenda] = await Promise.all([
    patientOverview(db, actor, audit, options),
    reviewQueue(db, actor, options.today),
    providerAgenda(db, actor, audit, options),
  ]);
  return { view: "provider" as const, ...overview, ...agenda, reviewCount: reviews.length };
}

/** A care coordinator keeps every loop closed: the work list and the invitations still open. */
async function coordinatorHome(db: Executor, actor: Actor, audit: AuditContext, options: HomeOptions) {
  const [overview, workList, openInvitations] = await Promise.all([
    patientOverview(db, actor, audit, options),
    workListCounts(db, options.now),
    countOpenInvitations(db, options.now),
  ]);
  return { view: "coordinator" as const, ...overview, workList, openInvitations };
}

/** An infusion clinician acknowledges the safety alerts and concerns the others only see. */
async function clinicianHome(db: Executor, actor: Actor, audit: AuditContext, options: HomeOptions) {
  return { view: "clinician" as const, ...(await patientOverview(db, actor, audit, options)) };
}

/** Ember operations: every patient, and the invitations still open. */
async function adminHome(db: Executor, actor: Actor, audit: AuditContext, options: HomeOptions) {
  const [overview, openInvitations] = await Promise.all([
    patientOverview(db, actor, audit, options),
    countOpenInvitations(db, options.now),
  ]);
  return { view: "admin" as const, ...overview, openInvitations };
}

const HOME_BY_ROLE = {
  therapist: providerHome,
  psychiatrist: providerHome,
  coordinator: coordinatorHome,
  clinician: clinicianHome,
  admin: adminHome,
} satisfies Record<Actor["role"], unknown>;

/** The home page the actor's role is given. */
export function homeFor(db: Executor, actor: Actor, audit: AuditContext, options: HomeOptions) {
  return HOME_BY_ROLE[actor.role](db, actor, audit, options);
}
