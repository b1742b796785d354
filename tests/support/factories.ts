import { randomBytes } from "node:crypto";
import { sql } from "kysely";
import type { TeamRole } from "../../db/schema";
import type { Database } from "../../db/engine";
import { LOCATIONS } from "../../db/seed-demo";
import type { Actor } from "~/auth/actor";
import { hashPassword } from "~/auth/password.server";
import { clinicToday } from "~/lib/time";
import type { AuditContext } from "~/audit/audit.server";
import { addCareTeamMember, recordRelease } from "~/modules/patients/care-team.server";
import type { EngagementInput } from "~/modules/engagement/engagement.server";
import { requirePatient } from "~/modules/patients/patients.server";
import { REVIEW_LIST } from "../../db/migrations/2026-12-06T1100-medications";
import type { ReleaseScope } from "~/modules/patients/policy.server";
import type { Role } from "~/lib/roles";

/** The portal's address in the links of messages queued by factories. */
export const TEST_APP_URL = "https://portal.ember.test";

export const TEST_PASSWORD = "correct horse battery staple";

// argon2id at 19 MiB costs ~50 ms a hash: reuse one per distinct password across a file.
const hashes = new Map<string, Promise<string>>();
function cachedHash(password: string): Promise<string> {
  let hashed = hashes.get(password);
  if (!hashed) {
    hashed = hashPassword(password);
    hashes.set(password, hashed);
  }
  return hashed;
}

export interface TestUser {
  id: string;
  email: string;
  name: string;
  role: Role;
  password: string;
}

export const uniqueEmail = (label = "user") => `${label}-${randomBytes(4).toString("hex")}@example.test`;

