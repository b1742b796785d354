import type { Outcome, Relation, Who, World } from "./route-harness";
import type { Role } from "~/lib/roles";

/**
 * What every role should get from every route: written from what the product promises (see
 * domain.md), not read off the code. The matrix test calls each loader and action and compares.
 *
 * - Outside providers (therapist, psychiatrist) see only their own patients: on the care team
 *   with a current release. Another provider's patient, or one whose release was revoked, is
 *   "not found" (404), exactly like a patient who does not exist.
 * - A page whose data a release scope governs (care notes, infusion schedule and calendars, symptom
 *   measures) is "not found" to an outside provider whose current release leaves that scope out
 *   (the "unscoped" patient: care coordination only); the other patient pages stay open to them.
 * - An outside provider on the care team whose release of information is not recorded yet (the
 *   "awaiting" patient) gets the waiting page instead (403 saying who to ask, no patient data),
 *   on every patient page their role may open: scoped or not, nothing opens before the release.
 * - Ember staff (coordinator, clinician, admin) see every patient.
 * - A page for other roles is 403, whatever the patient: the role is checked before the patient,
 *   so a 403 says nothing about whether a patient exists.
 * - Anonymous callers are sent to sign in, except on the public pages.
 * - An unknown invitation or reset token is 410 (gone); an unknown calendar-feed token, 404.
 */

export type Cells = Record<Who, Outcome>;
export type PatientCells = Record<Who, Record<Relation, Outcome>>;

export interface Expectation {
  /** A short name for the case when a handler has several (e.g. by intent). */
  label?: string;
  /** For an action: the form fields sent. The matrix sends the smallest body that reaches the check under test. */
  body?: Record<string, string> | ((world: World) => Record<string, string>);
  cells: Cells | PatientCells;
}

export interface RouteExpectation {
  loader?: Expectation;
  action?: Expectation[];
}

const ROLES = ["therapist", "psychiatrist", "coordinator", "clinician", "admin"] as const satisfies readonly Role[];
const OUTSIDE: readonly Role[] = ["therapist", "psychiatrist"];

/** The same outcome for everyone, signed in or not. */
function everyone(outcome: Outcome): Cells {
  return {
    anonymous: outcome,
    therapist: outcome,
    psychiatrist: outcome,
    coordinator: outcome,
    clinician: outcome,
    admin: outcome,
  };
}

/** Signed-in users of `roles` get the page; other signed-in users 403; anonymous callers sign in. */
function only(...roles: Role[]): Cells {
  const cells = { anonymous: "login" } as Cells;
  for (const role of ROLES) cells[role] = roles.includes(role) ? "allowed" : "forbidden";
  return cells;
}

const SIGNED_IN = only(...ROLES);

/**
 * A patient-scoped handler open to `roles`: staff among them see every patient; outside
 * providers among them see their own patient and find the others "not found"; other roles 403.
 */
function patient(...roles: Role[]): PatientCells {
  const cells = {
    anonymous: { own: "login", other: "login", revoked: "login", unscoped: "login", awaiting: "login" },
  } as PatientCells;
  for (const role of ROLES) {
    if (!roles.includes(role))
      cells[role] = {
        own: "forbidden",
        other: "forbidden",
        revoked: "forbidden",
        unscoped: "forbidden",
        awaiting: "forbidden",
      };
    else if (OUTSIDE.includes(role))
      cells[role] = {
        own: "allowed",
        other: "not-found",
        revoked: "not-found",
        unscoped: "allowed",
        awaiting: "waiting",
      };
    else
      cells[role] = { own: "allowed", other: "allowed", revoked: "allowed", unscoped: "allowed", awaiting: "allowed" };
  }
  return cells;
}

/** The same cells for a page a release scope governs: outside providers without it find the patient "not found". */
function scoped(cells: PatientCells): PatientCells {
  const out = { ...cells };
  for (const role of OUTSIDE)
    if (cells[role as Who].unscoped === "allowed") out[role as Who] = { ...cells[role as Who], unscoped: "not-found" };
  return out;
}

