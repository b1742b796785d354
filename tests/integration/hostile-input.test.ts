import fc from "fast-check";
import { sql } from "kysely";
import { describe, expect, it } from "vitest";
import { zonedToUtc } from "~/lib/time";
import { recordMeasure } from "~/modules/measures/measures.server";
import { addMedication } from "~/modules/medications/medications.server";
import { postNote } from "~/modules/notes/notes.server";
import { planTherapySession } from "~/modules/infusions/sessions.server";
import { openReferral } from "~/modules/referrals/referrals.server";
import { offerReferral } from "~/modules/referrals/offers.server";
import { createInvitation } from "~/modules/users/invitations.server";
import { requestPasswordReset } from "~/modules/users/password-reset.server";
import { describeEachEngine } from "../support/db";
import {
  actorFor,
  auditContextFor,
  engagementForm,
  infusionRecordForm,
  insertCourse,
  TEST_PASSWORD,
  type TestUser,
} from "../support/factories";
import { TEST_SECRETS_KEY, tokensSentTo } from "../support/mail";
import {
  buildWorld,
  callRoute,
  describeObserved,
  NOW,
  paramsFor,
  PATIENT_SCOPED,
  ROUTES,
  signIn,
  type RouteInfo,
  type Who,
  type World,
} from "../support/route-harness";

/**
 * Hostile form bodies against every route action, generated with fast-check: the route's real
 * field names and random ones, wrong types, 100 KB strings, NUL, bidi marks, emoji, lone
 * surrogates (FormData turns them into U+FFFD), SQL and script fragments, duplicated fields,
 * forged UUIDs and real ids of other patients' records, and a random or real `intent`. Each is
 * sent by a role allowed to use the action, on a patient it may see; patient-scoped actions are
 * also sent by a provider on a patient they may not see.
 *
 * What must hold for every body:
 * - no 5xx and no thrown error other than a Response: bad input is the caller's problem (4xx);
 * - a 4xx writes nothing: every table keeps its row count, except audit_events, which may gain
 *   rows with outcome 'denied' or 'failure' (a refused attempt is itself worth recording), and
 *   throttle_hits, which counts failed sign-in and reset attempts so that guessing gets slower;
 * - a refused provider gets 403 or 404, whatever the body;
 * - the audit log stays readable: every new row's action is a short dotted name, never text the
 *   caller chose;
 * - nothing done through one patient's address changes another patient's records.
 */

const RUNS = 25;
/** Per refused relation (another provider's patient, a revoked release, a release not recorded yet). */
const REFUSED_RUNS = 5;
const SEED = Number(process.env.HOSTILE_SEED ?? 20261128);
const APP_URL = "https://portal.ember.test";
const TODAY = "2026-10-20";
const AUDIT_ACTION = /^[a-z_]+\.[a-z_.-]{1,60}$/;

function ny(local: string): Date {
  const instant = zonedToUtc(local);
  if (!instant) throw new Error(`${local} does not exist in New York`);
  return instant;
}

/** Ids of real records the valid bodies below point at, and everything worth forging. */
interface Furnished {
  ids: string[];
  names: string[];
  joinToken: string;
  resetToken: string;
  own: {
    note: string;
    concern: string;
    pastVisit: string;
    futureVisit: string;
    session: string;
    alert: string;
    review: string;
    offer: string;
    member: string;
    release: string;
    medication: string;
  };
  invitation: string;
  reviewEntry: string;
}

type Form = Record<string, string | string[]>;

/** Who sends the bodies, and one valid body per intent (key "" for an action without intents). */
interface Target {
  route: string;
  as: Who;
  valid: (w: World, f: Furnished) => Record<string, Form>;
}

const PROFILE: Form = {
  modalities: ["WET", "CPT"],
  certifiedModalities: ["WET"],
  licenceStates: "NY, NJ",
  boroughs: ["Brooklyn"],
  practiceAddress: "1 Synthetic Street, Brooklyn",
  telehealth: "yes",
  insurances: ["Aetna"],
  languages: ["English"],
  acceptingNew: "yes",
  openSlotsPerWeek: "3",
  availableDays: ["mon", "wed"],
  availableTimes: ["morning"],
};
const PATIENT: Form = {
  firstName: "Quinn",
  lastName: "Synthetic",
  dateOfBirth: "1990-05-01",
  preferredLocationId: "chelsea",
  insurance: "Aetna",
  diagnoses: ["ptsd", "mdd"],
  riskFlags: ["dissociation"],
};
const items = (n: number, answer: string) =>
  Object.fromEntries(Array.from({ length: n }, (_, i) => [`item${i + 1}`, answer]));

