import type { Kysely } from "kysely";
import { MFA_REQUIRED_ROLES } from "../app/auth/mfa.server";
import { hashPassword } from "../app/auth/password.server";
import { sealSecret } from "../app/lib/secrets.server";
import { zonedToUtc, plusDays } from "../app/lib/time";
import { visitTimes, DEFAULT_VISIT_SETTINGS } from "../app/modules/infusions/windows";
import type { DB, TeamRole } from "./schema";
import { seedDemoStory } from "./seed-demo-story";
import { seedDemoClinicDay } from "./seed-demo-clinic-day";
import type { Role } from "../app/lib/roles";

export const LOCATIONS = [
  {
    id: "brooklyn-heights",
    name: "Brooklyn Heights",
    borough: "Brooklyn",
    address: "120 Montague St, Brooklyn, NY 11201",
  },
  { id: "chelsea", name: "Chelsea", borough: "Manhattan", address: "245 W 19th St, New York, NY 10011" },
  { id: "tribeca", name: "Tribeca", borough: "Manhattan", address: "88 Franklin St, New York, NY 10013" },
  {
    id: "upper-east-side",
    name: "Upper East Side",
    borough: "Manhattan",
    address: "1400 Lexington Ave, New York, NY 10128",
  },
  { id: "williamsburg", name: "Williamsburg", borough: "Brooklyn", address: "310 Bedford Ave, Brooklyn, NY 11211" },
] as const;

export const DEMO_PASSWORD = "ember-demo-2026";
/**
 * The demo staff accounts' authenticator key (two-step sign-in is required for Ember staff). Demo
 * data only: it is never loaded in production.
 */
export const DEMO_TOTP_SECRET = "EMBERDEMOSTAFFTOTPKEYJBSWY3DPEHP";

export const DEMO_ACCOUNTS: { email: string; name: string; role: Role; organisation: string }[] = [
  {
    email: "therapist@demo.ember.test",
    name: "Dana Whitfield, LCSW",
    role: "therapist",
    organisation: "Hudson Trauma Therapy (demo)",
  },
  {
    email: "psychiatrist@demo.ember.test",
    name: "Dr. Ravi Castellano",
    role: "psychiatrist",
    organisation: "Gowanus Psychiatry (demo)",
  },
  { email: "coordinator@demo.ember.test", name: "Maya Okafor", role: "coordinator", organisation: "Ember Health" },
  { email: "clinician@demo.ember.test", name: "Dr. Lena Brooks, MD", role: "clinician", organisation: "Ember Health" },
  { email: "admin@demo.ember.test", name: "Sam Ortiz", role: "admin", organisation: "Ember Health" },
];

/** Extra outside therapists with directory profiles, so referral matching has candidates to rank. */
export const DEMO_DIRECTORY = [
  {
    email: "priya.therapist@demo.ember.test",
    name: "Priya Raman, LMHC",
    organisation: "Park Slope Trauma Care (demo)",
    npi: "1326046921",
    modalities: ["WET", "CPT"],
    certified: ["WET"],
    boroughs: ["Brooklyn"],
    telehealth: true,
    insurances: ["Aetna", "Cigna", "VA Community Care", "Self-pay"],
    languages: ["English", "Spanish"],
    slots: 3,
    days: ["mon", "tue", "wed", "thu"],
  },
  {
    email: "marcus.therapist@demo.ember.test",
    name: "Marcus Bell, PsyD",
    organisation: "Harlem Psychology Group (demo)",
    npi: "1942305180",
    modalities: ["PE", "CPT"],
    certified: ["PE"],
    boroughs: ["Manhattan"],
    telehealth: true,
    insurances: ["Aetna", "UnitedHealthcare", "Medicare", "Self-pay"],
    languages: ["English"],
    slots: 2,
    days: ["tue", "thu", "fri"],
  },
  {
    email: "elena.therapist@demo.ember.test",
    name: "Elena Sokolova, LCSW",
    organisation: "Queens Family Counseling (demo)",
    npi: "1154378909",
    modalities: ["WET"],
    certified: [],
    boroughs: ["Queens"],
    telehealth: false,
    insurances: ["Medicaid", "Aetna"],
    languages: ["English", "Russian"],
    slots: 4,
    days: ["mon", "wed", "fri", "sat"],
  },
  {
    email: "jamal.therapist@demo.ember.test",
    name: "Jamal Carter, LMFT",
    organisation: "Chelsea Couples and Trauma (demo)",
    npi: "1780694323",
    modalities: ["CPT"],
    certified: ["CPT"],
    boroughs: ["Manhattan", "Brooklyn"],
    telehealth: true,
    insurances: ["Aetna", "Cigna", "Empire BlueCross BlueShield", "VA Community Care"],
    languages: ["English"],
    slots: 1,
    days: ["mon", "tue", "wed", "thu", "fri"],
  },
];