const one = (cells: Cells | PatientCells, body?: Expectation["body"]): Expectation[] => [{ cells, body }];

export const EXPECTATIONS: Record<string, RouteExpectation> = {
  // The 404 page for any unknown address: public.
  $: { loader: { cells: everyone("not-found") } },

  // Home: the roster, and the search form posts (names stay out of URLs).
  _index: { loader: { cells: SIGNED_IN }, action: one(SIGNED_IN) },

  "account._index": { loader: { cells: SIGNED_IN }, action: one(SIGNED_IN) },
  "account.mfa": { loader: { cells: SIGNED_IN }, action: one(SIGNED_IN) },
  "account.sessions": { loader: { cells: SIGNED_IN }, action: one(SIGNED_IN) },

  "admin.audit": {
    loader: { cells: only("admin") },
    // Finding a patient's access history searches every patient: an administrator only.
    action: one(only("admin"), { q: "Patient" }),
  },
  "admin.audit[.csv]": { loader: { cells: only("admin") } },
  "admin.mail": { loader: { cells: only("admin") } },
  // The fallback reviewer and the days before a waiting review reaches the work list. The body leaves the days out: refused, nothing saved.
  "admin.review-settings": { loader: { cells: only("admin") }, action: one(only("admin"), { intent: "save" }) },
  // The body names a real user and asks for the state they are already in: reaches the role check and writes nothing.
  // The clinic's list of medications to review: an administrator's. The body asks to remove an entry that does not exist.
  "admin.medications": {
    loader: { cells: only("admin") },
    action: one(only("admin"), { intent: "retire", entryId: "00000000-0000-4000-8000-000000000000" }),
  },
  // Deactivating is confirmed with a reason: the body leaves it out, so the form is refused and nobody is deactivated.
  "admin.users_.$userId.deactivate": { loader: { cells: only("admin") }, action: one(only("admin"), { reason: "" }) },
  "admin.users": {
    loader: { cells: only("admin") },
    action: one(only("admin"), (world) => ({ intent: "reactivate", userId: world.bystander.id })),
  },

  // Public: the token is the credential; an unknown one finds nothing.
  "calendar-feed.$token": { loader: { cells: everyone("not-found") } },
  // The clinic's day and week: Ember staff only; outside providers have "Upcoming infusions".
  "clinic-schedule": { loader: { cells: only("coordinator", "clinician", "admin") } },
  // Public in local development (a mail provider or production removes it).
  // Asked from another machine (the matrix's address is not loopback): an administrator only.
  "dev.mail": { loader: { cells: { ...everyone("not-found"), admin: "allowed" } } },
  "forgot-password": { action: one(everyone("allowed")) },

  invitations: { loader: { cells: only("coordinator", "admin") }, action: one(only("coordinator", "admin")) },
  "join.$token": { loader: { cells: everyone("gone") }, action: one(everyone("gone")) },

  login: { loader: { cells: everyone("allowed") }, action: one(everyone("allowed")) },
  // Without a pending password step there is nothing to verify: back to sign-in.
  "login_.verify": { loader: { cells: everyone("login") }, action: one(everyone("allowed")) },
  // Signing out always ends at the sign-in page.
  logout: { loader: { cells: everyone("allowed") }, action: one(everyone("login")) },

  offers: { loader: { cells: only("therapist", "psychiatrist") }, action: one(only("therapist", "psychiatrist")) },

  // Recording an eligibility discussion is a clinician's.
  "patients.$patientId._index": { loader: { cells: patient(...ROLES) }, action: one(patient("clinician")) },
  "patients.$patientId.calendar[.ics]": { loader: { cells: scoped(patient(...ROLES)) } },
  "patients.$patientId.care-team": { loader: { cells: patient(...ROLES) }, action: one(patient("coordinator")) },
  "patients.$patientId.edit": { loader: { cells: patient("coordinator") }, action: one(patient("coordinator")) },
  "patients.$patientId.engagement": {
    loader: { cells: patient(...ROLES) },
    action: one(patient("therapist", "psychiatrist")),
  },
  "patients.$patientId.infusions": {
    loader: { cells: scoped(patient(...ROLES)) },
    action: [
      { label: "clinician intents", cells: scoped(patient("clinician")) },
      { label: "preview a course", body: { intent: "preview" }, cells: scoped(patient("clinician")) },
      {
        label: "provider intents",
        body: { intent: "plan-session" },
        cells: scoped(patient("therapist", "psychiatrist")),
      },
      ...["move-session", "cancel-session", "restore-session"].map((intent) => ({
        label: `provider intents: ${intent}`,
        body: { intent },
        cells: scoped(patient("therapist", "psychiatrist")),
      })),
    ],
  },
  "patients.$patientId.measures": {
    loader: { cells: scoped(patient(...ROLES)) },
    action: [
      {
        label: "record a measure",
        body: { intent: "PHQ9" },
        cells: scoped(patient("therapist", "psychiatrist", "clinician")),
      },
      { label: "acknowledge a safety alert", body: { intent: "acknowledge" }, cells: scoped(patient("clinician")) },
    ],
  },
  "patients.$patientId.notes": { loader: { cells: scoped(patient(...ROLES)) }, action: one(scoped(patient(...ROLES))) },
  "patients.$patientId.referrals": {
    loader: { cells: patient("coordinator", "admin", "clinician") },
    action: one(patient("coordinator")),
  },
  // Medications: Ember staff and the outside psychiatrist keep the list; a review for a course is a clinician's.
  "patients.$patientId.medications": {
    loader: { cells: patient("clinician", "coordinator", "admin", "psychiatrist") },
    action: [
      { label: "add", body: { intent: "add" }, cells: patient("clinician", "coordinator", "admin", "psychiatrist") },
      { label: "review", body: { intent: "review" }, cells: patient("clinician") },
    ],
  },
  // A visit's page (the pre-infusion check and the infusion record) is Ember staff's; each step on it, a clinician's.
  "patients.$patientId.visits.$visitId": {
    loader: { cells: patient("clinician", "coordinator", "admin") },
    action: one(patient("clinician"), { intent: "complete-check" }),
  },
  "patients.new": { loader: { cells: only("coordinator") }, action: one(only("coordinator")) },

  profile: { loader: { cells: only("therapist", "psychiatrist") }, action: one(only("therapist", "psychiatrist")) },
  "providers.$userId": { loader: { cells: only("coordinator") }, action: one(only("coordinator")) },
  "providers._index": { loader: { cells: only("coordinator", "admin") } },

  "referrals.$referralId": { loader: { cells: only("coordinator", "admin") }, action: one(only("coordinator")) },
  "referrals._index": { loader: { cells: only("coordinator", "admin") } },
  "referrals[.csv]": { loader: { cells: only("coordinator", "admin") } },

  // A valid new password reaches the token check.
  "reset-password.$token": {
    loader: { cells: everyone("gone") },
    action: one(everyone("gone"), {
      password: "a long enough password 1",
      confirmPassword: "a long enough password 1",
    }),
  },

  // Signing off or returning a note: a psychiatrist's. The empty body is refused by the form (400).
  reviews: { loader: { cells: only("psychiatrist") }, action: one(only("psychiatrist"), { intent: "return" }) },
  schedule: { loader: { cells: only("therapist", "psychiatrist") }, action: one(only("therapist", "psychiatrist")) },
  settings: { loader: { cells: SIGNED_IN }, action: one(SIGNED_IN) },
  "work-list": { loader: { cells: only("coordinator", "admin") } },
};

export function isPatientCells(cells: Cells | PatientCells): cells is PatientCells {
  return typeof cells.anonymous === "object";
}