const TARGETS: Target[] = [
  { route: "_index", as: "therapist", valid: () => ({ "": { q: "Lindqvist", page: "1" } }) },
  {
    route: "account._index",
    as: "therapist",
    valid: () => ({
      password: {
        intent: "password",
        currentPassword: TEST_PASSWORD,
        newPassword: "another long password 2",
        confirmPassword: "another long password 2",
      },
      email: { intent: "email", currentPassword: TEST_PASSWORD, newEmail: "dana.new@example.test" },
      "recovery-codes": { intent: "recovery-codes", currentPassword: TEST_PASSWORD },
      "disable-mfa": { intent: "disable-mfa", currentPassword: TEST_PASSWORD, currentCode: "123456" },
    }),
  },
  {
    route: "account.mfa",
    as: "coordinator",
    valid: () => ({
      "": { secret: "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP", code: "123456", currentPassword: TEST_PASSWORD },
    }),
  },
  {
    route: "account.sessions",
    as: "therapist",
    valid: () => ({ everywhere: { intent: "everywhere" }, "": { session: "a".repeat(64) } }),
  },
  { route: "admin.audit", as: "admin", valid: () => ({ "": { q: "Testpatient" } }) },
  {
    route: "admin.users",
    as: "admin",
    valid: (w) => ({
      reactivate: { intent: "reactivate", userId: w.bystander.id },
    }),
  },
  { route: "admin.users_.$userId.deactivate", as: "admin", valid: () => ({ "": { reason: "Left the practice." } }) },
  { route: "forgot-password", as: "anonymous", valid: (w) => ({ "": { email: w.users.clinician.email } }) },
  {
    route: "invitations",
    as: "coordinator",
    valid: (_w, f) => ({
      "": { email: "another-provider@example.test", role: "therapist" },
      resend: { intent: "resend", invitationId: f.invitation },
      revoke: { intent: "revoke", invitationId: f.invitation },
    }),
  },
  {
    route: "join.$token",
    as: "anonymous",
    valid: () => ({
      "": {
        name: "Dr. Synthetic Psychiatrist",
        organisation: "Synthetic Practice",
        password: "a long enough password 1",
        confirmPassword: "a long enough password 1",
        licenceType: "MD/DO",
        licenceNumber: "R-1234",
        licenceState: "NY",
        licenceExpiresOn: "2028-12-31",
        npi: "1234567893",
      },
    }),
  },
  {
    route: "login",
    as: "anonymous",
    valid: (w) => ({ "": { email: w.users.therapist.email, password: TEST_PASSWORD, redirectTo: "/schedule" } }),
  },
  { route: "login_.verify", as: "anonymous", valid: () => ({ "": { code: "123456", redirectTo: "/" } }) },
  { route: "logout", as: "therapist", valid: () => ({ "": {} }) },
  {
    route: "offers",
    as: "therapist",
    valid: (_w, f) => ({
      accept: { intent: "accept", offerId: f.own.offer },
      decline: { intent: "decline", offerId: f.own.offer, reason: "No openings this month." },
    }),
  },
  {
    route: "patients.$patientId._index",
    as: "clinician",
    valid: () => ({ "": { discussedOn: "2026-10-19", note: "Discussed the mixed evidence." } }),
  },
  {
    route: "patients.$patientId.care-team",
    as: "coordinator",
    valid: (w, f) => ({
      add: { intent: "add", providerId: w.otherTherapist.id, teamRole: "other" },
      invite: {
        intent: "invite",
        email: "team-invite@example.test",
        providerRole: "psychiatrist",
        teamRole: "psychiatrist",
        signedOn: "2026-10-01",
        expiresOn: "2027-10-01",
        scope: ["care_coordination"],
      },
      end: { intent: "end", target: f.own.member, memberId: f.own.member, reason: "Care transferred." },
      release: {
        intent: "release",
        target: w.users.therapist.id,
        providerId: w.users.therapist.id,
        signedOn: "2026-10-01",
        expiresOn: "2027-10-01",
        scope: ["care_coordination", "care_notes"],
      },
      revoke: {
        intent: "revoke",
        target: f.own.release,
        releaseId: f.own.release,
        reason: "Patient withdrew consent.",
      },
    }),
  },
  { route: "patients.$patientId.edit", as: "coordinator", valid: () => ({ "": PATIENT }) },
  {
    route: "patients.$patientId.engagement",
    as: "therapist",
    valid: (w) => ({
      "": engagementForm(w.users.therapist.name),
      intake: { intent: "intake", scheduledOn: "2026-10-22" },
    }),
  },
  {
    route: "patients.$patientId.infusions",
    as: "clinician",
    valid: (w, f) => ({
      schedule: {
        intent: "schedule",
        locationId: "chelsea",
        clinicianId: w.users.clinician.id,
        kind: "booster",
        visit: ["2026-11-09T10:00", "2026-11-11T10:00"],
        previewed: ["2026-11-09T10:00", "2026-11-11T10:00"],
      },
      preview: {
        intent: "preview",
        locationId: "chelsea",
        clinicianId: w.users.clinician.id,
        kind: "course",
        repeat: "interval",
        everyDays: "2",
        firstDay: "2026-11-09",
        time: "10:00",
        count: "6",
      },
      reschedule: {
        intent: "reschedule",
        target: f.own.futureVisit,
        visitId: f.own.futureVisit,
        startsAt: "2026-10-27T11:00",
      },
      cancel: { intent: "cancel", target: f.own.futureVisit, visitId: f.own.futureVisit, reason: "Patient unwell." },
      "booster-decision": {
        intent: "booster-decision",
        target: f.own.review,
        reviewId: f.own.review,
        decision: "no_booster_now",
        note: "Stable.",
      },
    }),
  },
  {
    route: "patients.$patientId.infusions",
    as: "therapist",
    valid: (_w, f) => ({
      "plan-session": {
        intent: "plan-session",
        startsAt: "2026-10-27T15:00",
        modality: "WET",
        protocolNumber: "2",
        protocolTotal: "5",
        mode: "telehealth",
        outsideWindow: "yes",
      },
      "session-outcome": {
        intent: "session-outcome",
        target: f.own.session,
        sessionId: f.own.session,
        outcome: "held",
      },
      "move-session": {
        intent: "move-session",
        target: f.own.session,
        sessionId: f.own.session,
        startsAt: "2026-10-28T16:00",
        outsideWindow: "yes",
      },
      "cancel-session": { intent: "cancel-session", target: f.own.session, sessionId: f.own.session },
      "restore-session": { intent: "restore-session", target: f.own.session, sessionId: f.own.session },
    }),
  },
  {
    route: "admin.medications",
    as: "admin",
    valid: (_w, f) => ({
      add: { intent: "add", name: "Opioids", terms: "oxycodone, methadone" },
      retire: { intent: "retire", entryId: f.reviewEntry },
    }),
  },
  {
    route: "patients.$patientId.medications",
    as: "clinician",
    valid: (_w, f) => ({
      add: {
        intent: "add",
        name: "Sertraline",
        dose: "50 mg in the morning",
        prescriber: "Dr. Sam Reyes",
        startedOn: "2026-06-01",
      },
      stop: { intent: "stop", medicationId: f.own.medication, stoppedOn: "2026-10-19" },
      review: { intent: "review", medicationId: f.own.medication },
    }),
  },
  {
    route: "patients.$patientId.visits.$visitId",
    as: "clinician",
    valid: (_w, f) => ({
      "complete-check": { intent: "complete-check" },
      outcome: {
        intent: "outcome",
        outcome: "stopped_early",
        stoppedEarlyReason: "Blood pressure rose at 20 minutes.",
        overrideReason: "Confirmed by phone; paperwork follows.",
      },
      "review-medication": { intent: "review-medication", medicationId: f.own.medication },
      "save-record": {
        ...infusionRecordForm(),
        systolicDuring: "140",
        diastolicDuring: "",
        adverseEvents: ["Nausea", "Headache"],
      },
      "sign-record": { intent: "sign-record" },
      addendum: { intent: "addendum", body: "Escort was the patient's sister." },
    }),
  },
  {
    route: "patients.$patientId.measures",
    as: "therapist",
    valid: () => ({
      PHQ9: { intent: "PHQ9", takenOn: "2026-10-19", ...items(9, "1") },
      PCL5: { intent: "PCL5", takenOn: "2026-10-19", ...items(20, "2") },
    }),
  },
  {
    route: "patients.$patientId.measures",
    as: "clinician",
    valid: (_w, f) => ({
      acknowledge: {
        intent: "acknowledge",
        target: f.own.alert,
        alertId: f.own.alert,
        signals: "1",
        action: "Called the patient.",
      },
      PHQ9: { intent: "PHQ9", takenOn: "2026-10-20", ...items(9, "0") },
    }),
  },
  {
    route: "patients.$patientId.notes",
    as: "therapist",
    valid: (_w, f) => ({
      post: { intent: "post", kind: "progress_update", body: "Sleeping better.", requestReview: "yes" },
      addendum: { intent: "addendum", target: f.own.note, noteId: f.own.note, body: "Correction." },
      "sign-off": { intent: "sign-off", target: f.own.note, noteId: f.own.note, comment: "Agree." },
      acknowledge: { intent: "acknowledge", target: f.own.concern, noteId: f.own.concern, response: "Called." },
    }),
  },
  {
    route: "patients.$patientId.notes",
    as: "clinician",
    valid: (_w, f) => ({
      post: { intent: "post", kind: "infusion_summary", body: "Infusion went well." },
      acknowledge: {
        intent: "acknowledge",
        target: f.own.concern,
        noteId: f.own.concern,
        response: "Called the patient; safe.",
      },
    }),
  },
  {
    route: "patients.$patientId.referrals",
    as: "coordinator",
    valid: () => ({
      "": {
        modality: "PE",
        setting: "in_person",
        borough: "Queens",
        insurance: "Aetna",
        language: "English",
        urgency: "urgent",
        needsWindow: "yes",
      },
    }),
  },
  { route: "patients.new", as: "coordinator", valid: () => ({ "": PATIENT }) },
  { route: "profile", as: "therapist", valid: () => ({ "": PROFILE }) },
  { route: "providers.$userId", as: "coordinator", valid: () => ({ "": PROFILE }) },
  {
    route: "referrals.$referralId",
    as: "coordinator",
    valid: (w) => ({
      offer: { intent: "offer", providerId: w.users.psychiatrist.id, allowSeveral: "yes" },
      cancel: { intent: "cancel", reason: "Patient found a therapist." },
      close: { intent: "close" },
    }),
  },
  {
    route: "reset-password.$token",
    as: "anonymous",
    valid: () => ({ "": { password: "a brand new password 3", confirmPassword: "a brand new password 3" } }),
  },
  {
    route: "schedule",
    as: "therapist",
    valid: () => ({ "issue-feed": { intent: "issue-feed" }, "revoke-feed": { intent: "revoke-feed" } }),
  },
  { route: "settings", as: "therapist", valid: () => ({ "": { notifyNotes: "yes" } }) },
  {
    route: "reviews",
    as: "psychiatrist",
    valid: (_w, f) => ({
      "sign-off": { intent: "sign-off", noteId: f.own.note, comment: "Agree." },
      return: { intent: "return", noteId: f.own.note, comments: "Please add the session number." },
    }),
  },
  {
    route: "admin.review-settings",
    as: "admin",
    valid: (w) => ({ "": { intent: "save", fallbackReviewerId: w.users.psychiatrist.id, reviewStaleDays: "5" } }),
  },
];