/** A user of the given role with a real argon2id password hash. Synthetic data only. */
export async function createUser(
  db: Database,
  options: { role: Role; email?: string; name?: string; password?: string; status?: "active" | "deactivated" },
): Promise<TestUser> {
  const password = options.password ?? TEST_PASSWORD;
  const email = (options.email ?? uniqueEmail(options.role)).toLowerCase();
  const name = options.name ?? `Test ${options.role}`;
  const row = await db
    .insertInto("users")
    .values({
      email,
      name,
      role: options.role,
      organisation: options.role === "therapist" || options.role === "psychiatrist" ? "Test Practice" : "Ember Health",
      password_hash: await cachedHash(password),
      status: options.status ?? "active",
      deactivated_at: options.status === "deactivated" ? new Date() : null,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  return { id: row.id, email, name, role: options.role, password };
}

/** The five clinics of the demo data. */
export async function insertLocations(db: Database): Promise<void> {
  await db
    .insertInto("locations")
    .values(LOCATIONS.map((l) => ({ ...l, opens_at: "08:00", closes_at: "19:00" })))
    .onConflict((oc) => oc.column("id").doNothing())
    .execute();
}

/** The audit context a request made by `actor` would carry. */
export function auditContextFor(
  actor: { id: string; role: string } | null,
  request: { ip?: string; requestId?: string } = {},
): AuditContext {
  return {
    actorId: actor?.id ?? null,
    actorRole: actor?.role ?? null,
    ip: request.ip ?? "127.0.0.1",
    requestId: request.requestId ?? `req-${randomBytes(4).toString("hex")}`,
  };
}

/** An actor as `requireActor` would return it for this user. */
export function actorFor(user: Pick<TestUser, "id" | "email" | "name" | "role">): Actor {
  return { id: user.id, email: user.email, name: user.name, role: user.role, sessionId: "test-session" };
}

/**
 * The clinic's settings row. The migration inserts it, but emptying the tables before each test
 * removes it again; every patient, engagement and infusion function reads it.
 */
export async function insertClinicSettings(db: Database): Promise<void> {
  await sql`insert into clinic_settings (id) values (true) on conflict (id) do nothing`.execute(db);
}

/** The clinic's list of medications to review, as a new database has it. */
export async function insertMedicationReviewList(db: Database): Promise<void> {
  await db
    .insertInto("medication_review_list")
    .values(REVIEW_LIST.map(([name, terms]) => ({ name, match_terms: terms })))
    .execute();
}

/** Locations, clinic settings and the medication review list: what the domain modules need to exist. */
export async function insertClinicBasics(db: Database): Promise<void> {
  await insertLocations(db);
  await insertClinicSettings(db);
  await insertMedicationReviewList(db);
}

export interface TestPatient {
  id: string;
  first_name: string;
  last_name: string;
  record_number: string;
}

/** A synthetic patient; insert locations first. */
export async function insertPatient(
  db: Database,
  options: {
    firstName?: string;
    lastName?: string;
    diagnoses?: string[];
    riskFlags?: string[];
    locationId?: string;
  } = {},
): Promise<TestPatient> {
  const suffix = randomBytes(3).toString("hex");
  return db
    .insertInto("patients")
    .values({
      record_number: `TST-${suffix}`,
      first_name: options.firstName ?? "Avery",
      last_name: options.lastName ?? `Testpatient${suffix}`,
      date_of_birth: "1986-03-14",
      preferred_location_id: options.locationId ?? "chelsea",
      insurance: "Aetna",
      diagnoses: options.diagnoses ?? ["ptsd", "mdd"],
      risk_flags: options.riskFlags ?? [],
    })
    .returning(["id", "first_name", "last_name", "record_number"])
    .executeTakeFirstOrThrow();
}

/** An outside provider (therapist or psychiatrist) with a licence on file, as an accepted invitation leaves them. */
export async function createProvider(
  db: Database,
  options: {
    role?: "therapist" | "psychiatrist";
    name?: string;
    email?: string;
    status?: "active" | "deactivated";
  } = {},
): Promise<TestUser> {
  const role = options.role ?? "therapist";
  const user = await createUser(db, {
    ...options,
    role,
    name: options.name ?? (role === "therapist" ? "Dana Whitfield, LCSW" : "Dr. Ravi Castellano"),
  });
  await db
    .insertInto("provider_credentials")
    .values({
      user_id: user.id,
      licence_type: role === "therapist" ? "LCSW" : "MD/DO",
      licence_number: `R-${randomBytes(3).toString("hex")}`,
      licence_state: "NY",
      licence_expires_on: "2028-12-31",
      npi: "1234567893",
    })
    .execute();
  return user;
}

/**
 * Puts a provider on a patient's care team and records a release for them, the way a coordinator
 * does (through the care-team module). Pass `release: null` for membership without a release.
 */
export async function giveAccess(
  db: Database,
  options: {
    patientId: string;
    providerId: string;
    by: Pick<TestUser, "id" | "role">;
    now: Date;
    teamRole?: TeamRole;
    release?: { signedOn: string; expiresOn: string; scope?: string[] } | null;
  },
): Promise<{ memberId: string; releaseId: string | null }> {
  const audit = auditContextFor(options.by);
  const memberId = await addCareTeamMember(db, audit, {
    patientId: options.patientId,
    providerId: options.providerId,
    teamRole: options.teamRole ?? "primary_therapist",
    now: options.now,
    appUrl: TEST_APP_URL,
  });
  if (options.release === null) return settled({ memberId, releaseId: null });
  const release = options.release ?? { signedOn: "2026-01-01", expiresOn: "2030-12-31" };
  const releaseId = await recordRelease(db, audit, {
    patientId: options.patientId,
    providerId: options.providerId,
    signedOn: release.signedOn,
    expiresOn: release.expiresOn,
    scope: release.scope ?? ["care_coordination", "infusion_schedule", "care_notes", "symptom_measures"],
    now: options.now,
    appUrl: TEST_APP_URL,
  });
  return settled({ memberId, releaseId });

  // Access given here is where a test starts, not what it checks: the provider's notices of it
  // (added to the team, record open) are taken out of the outbox so the test counts its own mail.
  async function settled<T>(result: T): Promise<T> {
    await db
      .deleteFrom("email_outbox")
      .where("template", "in", ["care-team-added", "patient-access-opened"])
      .where("text", "like", `%/patients/${options.patientId}%`)
      .execute();
    return result;
  }
}

/** A complete engagement attestation, signed with `signature` (the provider's name to pass). */
export function engagementInput(signature: string, overrides: Partial<EngagementInput> = {}): EngagementInput {
  return {
    treatmentStartedOn: "2026-06-01",
    lastSessionOn: "2026-10-13",
    cadence: "weekly",
    ptsdConfirmed: "yes",
    depression: "mdd",
    traumaTherapy: "WET",
    sessionsHeld: 3,
    signature,
    ...overrides,
  };
}

/** A referral for a WET therapist in Brooklyn or by telehealth, Aetna, English, soon. */
export function referralInput(patientId: string, now: Date, overrides: { needsWindow?: boolean } = {}) {
  return {
    patientId,
    modality: "WET",
    setting: "either",
    borough: "Brooklyn",
    insurance: "Aetna",
    language: "English",
    urgency: "soon",
    needsWindow: false,
    now,
    ...overrides,
  } as const;
}

/** The engagement form as a provider submits it, every field filled as in `engagementInput`. */
export function engagementForm(signature: string): Record<string, string> {
  const input = engagementInput(signature);
  return { ...Object.fromEntries(Object.entries(input).map(([k, v]) => [k, String(v)])), agreesToCoordinate: "yes" };
}

/**
 * An infusion course with 90-minute visits at `starts` and 72-hour windows, inserted directly (no
 * engagement gate, past dates allowed): for tests of what follows a course, not of scheduling.
 */
export async function insertCourse(
  db: Database,
  options: {
    patientId: string;
    clinicianId: string;
    createdBy: string;
    starts: Date[];
    locationId?: string;
    kind?: "course" | "booster";
  },
): Promise<{ courseId: string }> {
  const locationId = options.locationId ?? "chelsea";
  const course = await db
    .insertInto("infusion_courses")
    .values({
      patient_id: options.patientId,
      location_id: locationId,
      clinician_id: options.clinicianId,
      created_by: options.createdBy,
      created_at: options.starts[0]!,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  await db
    .insertInto("infusion_visits")
    .values(
      options.starts.map((startsAt) => ({
        course_id: course.id,
        patient_id: options.patientId,
        location_id: locationId,
        clinician_id: options.clinicianId,
        kind: options.kind ?? "course",
        starts_at: startsAt,
        ends_at: new Date(startsAt.getTime() + 90 * 60_000),
        infusion_minutes: 40,
        window_closes_at: new Date(startsAt.getTime() + 90 * 60_000 + 72 * 3_600_000),
        updated_at: options.starts[0]!,
      })),
    )
    .execute();
  return { courseId: course.id };
}

/**
 * The patient as the gate hands it to a page's reads: for tests that call those reads directly.
 * Throws the gate's 404 when the user may not open the patient (with `scope`, when named).
 */
export function openAs<S extends ReleaseScope = never>(
  db: Database,
  user: Pick<TestUser, "id" | "email" | "name" | "role">,
  patientId: string,
  now: Date,
  scope?: S,
) {
  return requirePatient<S>(db, actorFor(user), auditContextFor(user), patientId, clinicToday(now), "test.open", {
    scope,
  });
}

/** A complete infusion record form, as a clinician fills it in for a visit on 22 July 2026. */
export function infusionRecordForm(): Record<string, string> {
  return {
    intent: "save-record",
    doseMgPerKg: "0.5",
    doseMg: "36",
    route: "IV",
    startedAt: "2026-07-22T10:15",
    endedAt: "2026-07-22T10:55",
    systolicBefore: "128",
    diastolicBefore: "82",
    heartRateBefore: "74",
    dissociation: "1",
    recoveredAt: "2026-07-22T11:20",
    dischargedAt: "2026-07-22T11:30",
    escort: "Partner",
  };
}