// Synthetic people: names drawn from common first and last names, no real patient.
const PATIENTS = [
  ["Avery", "Lindqvist", "1986-03-14", "chelsea", "Aetna", ["ptsd", "mdd"], ["dissociation"]],
  ["Jordan", "Baptiste", "1979-11-02", "brooklyn-heights", "VA Community Care", ["ptsd", "mdd"], []],
  ["Riley", "Nakamura", "1992-07-21", "tribeca", "Self-pay", ["ptsd"], []],
  ["Casey", "Oyelaran", "1969-01-30", "upper-east-side", "Medicare", ["ptsd", "bipolar_depression"], ["substance_use"]],
  ["Morgan", "Feldstein", "1990-09-09", "williamsburg", "UnitedHealthcare", ["ptsd", "depressive_symptoms"], []],
  ["Quinn", "Albescu", "1983-05-17", "chelsea", "Cigna", ["mdd"], []],
  [
    "Harper",
    "Delacroix",
    "1975-12-05",
    "brooklyn-heights",
    "VA Community Care",
    ["ptsd", "mdd"],
    ["dissociation", "substance_use"],
  ],
  ["Rowan", "Szabo", "1998-04-11", "tribeca", "Medicaid", ["ptsd", "mdd"], []],
  ["Emerson", "Achterberg", "1988-08-26", "upper-east-side", "Empire BlueCross BlueShield", ["ptsd"], []],
  ["Sage", "Moreau", "1971-02-19", "williamsburg", "Self-pay", ["ptsd", "mdd"], []],
] as const;

const isoDate = (d: Date) => d.toISOString().slice(0, 10);

/**
 * The five clinics, one account per role and ten synthetic patients. Runs once: returns false
 * when the demo accounts already exist.
 */