async function furnish(world: World): Promise<Furnished> {
  const { db, users, patients, otherTherapist } = world;
  const as = (user: TestUser) => [db, actorFor(user), auditContextFor(user)] as const;
  const note = (
    user: TestUser,
    patientId: string,
    kind: "progress_update" | "safety_concern",
    requestReview: boolean,
  ) =>
    postNote(...as(user), {
      patientId,
      kind,
      body: "Synthetic note.",
      requestReview,
      now: NOW,
      today: TODAY,
      appUrl: APP_URL,
    });
  for (const [user, patientId] of [
    [users.therapist, patients.own.id],
    [otherTherapist, patients.other.id],
  ] as const) {
    await note(user, patientId, "progress_update", true);
    await note(user, patientId, "safety_concern", false);
    await insertCourse(db, {
      patientId,
      clinicianId: users.clinician.id,
      createdBy: users.clinician.id,
      starts: [ny("2026-10-19T09:00"), ny("2026-10-26T10:00")],
    });
    await recordMeasure(...as(user), {
      patientId,
      instrument: "PHQ9",
      takenOn: "2026-10-19",
      items: [1, 1, 1, 1, 1, 1, 1, 1, 2],
      now: NOW,
      appUrl: APP_URL,
    });
    const course = await db
      .selectFrom("infusion_courses")
      .select("id")
      .where("patient_id", "=", patientId)
      .executeTakeFirstOrThrow();
    await db
      .insertInto("booster_reviews")
      .values({
        patient_id: patientId,
        course_id: course.id,
        reason: "course_completed",
        due_from: "2026-10-12",
        due_to: "2026-10-19",
        created_at: NOW,
      })
      .execute();
  }
  await planTherapySession(...as(users.therapist), {
    patientId: patients.own.id,
    startsAt: ny("2026-10-19T15:00"),
    modality: "WET",
    protocolNumber: 1,
    protocolTotal: 5,
    mode: "in_person",
    outsideWindow: true,
    now: NOW,
  });
  await planTherapySession(...as(otherTherapist), {
    patientId: patients.other.id,
    startsAt: ny("2026-10-19T15:00"),
    modality: "WET",
    protocolNumber: 1,
    protocolTotal: 5,
    mode: "in_person",
    outsideWindow: true,
    now: NOW,
  });
  const coordinator = as(users.coordinator);
  await offerReferral(...coordinator, {
    referralId: world.referralId,
    providerId: users.therapist.id,
    allowSeveral: false,
    now: NOW,
    appUrl: APP_URL,
  });
  const otherReferral = await openReferral(...coordinator, {
    patientId: patients.other.id,
    modality: "CPT",
    setting: "telehealth",
    borough: null,
    insurance: "Cigna",
    language: "Spanish",
    urgency: "routine",
    needsWindow: false,
    now: NOW,
  });
  await offerReferral(...coordinator, {
    referralId: otherReferral,
    providerId: otherTherapist.id,
    allowSeveral: false,
    now: NOW,
    appUrl: APP_URL,
  });
  const invitation = await createInvitation(db, auditContextFor(users.coordinator), {
    email: "invited-provider@example.test",
    role: "psychiatrist",
    inviterName: users.coordinator.name,
    appUrl: APP_URL,
    secretsKey: TEST_SECRETS_KEY,
    now: NOW,
  });
  await requestPasswordReset(db, auditContextFor(null), {
    email: users.clinician.email,
    appUrl: APP_URL,
    secretsKey: TEST_SECRETS_KEY,
    now: NOW,
  });

  for (const patientId of [patients.own.id, patients.other.id])
    await addMedication(...as(users.clinician), {
      patientId,
      name: "Lorazepam",
      dose: "0.5 mg as needed",
      prescriber: "Dr. Sam Reyes",
      startedOn: "2026-06-01",
    });

  const ownId = patients.own.id;
  const idOf = (row: { id: string } | undefined) => {
    if (!row) throw new Error("furnish: a record of the own patient is missing");
    return row.id;
  };
  const { rows } = await sql<{ id: string }>`
    select id::text from care_notes union all select id::text from infusion_visits union all select id::text from therapy_sessions
    union all select id::text from booster_reviews union all select id::text from safety_alerts union all select id::text from referrals
    union all select id::text from referral_offers union all select id::text from care_team_members
    union all select id::text from releases_of_information union all select id::text from invitations
    union all select id::text from users union all select id::text from patients
    union all select id::text from patient_medications`.execute(db);
  return {
    reviewEntry: (await db.selectFrom("medication_review_list").select("id").executeTakeFirstOrThrow()).id,
    ids: rows.map((r) => r.id),
    names: [users.therapist.name, users.psychiatrist.name, users.clinician.email, users.therapist.email],
    joinToken: (await tokensSentTo(db, "invited-provider@example.test", "/join/")).at(-1)!,
    resetToken: (await tokensSentTo(db, users.clinician.email, "/reset-password/")).at(-1)!,
    own: {
      note: idOf(
        await db
          .selectFrom("care_notes")
          .select("id")
          .where("patient_id", "=", ownId)
          .where("kind", "=", "progress_update")
          .executeTakeFirst(),
      ),
      concern: idOf(
        await db
          .selectFrom("care_notes")
          .select("id")
          .where("patient_id", "=", ownId)
          .where("kind", "=", "safety_concern")
          .executeTakeFirst(),
      ),
      pastVisit: idOf(
        await db
          .selectFrom("infusion_visits")
          .select("id")
          .where("patient_id", "=", ownId)
          .where("starts_at", "<", NOW)
          .executeTakeFirst(),
      ),
      futureVisit: idOf(
        await db
          .selectFrom("infusion_visits")
          .select("id")
          .where("patient_id", "=", ownId)
          .where("starts_at", ">", NOW)
          .executeTakeFirst(),
      ),
      session: idOf(
        await db.selectFrom("therapy_sessions").select("id").where("patient_id", "=", ownId).executeTakeFirst(),
      ),
      alert: idOf(await db.selectFrom("safety_alerts").select("id").where("patient_id", "=", ownId).executeTakeFirst()),
      review: idOf(
        await db.selectFrom("booster_reviews").select("id").where("patient_id", "=", ownId).executeTakeFirst(),
      ),
      medication: idOf(
        await db.selectFrom("patient_medications").select("id").where("patient_id", "=", ownId).executeTakeFirst(),
      ),
      offer: (
        await db
          .selectFrom("referral_offers")
          .select("id")
          .where("referral_id", "=", world.referralId)
          .executeTakeFirstOrThrow()
      ).id,
      member: (
        await db
          .selectFrom("care_team_members")
          .select("id")
          .where("patient_id", "=", patients.own.id)
          .where("user_id", "=", users.therapist.id)
          .executeTakeFirstOrThrow()
      ).id,
      release: (
        await db
          .selectFrom("releases_of_information")
          .select("id")
          .where("patient_id", "=", patients.own.id)
          .where("provider_id", "=", users.therapist.id)
          .executeTakeFirstOrThrow()
      ).id,
    },
    invitation: invitation.id,
  };
}

// ---- what a hostile body is made of ---------------------------------------------------------

/** A huge value is described, not spelled out, so a failing case prints readably. */
type Value = string | { repeat: string; times: number };
const render = (v: Value) => (typeof v === "string" ? v : v.repeat.repeat(v.times));

const WRONG_TYPES = [
  "",
  " ",
  "0",
  "-1",
  "1.5",
  "1e309",
  "NaN",
  "Infinity",
  "true",
  "null",
  "undefined",
  "[]",
  "{}",
  "[object Object]",
  "__proto__",
  "constructor",
];
const BAD_DATES = [
  "2026-02-30",
  "2026-13-01",
  "0000-00-00",
  "9999-12-31",
  "1899-12-31",
  "2026-10-20T25:61",
  "2026-03-08T02:30",
  "2026-11-01T01:30",
  "20261020",
  "2026-10-20T10:00:00Z",
];
const INJECTION = [
  "' OR '1'='1",
  "'; drop table patients; --",
  "1; select pg_sleep(5)",
  "\\",
  "%",
  "_%_",
  "$1",
  "E'\\x00'",
  "<script>alert(1)</script>",
  '"><img src=x onerror=alert(1)>',
  "javascript:alert(1)",
  "{{7*7}}",
  "${7*7}",
  "../../etc/passwd",
  "//evil.example",
  "/\t/evil.example",
];
const UNICODE = [
  "\u0000",
  "a\u0000b",
  "\u202egnp.exe",
  "\u200f\u200e",
  "😀",
  "👩‍👩‍👧‍👦",
  "\ud800",
  "x\udc00y",
  "\ufeff",
  "Ω≈ç√∫",
  "e\u0301\u0301\u0301",
  "\r\n\r\n",
  "\t",
  "\u2028",
  "Zalgơ̸̢͓",
];
const PLAUSIBLE = [
  "yes",
  "no",
  "2026-10-19",
  "2026-10-27T10:00",
  "2026-10-28T15:00",
  "WET",
  "CPT",
  "PE",
  "other",
  "any",
  "telehealth",
  "in_person",
  "either",
  "weekly",
  "mdd",
  "ptsd",
  "none",
  "Aetna",
  "English",
  "Brooklyn",
  "routine",
  "urgent",
  "chelsea",
  "tribeca",
  "course",
  "booster",
  "held",
  "missed",
  "therapist",
  "psychiatrist",
  "coordinator",
  "admin",
  "primary_therapist",
  "care_coordination",
  "substance_use",
  "progress_update",
  "safety_concern",
  "infusion_summary",
  "schedule_booster",
  "no_booster_now",
  "1",
  "3",
  "5",
  "NY",
  "LCSW",
  "MD/DO",
  "1234567893",
  "new-person@example.test",
  "A note for the team.",
  TEST_PASSWORD,
  "a long enough password 1",
  "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP",
  "123456",
  "/",
];