/** With `enrolStaff`, the demo staff accounts have the demo authenticator key set up (for portals that require it). */
export async function seedDemoData(
  db: Kysely<DB>,
  secretsKey: Buffer,
  now = new Date(),
  enrolStaff = false,
): Promise<boolean> {
  const existing = await db
    .selectFrom("users")
    .select("id")
    .where("email", "=", DEMO_ACCOUNTS[0]!.email)
    .executeTakeFirst();
  if (existing) return false;
  const passwordHash = await hashPassword(DEMO_PASSWORD);

  await db.transaction().execute(async (trx) => {
    await trx
      .insertInto("locations")
      .values(LOCATIONS.map((l) => ({ ...l, opens_at: "08:00", closes_at: "19:00" })))
      .onConflict((oc) => oc.column("id").doNothing())
      .execute();
    const users = await trx
      .insertInto("users")
      .values(
        DEMO_ACCOUNTS.map((a) => ({
          ...a,
          password_hash: passwordHash,
          ...(enrolStaff && MFA_REQUIRED_ROLES.includes(a.role)
            ? { totp_secret_enc: sealSecret(secretsKey, DEMO_TOTP_SECRET), totp_enabled_at: now }
            : {}),
        })),
      )
      .returning(["id", "role"])
      .execute();
    const idOf = (role: Role) => users.find((u) => u.role === role)!.id;
    /** A course visit at 10:00 New York time, `offset` days from today, with the demo clinician. */
    const courseVisitAt10 = (courseId: string, patientId: string, locationId: string, offset: number) => {
      const day = isoDate(plusDays(now, offset));
      const t = visitTimes(zonedToUtc(`${day}T10:00`)!, DEFAULT_VISIT_SETTINGS);
      return {
        course_id: courseId,
        patient_id: patientId,
        location_id: locationId,
        clinician_id: idOf("clinician"),
        kind: "course" as const,
        starts_at: t.startsAt,
        ends_at: t.endsAt,
        infusion_minutes: DEFAULT_VISIT_SETTINGS.infusionMinutes,
        window_closes_at: t.windowClosesAt,
        updated_at: now,
      };
    };
    const licenceExpiry = isoDate(plusDays(now, 400));
    await trx
      .insertInto("provider_credentials")
      .values([
        {
          user_id: idOf("therapist"),
          licence_type: "LCSW",
          licence_number: "R-081234",
          licence_state: "NY",
          licence_expires_on: licenceExpiry,
          npi: "1234567893",
        },
        {
          user_id: idOf("psychiatrist"),
          licence_type: "MD/DO",
          licence_number: "MD-294117",
          licence_state: "NY",
          licence_expires_on: licenceExpiry,
          npi: "1245319599",
        },
      ])
      .execute();

    const patients = await trx
      .insertInto("patients")
      .values(
        PATIENTS.map(([first, last, dob, location, insurance, diagnoses, flags], i) => ({
          record_number: `EMB-${String(1001 + i).padStart(6, "0")}`,
          first_name: first,
          last_name: last,
          date_of_birth: dob,
          preferred_location_id: location,
          insurance,
          diagnoses: [...diagnoses],
          risk_flags: [...flags],
        })),
      )
      .returning("id")
      .execute();

    const coordinator = idOf("coordinator");
    const signed = isoDate(plusDays(now, -20));
    const expires = isoDate(plusDays(now, 345));
    const teams: [number, Role, TeamRole][] = [
      [0, "therapist", "primary_therapist"],
      [1, "therapist", "primary_therapist"],
      [2, "therapist", "primary_therapist"],
      [3, "therapist", "primary_therapist"],
      [0, "psychiatrist", "psychiatrist"],
      [1, "psychiatrist", "psychiatrist"],
      [4, "psychiatrist", "psychiatrist"],
    ];
    for (const [index, role, teamRole] of teams) {
      const patientId = patients[index]!.id;
      const userId = idOf(role);
      await trx
        .insertInto("care_team_members")
        .values({ patient_id: patientId, user_id: userId, team_role: teamRole, added_by: coordinator })
        .execute();
      await trx
        .insertInto("releases_of_information")
        .values({
          patient_id: patientId,
          provider_id: userId,
          signed_on: signed,
          expires_on: expires,
          scope: ["care_coordination", "infusion_schedule", "care_notes", "symptom_measures"],
          recorded_by: coordinator,
        })
        .execute();
    }

    const directory = await trx
      .insertInto("users")
      .values(
        DEMO_DIRECTORY.map((d) => ({
          email: d.email,
          name: d.name,
          role: "therapist" as const,
          organisation: d.organisation,
          password_hash: passwordHash,
        })),
      )
      .returning(["id", "email"])
      .execute();
    for (const d of DEMO_DIRECTORY) {
      const userId = directory.find((u) => u.email === d.email)!.id;
      await trx
        .insertInto("provider_credentials")
        .values({
          user_id: userId,
          licence_type: d.name.split(", ")[1] === "PsyD" ? "Psychologist" : d.name.split(", ")[1]!,
          licence_number: `NY-${d.npi.slice(2, 8)}`,
          licence_state: "NY",
          licence_expires_on: licenceExpiry,
          npi: d.npi,
        })
        .execute();
      await trx
        .insertInto("provider_profiles")
        .values({
          user_id: userId,
          modalities: d.modalities,
          certified_modalities: d.certified,
          boroughs: d.boroughs,
          telehealth: d.telehealth,
          insurances: d.insurances,
          languages: d.languages,
          accepting_new: true,
          open_slots_per_week: d.slots,
          available_days: d.days,
          available_times: ["afternoon"],
        })
        .execute();
    }
    await trx
      .insertInto("provider_profiles")
      .values([
        {
          user_id: idOf("therapist"),
          modalities: ["WET", "PE"],
          certified_modalities: ["WET"],
          boroughs: ["Manhattan"],
          telehealth: true,
          insurances: ["Aetna", "Cigna", "Self-pay"],
          languages: ["English"],
          accepting_new: true,
          open_slots_per_week: 2,
          available_days: ["mon", "wed", "fri"],
          available_times: ["morning"],
        },
        {
          user_id: idOf("psychiatrist"),
          modalities: [],
          certified_modalities: [],
          boroughs: ["Brooklyn"],
          telehealth: true,
          insurances: ["Aetna", "Medicare"],
          languages: ["English", "Hindi"],
          accepting_new: false,
          open_slots_per_week: 0,
          available_days: ["tue"],
          available_times: ["evening"],
        },
      ])
      .execute();

    // Engagement confirmed by the therapist for the first two patients and by the psychiatrist
    // for the fifth, so the eligibility summary and the engagement gate have something to show.
    const confirmed: [number, Role, "WET" | "CPT" | "none"][] = [
      [0, "therapist", "WET"],
      [1, "therapist", "CPT"],
      [4, "psychiatrist", "none"],
    ];
    for (const [index, role, therapy] of confirmed) {
      const provider = DEMO_ACCOUNTS.find((a) => a.role === role)!;
      await trx
        .insertInto("engagement_confirmations")
        .values({
          patient_id: patients[index]!.id,
          provider_id: idOf(role),
          treatment_started_on: isoDate(plusDays(now, -120)),
          last_session_on: isoDate(plusDays(now, -5)),
          cadence: "weekly",
          ptsd_confirmed: true,
          depression: "mdd",
          trauma_therapy: therapy,
          sessions_held: therapy === "none" ? 0 : 2,
          agrees_to_coordinate: true,
          signature_name: provider.name,
          signature_licence: role === "therapist" ? "LCSW R-081234 (NY)" : "MD/DO MD-294117 (NY)",
          confirmed_at: plusDays(now, -10),
          expires_at: plusDays(now, 80),
        })
        .execute();
    }

    // A five-visit course for the first patient, starting in three days at 10:00 New York time.
    const course = await trx
      .insertInto("infusion_courses")
      .values({
        patient_id: patients[0]!.id,
        location_id: "chelsea",
        clinician_id: idOf("clinician"),
        created_by: idOf("clinician"),
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    const visitDays = [3, 5, 7, 10, 12];
    await trx
      .insertInto("infusion_visits")
      .values(visitDays.map((offset) => courseVisitAt10(course.id, patients[0]!.id, "chelsea", offset)))
      .execute();

    // The fourth patient's only confirmation expired two days ago, with two visits since then still
    // unrecorded: the demo's "engagement lapsed with visits booked", where "held" needs an override.
    const therapistAccount = DEMO_ACCOUNTS.find((a) => a.role === "therapist")!;
    await trx
      .insertInto("engagement_confirmations")
      .values({
        patient_id: patients[3]!.id,
        provider_id: idOf("therapist"),
        treatment_started_on: isoDate(plusDays(now, -200)),
        last_session_on: isoDate(plusDays(now, -95)),
        cadence: "every_two_weeks",
        ptsd_confirmed: true,
        depression: "bipolar_depression",
        trauma_therapy: "CPT",
        sessions_held: 6,
        agrees_to_coordinate: true,
        signature_name: therapistAccount.name,
        signature_licence: "LCSW R-081234 (NY)",
        confirmed_at: plusDays(now, -92),
        expires_at: plusDays(now, -2),
      })
      .execute();
    const lapsedCourse = await trx
      .insertInto("infusion_courses")
      .values({
        patient_id: patients[3]!.id,
        location_id: "upper-east-side",
        clinician_id: idOf("clinician"),
        created_by: idOf("clinician"),
        created_at: plusDays(now, -9),
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    await trx
      .insertInto("infusion_visits")
      .values([-2, -1].map((offset) => courseVisitAt10(lapsedCourse.id, patients[3]!.id, "upper-east-side", offset)))
      .execute();

    await seedDemoClinicDay(trx, { now, clinicianId: idOf("clinician"), patientIds: patients.map((p) => p.id) });
    await seedDemoStory(trx, {
      now,
      therapist: idOf("therapist"),
      psychiatrist: idOf("psychiatrist"),
      coordinator,
      clinician: idOf("clinician"),
      patients: patients.map((p) => p.id),
      directory: DEMO_DIRECTORY.map((d) => directory.find((u) => u.email === d.email)!.id),
    });
  });
  return true;
}