function valueArb(f: Furnished): fc.Arbitrary<Value> {
  return fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom(...PLAUSIBLE, ...f.names) },
    { weight: 4, arbitrary: fc.constantFrom(...f.ids) },
    {
      weight: 2,
      arbitrary: fc.oneof(
        fc.uuid(),
        fc.constantFrom(
          "00000000-0000-0000-0000-000000000000",
          "FFFFFFFF-FFFF-4FFF-BFFF-FFFFFFFFFFFF",
          ` ${f.ids[0]} `,
          `${f.ids[0]}x`,
          f.ids[0]!.toUpperCase(),
        ),
      ),
    },
    { weight: 2, arbitrary: fc.constantFrom(...WRONG_TYPES, ...BAD_DATES) },
    { weight: 2, arbitrary: fc.constantFrom(...INJECTION) },
    { weight: 2, arbitrary: fc.constantFrom(...UNICODE) },
    { weight: 2, arbitrary: fc.string({ unit: "binary", maxLength: 40 }) },
    {
      weight: 1,
      arbitrary: fc
        .record({
          repeat: fc.constantFrom("A", "é", "😀", "\u0000", "' OR 1=1 -- ", "<b>"),
          times: fc.constant(100 * 1024),
        })
        .map((h) => ({ repeat: h.repeat, times: Math.ceil(h.times / h.repeat.length) })),
    },
    {
      weight: 2,
      arbitrary: fc
        .tuple(fc.constantFrom(...PLAUSIBLE), fc.constantFrom(...UNICODE, ...INJECTION))
        .map(([a, b]) => a + b),
    },
  );
}

type Body = Array<[string, Value]>;

const toBody = (form: Form): Body =>
  Object.entries(form).flatMap(([name, v]) => (Array.isArray(v) ? v : [v]).map((x): [string, Value] => [name, x]));

/**
 * One change to a valid body: a field set to a hostile value, its valid value tainted with a
 * hostile fragment (so it still passes most checks and reaches the database), dropped, sent
 * twice, or a stranger added.
 */
type Mutation =
  | { op: "set" | "dup" | "add"; field: string; value: Value }
  | { op: "taint"; field: string; fragment: string; at: "start" | "end" }
  | { op: "drop"; field: string };

function mutate(body: Body, mutation: Mutation): Body {
  switch (mutation.op) {
    case "set": {
      const rest = body.filter(([n]) => n !== mutation.field);
      return [...rest, [mutation.field, mutation.value]];
    }
    case "taint":
      return body.map(([n, v]): [string, Value] =>
        n === mutation.field && typeof v === "string"
          ? [n, mutation.at === "start" ? mutation.fragment + v : v + mutation.fragment]
          : [n, v],
      );
    case "drop":
      return body.filter(([n]) => n !== mutation.field);
    case "dup":
      return [...body, [mutation.field, mutation.value]];
    case "add":
      return [[mutation.field, mutation.value], ...body];
  }
}

/**
 * Mostly a valid body for one of the action's intents with one to three fields corrupted, so the
 * hostile value reaches the code behind validation; sometimes a body of random pairs with a real
 * or random intent.
 */
function bodyArb(valid: Record<string, Form>, f: Furnished): fc.Arbitrary<Body> {
  const value = valueArb(f);
  const baselines = Object.values(valid).map(toBody);
  const fields = [...new Set(baselines.flatMap((b) => b.map(([n]) => n)))];
  const intents = [
    ...new Set(Object.values(valid).flatMap((form) => (typeof form.intent === "string" ? [form.intent] : []))),
  ];
  const realField = fields.length ? fc.constantFrom(...fields) : fc.constant("intent");
  const strangerField = fc.oneof(
    fc.constantFrom(
      "intent",
      "target",
      "patientId",
      "userId",
      "role",
      "actorId",
      "redirectTo",
      "__proto__",
      "constructor",
      "hasOwnProperty",
      "id",
      "",
    ),
    fc.string({ unit: "binary", maxLength: 20 }),
  );
  const mutation: fc.Arbitrary<Mutation> = fc.oneof(
    { weight: 4, arbitrary: fc.record({ op: fc.constant("set" as const), field: realField, value }) },
    {
      weight: 4,
      arbitrary: fc.record({
        op: fc.constant("taint" as const),
        field: realField,
        fragment: fc.constantFrom(...UNICODE, ...INJECTION),
        at: fc.constantFrom("start" as const, "end" as const),
      }),
    },
    { weight: 1, arbitrary: fc.record({ op: fc.constant("drop" as const), field: realField }) },
    { weight: 1, arbitrary: fc.record({ op: fc.constant("dup" as const), field: realField, value }) },
    { weight: 1, arbitrary: fc.record({ op: fc.constant("add" as const), field: strangerField, value }) },
  );
  const corrupted = fc
    .tuple(fc.constantFrom(...baselines), fc.array(mutation, { minLength: 1, maxLength: 3 }))
    .map(([base, ms]) => ms.reduce(mutate, base));

  const none = fc.constant<Body>([]);
  const anyIntent = value.map((v): Body => [["intent", v]]);
  const intent: fc.Arbitrary<Body> = intents.length
    ? fc.oneof(
        fc.constantFrom(...intents).map((i): Body => [["intent", i]]),
        none,
        anyIntent,
      )
    : fc.oneof(none, anyIntent);
  const pairs = fc.array(
    fc.tuple(fc.oneof({ weight: 3, arbitrary: realField }, { weight: 1, arbitrary: strangerField }), value),
    { maxLength: 14 },
  );
  const random = fc.tuple(intent, pairs).map(([i, rest]): Body => [...i, ...rest]);
  return fc.oneof({ weight: 3, arbitrary: corrupted }, { weight: 1, arbitrary: random });
}

/** A value a schema checks by shape (an id, a date, a number, a lower-case choice): a NUL in it cannot get past validation. */
const SHAPED =
  /^(?:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2})?|[a-z0-9_/-]*|[A-Z0-9/]{2,5})$/;

/**
 * Cases replayed before the random ones: each valid body with a NUL appended to each free-text
 * field in turn (PostgreSQL text cannot hold U+0000), with every field 100 KB long, and as it
 * is; so every field meets the inputs a database is most likely to choke on, whatever the
 * random runs pick.
 */
function sweepOf(valid: Record<string, Form>): Body[] {
  const bases = Object.values(valid).map(toBody);
  const cases: Body[] = [];
  for (const base of bases) {
    const freeText = new Set(base.filter(([, v]) => typeof v === "string" && !SHAPED.test(v)).map(([n]) => n));
    for (const field of freeText) cases.push(mutate(base, { op: "taint", field, fragment: "\u0000", at: "end" }));
    cases.push(base.map(([n]): [string, Value] => [n, { repeat: "x", times: 100 * 1024 }]));
  }
  // The valid bodies last: some use up what the others need (an invitation, a reset link, an open offer).
  return [...cases, ...bases];
}

function formOf(body: Body): URLSearchParams {
  const form = new URLSearchParams();
  for (const [name, value] of body) form.append(name, render(value));
  return form;
}

// ---- what is compared before and after ------------------------------------------------------

/**
 * What is compared around each request, in one query: the row count of every table, audit rows
 * by outcome, the newest audit row, and a digest of every row that belongs to the other patient
 * (through patient_id, or through one of their notes, visits, courses or referrals).
 */
type Snapshot = Record<string, number | string | null>;

async function snapshotQuery(world: World) {
  const { rows: tableRows } = await sql<{ name: string }>`
    select tablename as name from pg_tables where schemaname = 'public' and tablename not like 'kysely_migration%' order by tablename`.execute(
    world.db,
  );
  const tables = tableRows.map((r) => r.name);
  const { rows: columns } = await sql<{ table_name: string; column_name: string }>`
    select table_name, column_name from information_schema.columns
    where table_schema = 'public' and column_name in ('patient_id', 'note_id', 'visit_id', 'course_id', 'referral_id') order by table_name, column_name`.execute(
    world.db,
  );
  const parents: Record<string, string> = {
    note_id: "care_notes",
    visit_id: "infusion_visits",
    course_id: "infusion_courses",
    referral_id: "referrals",
  };
  const other = world.patients.other.id;
  const records = [sql`select 'patients' as t, to_jsonb(x)::text as r from patients x where id = ${other}`];
  for (const { table_name: table, column_name: column } of columns) {
    if (table === "audit_events" || !tables.includes(table)) continue;
    const where =
      column === "patient_id"
        ? sql`${sql.ref(`x.${column}`)} = ${other}`
        : sql`${sql.ref(`x.${column}`)} in (select id from ${sql.table(parents[column]!)} where patient_id = ${other})`;
    records.push(
      sql`select ${`${table}.${column}`}::text as t, to_jsonb(x)::text as r from ${sql.table(table)} x where ${where}`,
    );
  }
  const parts = [
    ...tables.map((t) => sql`select ${t}::text as k, count(*)::text as v from ${sql.table(t)}`),
    sql`select 'audit_events:' || outcome as k, count(*)::text as v from audit_events group by outcome`,
    sql`select 'audit_events:newest' as k, max(id)::text as v from audit_events`,
    sql`select 'other patient' as k, md5(string_agg(t || ' ' || r, E'\n' order by t, r)) as v from (${sql.join(records, sql` union all `)}) other_rows`,
  ];
  const query = sql<{ k: string; v: string | null }>`${sql.join(parts, sql` union all `)}`;
  return async (): Promise<Snapshot> => Object.fromEntries((await query.execute(world.db)).rows.map((r) => [r.k, r.v]));
}

/** Keys of a snapshot that may change on a refused (4xx) request. */
const MAY_CHANGE_ON_4XX = new Set([
  "audit_events",
  "audit_events:denied",
  "audit_events:failure",
  "audit_events:newest",
  "throttle_hits",
]);

// ---- the properties -------------------------------------------------------------------------

function seedFor(name: string): number {
  let hash = SEED;
  for (const char of name) hash = (Math.imul(hash, 31) + char.charCodeAt(0)) | 0;
  return hash;
}

function statusOf(observed: Awaited<ReturnType<typeof callRoute>>["observed"]): number {
  if (observed.kind === "error") throw new Error(`server error: ${describeObserved(observed)}`);
  if (observed.status >= 500) throw new Error(`server error: ${describeObserved(observed)}`);
  return observed.status;
}

async function sendHostile(
  world: World,
  snapshot: () => Promise<Snapshot>,
  r: RouteInfo,
  who: Who,
  relation: "own" | "other" | "revoked" | "awaiting",
  params: Record<string, string>,
  body: Body,
  refused: boolean,
) {
  const sessionId = who === "anonymous" ? undefined : await signIn(world, who);
  const before = await snapshot();
  const { observed } = await callRoute(world, {
    route: r,
    handler: "action",
    who,
    params,
    body: formOf(body),
    sessionId,
  });
  const status = statusOf(observed);
  const after = await snapshot();

  if (refused && status !== 403 && status !== 404)
    throw new Error(`a refused provider got ${describeObserved(observed)}`);
  const changed = Object.keys({ ...before, ...after }).filter((k) => before[k] !== after[k] && k !== "other patient");
  if (status >= 400 && changed.some((k) => !MAY_CHANGE_ON_4XX.has(k))) {
    throw new Error(
      `${describeObserved(observed)} but rows were written: ${changed.map((k) => `${k} ${before[k] ?? 0}→${after[k] ?? 0}`).join(", ")}`,
    );
  }
  if (before["audit_events:newest"] !== after["audit_events:newest"]) {
    const added = await world.db
      .selectFrom("audit_events")
      .select("action")
      .where("id", ">", String(before["audit_events:newest"] ?? 0))
      .execute();
    const unreadable = added.filter((a) => !AUDIT_ACTION.test(a.action));
    if (unreadable.length)
      throw new Error(
        `audit rows with a caller-chosen action: ${unreadable.map((a) => JSON.stringify(a.action.slice(0, 80))).join(", ")}`,
      );
  }
  if (relation === "own" && before["other patient"] !== after["other patient"])
    throw new Error(`${describeObserved(observed)} changed the other patient's records`);
  return status;
}

/** How many bodies got which status, to show the runs reach past validation. */
function tally(statuses: number[]): string {
  const by = new Map<string, number>();
  for (const status of statuses) {
    const key = status < 400 ? `${Math.floor(status / 100)}xx` : String(status);
    by.set(key, (by.get(key) ?? 0) + 1);
  }
  return [...by]
    .sort()
    .map(([key, n]) => `${key} ${n}`)
    .join(", ");
}

describe("hostile input targets", () => {
  it("cover every route action", () => {
    const withAction = ROUTES.filter((r) => r.module.action).map((r) => r.id);
    expect(withAction.filter((id) => !TARGETS.some((t) => t.route === id))).toEqual([]);
    expect(TARGETS.map((t) => t.route).filter((id) => !withAction.includes(id))).toEqual([]);
  });
});

describeEachEngine("hostile form bodies", (getDb, engine) => {
  it.each(TARGETS.map((t) => [`${t.route} as ${t.as}`, t] as const))(
    "%s: no 5xx, a 4xx writes nothing, audit stays readable, other patients untouched",
    async (name, target) => {
      const world = await buildWorld(getDb(), engine);
      const furnished = await furnish(world);
      const snapshot = await snapshotQuery(world);
      const r = ROUTES.find((x) => x.id === target.route)!;
      const params = paramsFor(r, world, "own");
      if (r.params.includes("token"))
        params.token = target.route === "join.$token" ? furnished.joinToken : furnished.resetToken;

      const valid = target.valid(world, furnished);
      const statuses: number[] = [];
      const sweep = sweepOf(valid);
      await fc.assert(
        fc.asyncProperty(bodyArb(valid, furnished), async (body) => {
          statuses.push(await sendHostile(world, snapshot, r, target.as, "own", params, body, false));
        }),
        // fast-check counts examples as runs: the random runs come on top of the sweep.
        {
          numRuns: sweep.length + RUNS,
          seed: seedFor(`${engine} ${name}`),
          examples: sweep.map((body): [Body] => [body]),
        },
      );

      // The same bodies from an outside provider on patients they may not see.
      if (PATIENT_SCOPED(r)) {
        for (const relation of ["other", "revoked", "awaiting"] as const) {
          const refusedParams = paramsFor(r, world, relation);
          const who: Who = target.as === "therapist" || target.as === "psychiatrist" ? target.as : "therapist";
          await fc.assert(
            fc.asyncProperty(bodyArb(valid, furnished), async (body) => {
              statuses.push(await sendHostile(world, snapshot, r, who, relation, refusedParams, body, true));
            }),
            { numRuns: REFUSED_RUNS, seed: seedFor(`${engine} ${name} ${relation}`) },
          );
        }
      }
      console.log(`hostile input [${engine}] ${name}: ${statuses.length} bodies (${tally(statuses)})`);
    },
    300_000,
  );
});
