import ICAL from "ical.js";
import { expect, it } from "vitest";
import { zonedToUtc, clinicToday } from "~/lib/time";
import {
  feedCalendar,
  issueCalendarFeed,
  patientCalendar,
  revokeCalendarFeeds,
} from "~/modules/infusions/calendar.server";
import { cancelVisit, rescheduleVisit, scheduleCourse, ScheduleError } from "~/modules/infusions/infusions.server";
import { listPatientVisits } from "~/modules/infusions/patient-visits.server";
import { recordVisitOutcome } from "~/modules/infusions/outcomes.server";
import { providerSchedule, SCHEDULE_PAGE_SIZE } from "~/modules/infusions/schedule.server";
import {
  listPatientSessions,
  planTherapySession,
  recordSessionOutcome,
  sessionsOutsideWindows,
  windowsWithoutSession,
} from "~/modules/infusions/sessions.server";
import { endCareTeamMembership, revokeRelease } from "~/modules/patients/care-team.server";
import { confirmEngagement } from "~/modules/engagement/engagement.server";
import { DAY, HOUR, MINUTE } from "../support/clock";
import { describeEachEngine } from "../support/db";
import {
  actorFor,
  auditContextFor,
  createProvider,
  createUser,
  engagementInput,
  giveAccess,
  insertClinicBasics,
  insertCourse,
  insertPatient,
  type TestPatient,
  type TestUser,
  openAs,
} from "../support/factories";

const APP_URL = "https://portal.ember.test";
// Monday 2026-10-19, 09:00 in New York. The course below runs across the 2026-11-01 change.
const NOW = new Date("2026-10-19T13:00:00Z");
const COURSE = ["2026-10-26T10:00", "2026-10-28T10:00", "2026-10-30T10:00", "2026-11-02T10:00"];

const NO_ENGAGEMENT =
  "No active engagement confirmation: an outside licensed provider on the care team must confirm they actively treat the patient.";

function ny(local: string): Date {
  const instant = zonedToUtc(local);
  if (!instant) throw new Error(`${local} does not exist in New York`);
  return instant;
}

function parseCalendar(ics: string) {
  const calendar = new ICAL.Component(ICAL.parse(ics));
  return calendar.getAllSubcomponents("vevent").map((component) => {
    const e = new ICAL.Event(component);
    return {
      uid: e.uid,
      start: e.startDate.toJSDate().toISOString(),
      end: e.endDate.toJSDate().toISOString(),
      sequence: e.sequence,
      status: component.getFirstPropertyValue("status"),
      summary: e.summary,
    };
  });
}

describeEachEngine("infusions", (getDb) => {
  async function setUp() {
    const db = getDb();
    await insertClinicBasics(db);
    const coordinator = await createUser(db, { role: "coordinator", name: "Maya Okafor" });
    const clinician = await createUser(db, { role: "clinician", name: "Dr. Lena Brooks, MD" });
    const therapist = await createProvider(db, { role: "therapist", name: "Dana Whitfield, LCSW" });
    const psychiatrist = await createProvider(db, { role: "psychiatrist", name: "Dr. Ravi Castellano" });
    const patient = await engagedPatient(
      { coordinator, therapist, psychiatrist },
      { firstName: "Avery", lastName: "Lindqvist" },
    );
    return { db, coordinator, clinician, therapist, psychiatrist, patient };
  }

  /** A patient with the therapist and psychiatrist on the team (releases current), engagement confirmed at NOW. */
  async function engagedPatient(
    team: { coordinator: TestUser; therapist: TestUser; psychiatrist?: TestUser },
    options: { firstName?: string; lastName?: string } = {},
  ): Promise<TestPatient & { releases: Record<string, string> }> {
    const db = getDb();
    const patient = await insertPatient(db, { ...options, diagnoses: ["ptsd", "mdd"] });
    const releases: Record<string, string> = {};
    for (const provider of [team.therapist, team.psychiatrist]) {
      if (!provider) continue;
      const { releaseId } = await giveAccess(db, {
        patientId: patient.id,
        providerId: provider.id,
        by: team.coordinator,
        now: NOW,
        teamRole: provider.role === "psychiatrist" ? "psychiatrist" : "primary_therapist",
      });
      releases[provider.id] = releaseId!;
    }
    await confirmEngagement(db, actorFor(team.therapist), auditContextFor(team.therapist), {
      ...engagementInput(team.therapist.name),
      patientId: patient.id,
      now: NOW,
    });
    return { ...patient, releases };
  }

  const schedule = (
    by: TestUser,
    input: {
      patientId: string;
      clinicianId: string;
      starts: Date[];
      kind?: "course" | "booster";
      now?: Date;
      locationId?: string;
    },
  ) =>
    scheduleCourse(getDb(), auditContextFor(by), {
      locationId: input.locationId ?? "chelsea",
      kind: input.kind ?? "course",
      now: input.now ?? NOW,
      appUrl: APP_URL,
      patientId: input.patientId,
      clinicianId: input.clinicianId,
      starts: input.starts,
    });

  const refusal = (promise: Promise<unknown>) =>
    promise.then(
      () => {
        throw new Error("expected a ScheduleError");
      },
      (e: unknown) => {
        expect(e).toBeInstanceOf(ScheduleError);
        return (e as ScheduleError).problems;
      },
    );

  /** Row counts of everything scheduling writes. */
  async function written() {
    const db = getDb();
    const count = async (table: "infusion_courses" | "infusion_visits" | "email_outbox" | "booster_reviews") =>
      Number(
        (
          await db
            .selectFrom(table)
            .select((eb) => eb.fn.countAll<string>().as("n"))
            .executeTakeFirstOrThrow()
        ).n,
      );
    const audits = await db.selectFrom("audit_events").select("action").where("action", "like", "infusion.%").execute();
    return {
      courses: await count("infusion_courses"),
      visits: await count("infusion_visits"),
      emails: await count("email_outbox"),
      boosterReviews: await count("booster_reviews"),
      audits: audits.length,
    };
  }

  const visitsOf = (patientId: string) =>
    getDb()
      .selectFrom("infusion_visits")
      .selectAll()
      .where("patient_id", "=", patientId)
      .orderBy("starts_at")
      .execute();

  // Each planned session is the next of the protocol: a session number is planned once.
  let sessionNumber = 0;
  const plan = (provider: TestUser, patientId: string, local: string) =>
    planTherapySession(getDb(), actorFor(provider), auditContextFor(provider), {
      patientId,
      startsAt: ny(local),
      modality: "WET",
      protocolNumber: (sessionNumber++ % 5) + 1,
      protocolTotal: 5,
      mode: "telehealth",
      outsideWindow: true,
      now: NOW,
    });

  it("schedules a course across the November change with 72-hour windows and no warnings", async () => {
    const { db, coordinator, clinician, patient } = await setUp();
    const result = await schedule(coordinator, {
      patientId: patient.id,
      clinicianId: clinician.id,
      starts: COURSE.map(ny).reverse(),
    });
    expect(result).toEqual({ courseId: expect.any(String), warnings: [], notified: 2 });
    const visits = await visitsOf(patient.id);
    expect(
      visits.map((v) => [v.starts_at.toISOString(), v.ends_at.toISOString(), v.window_closes_at.toISOString()]),
    ).toEqual([
      ["2026-10-26T14:00:00.000Z", "2026-10-26T15:30:00.000Z", "2026-10-29T15:30:00.000Z"],
      ["2026-10-28T14:00:00.000Z", "2026-10-28T15:30:00.000Z", "2026-10-31T15:30:00.000Z"],
      ["2026-10-30T14:00:00.000Z", "2026-10-30T15:30:00.000Z", "2026-11-02T15:30:00.000Z"],
      ["2026-11-02T15:00:00.000Z", "2026-11-02T16:30:00.000Z", "2026-11-05T16:30:00.000Z"],
    ]);
    expect(
      visits.every(
        (v) =>
          v.course_id === result.courseId && v.status === "scheduled" && v.sequence === 0 && v.infusion_minutes === 40,
      ),
    ).toBe(true);
    expect(
      visits.every((v) => v.clinician_id === clinician.id && v.location_id === "chelsea" && v.kind === "course"),
    ).toBe(true);
    const audit = await db.selectFrom("audit_events").selectAll().where("action", "=", "infusion.schedule").execute();
    expect(audit).toEqual([
      expect.objectContaining({
        actor_id: coordinator.id,
        entity_id: result.courseId,
        patient_id: patient.id,
        detail: { visits: 4, kind: "course" },
      }),
    ]);
  });

  it("refuses an ineligible patient with the gate's reasons and writes nothing", async () => {
    const { db, coordinator, clinician, therapist } = await setUp();
    const unengaged = await insertPatient(db, { diagnoses: ["ptsd", "mdd"] });
    await giveAccess(db, { patientId: unengaged.id, providerId: therapist.id, by: coordinator, now: NOW });
    const before = await written();
    expect(
      await refusal(
        schedule(coordinator, { patientId: unengaged.id, clinicianId: clinician.id, starts: COURSE.map(ny) }),
      ),
    ).toEqual([NO_ENGAGEMENT]);

    const ptsdOnly = await insertPatient(db, { diagnoses: ["ptsd"] });
    await giveAccess(db, { patientId: ptsdOnly.id, providerId: therapist.id, by: coordinator, now: NOW });
    await confirmEngagement(db, actorFor(therapist), auditContextFor(therapist), {
      ...engagementInput(therapist.name, { depression: "none" }),
      patientId: ptsdOnly.id,
      now: NOW,
    });
    expect(
      await refusal(
        schedule(coordinator, { patientId: ptsdOnly.id, clinicianId: clinician.id, starts: COURSE.map(ny) }),
      ),
    ).toEqual([
      "PTSD without depression: a clinician must document the discussion of the mixed evidence before scheduling.",
    ]);
    expect(await written()).toEqual(before);
  });

  it("refuses the gate again once the engagement has lapsed", async () => {
    const { coordinator, clinician, patient } = await setUp();
    const later = new Date(NOW.getTime() + 91 * DAY);
    expect(
      await refusal(
        schedule(coordinator, {
          patientId: patient.id,
          clinicianId: clinician.id,
          starts: [new Date(later.getTime() + DAY)],
          now: later,
        }),
      ),
    ).toEqual([NO_ENGAGEMENT]);
  });

  it("refuses two visits on one New York day, in the proposal or against a visit already booked, writing nothing", async () => {
    const { coordinator, clinician, patient } = await setUp();
    const before = await written();
    const sameDay = ["2026-10-26T08:00", "2026-10-26T16:00", "2026-10-28T10:00", "2026-10-30T10:00"].map(ny);
    expect(
      await refusal(schedule(coordinator, { patientId: patient.id, clinicianId: clinician.id, starts: sameDay })),
    ).toEqual(["Two visits on 2026-10-26: a patient has at most one infusion visit a day."]);
    expect(await written()).toEqual(before);

    await schedule(coordinator, { patientId: patient.id, clinicianId: clinician.id, starts: COURSE.map(ny) });
    const booked = await written();
    // With evening hours, 20:30 on the 28th in New York is already the 29th in UTC: still the same
    // clinic day as the 10:00 visit booked that day.
    await getDb().updateTable("locations").set({ closes_at: "22:00" }).where("id", "=", "chelsea").execute();
    const otherClinician = await createUser(getDb(), { role: "clinician" });
    const clash = [ny("2026-11-04T10:00"), ny("2026-10-28T20:30")];
    expect(clash[1]!.toISOString()).toBe("2026-10-29T00:30:00.000Z");
    expect(
      await refusal(schedule(coordinator, { patientId: patient.id, clinicianId: otherClinician.id, starts: clash })),
    ).toEqual(["The patient already has a visit on 2026-10-28: at most one infusion visit a day."]);
    expect(await written()).toEqual(booked);
  });

  it("refuses a clinician's overlapping visit with another patient, and allows back-to-back visits", async () => {
    const { db, coordinator, clinician, therapist, patient } = await setUp();
    const other = await engagedPatient({ coordinator, therapist }, { lastName: "Baptiste" });
    await schedule(coordinator, { patientId: patient.id, clinicianId: clinician.id, starts: COURSE.map(ny) });
    const booked = await written();

    const overlapping = [
      ny("2026-10-27T10:00"),
      ny("2026-10-28T11:00"),
      ny("2026-10-29T10:00"),
      ny("2026-10-31T10:00"),
    ];
    expect(
      await refusal(schedule(coordinator, { patientId: other.id, clinicianId: clinician.id, starts: overlapping })),
    ).toEqual([
      "The supervising clinician already has an overlapping visit on 2026-10-28: care is one clinician to one patient.",
    ]);
    expect(await written()).toEqual(booked);

    // 11:30 is when the first patient's visit ends: no overlap, one clinician, one patient at a time.
    const backToBack = [ny("2026-10-27T10:00"), ny("2026-10-28T11:30"), ny("2026-10-29T10:00"), ny("2026-10-31T10:00")];
    await schedule(coordinator, { patientId: other.id, clinicianId: clinician.id, starts: backToBack });
    // Another clinician may see the other patient at the very same time.
    const third = await engagedPatient({ coordinator, therapist }, { lastName: "Nakamura" });
    const colleague = await createUser(db, { role: "clinician" });
    await schedule(coordinator, {
      patientId: third.id,
      clinicianId: colleague.id,
      starts: [ny("2026-10-28T10:00")],
      kind: "booster",
    });
    expect((await written()).visits).toBe(booked.visits + 5);
  });

  it("books only one of two simultaneous requests for the same patient's day or the same clinician's hour", async () => {
    const { coordinator, clinician, therapist, patient } = await setUp();
    const other = await engagedPatient({ coordinator, therapist }, { lastName: "Baptiste" });
    const colleague = await createUser(getDb(), { role: "clinician" });
    const settled = (promises: Promise<unknown>[]) =>
      Promise.allSettled(promises).then((all) => all.map((r) => r.status));

    // The same patient, the same day, two clinicians, sent at once.
    const sameDay = await settled([
      schedule(coordinator, {
        patientId: patient.id,
        clinicianId: clinician.id,
        starts: [ny("2026-10-26T10:00")],
        kind: "booster",
      }),
      schedule(coordinator, {
        patientId: patient.id,
        clinicianId: colleague.id,
        starts: [ny("2026-10-26T15:00")],
        kind: "booster",
      }),
    ]);
    expect(sameDay.sort()).toEqual(["fulfilled", "rejected"]);
    // The same clinician, overlapping hours, two patients, sent at once.
    const sameHour = await settled([
      schedule(coordinator, {
        patientId: patient.id,
        clinicianId: colleague.id,
        starts: [ny("2026-10-28T10:00")],
        kind: "booster",
      }),
      schedule(coordinator, {
        patientId: other.id,
        clinicianId: colleague.id,
        starts: [ny("2026-10-28T10:30")],
        kind: "booster",
      }),
    ]);
    expect(sameHour.sort()).toEqual(["fulfilled", "rejected"]);
    const visits = await getDb()
      .selectFrom("infusion_visits")
      .select(["patient_id", "clinician_id", "starts_at"])
      .execute();
    expect(visits).toHaveLength(2);
  });

  it("refuses visits outside clinic hours (08:00–19:00 New York) on both sides of the change", async () => {
    const { coordinator, clinician, patient } = await setUp();
    const before = await written();
    const starts = ["2026-10-26T07:30", "2026-10-28T17:31", "2026-11-02T07:59", "2026-11-03T18:00"].map(ny);
    const problems = await refusal(schedule(coordinator, { patientId: patient.id, clinicianId: clinician.id, starts }));
    expect(problems).toHaveLength(4);
    expect(problems.map((p) => p.slice(0, 35))).toEqual([
      "The visit on 2026-10-26 at 07:30 do",
      "The visit on 2026-10-28 at 17:31 do",
      "The visit on 2026-11-02 at 07:59 do",
      "The visit on 2026-11-03 at 18:00 do",
    ]);
    expect(await written()).toEqual(before);
    // The edges are allowed: 08:00 starts and 17:30 starts (ending 19:00), in EDT and EST.
    const edges = ["2026-10-26T08:00", "2026-10-28T17:30", "2026-11-02T08:00", "2026-11-03T17:30"].map(ny);
    await schedule(coordinator, { patientId: patient.id, clinicianId: clinician.id, starts: edges });
    expect((await visitsOf(patient.id)).map((v) => v.starts_at.toISOString())).toEqual([
      "2026-10-26T12:00:00.000Z",
      "2026-10-28T21:30:00.000Z",
      "2026-11-02T13:00:00.000Z",
      "2026-11-03T22:30:00.000Z",
    ]);
  });

  it("refuses visits in the past and a supervising user who is not an active clinician", async () => {
    const { coordinator, clinician, patient } = await setUp();
    expect(
      await refusal(schedule(coordinator, { patientId: patient.id, clinicianId: clinician.id, starts: [NOW] })),
    ).toEqual(["Every visit must start in the future."]);
    expect(
      await refusal(
        schedule(coordinator, { patientId: patient.id, clinicianId: coordinator.id, starts: COURSE.map(ny) }),
      ),
    ).toEqual(["Choose an active Ember clinician to supervise the visits."]);
    expect((await written()).visits).toBe(0);
  });

  it("warns about a 3-visit course but schedules it; never warns about boosters", async () => {
    const { coordinator, clinician, patient } = await setUp();
    const three = await schedule(coordinator, {
      patientId: patient.id,
      clinicianId: clinician.id,
      starts: COURSE.slice(0, 3).map(ny),
    });
    expect(three.warnings).toEqual(["This course has 3 visits; a typical initial course has 4 to 6."]);
    expect(await visitsOf(patient.id)).toHaveLength(3);
    const booster = await schedule(coordinator, {
      patientId: patient.id,
      clinicianId: clinician.id,
      starts: [ny("2026-11-24T10:00")],
      kind: "booster",
    });
    expect(booster.warnings).toEqual([]);
  });

  it("reschedules a visit in place: same id, higher sequence, moved window; sessions left outside are counted and flagged", async () => {
    const { db, coordinator, clinician, therapist, patient } = await setUp();
    await schedule(coordinator, { patientId: patient.id, clinicianId: clinician.id, starts: COURSE.map(ny) });
    const [first] = await visitsOf(patient.id);
    // Both in the first visit's window (Mon 11:30 to Thu 11:30); Wednesday's visit ends 11:30, so 10:00 is only in the first.
    const early = await plan(therapist, patient.id, "2026-10-27T14:00");
    const late = await plan(therapist, patient.id, "2026-10-28T10:00");
    expect(early.inWindow && late.inWindow).toBe(true);
    expect(
      (await listPatientSessions(db, await openAs(db, coordinator, patient.id, NOW, "infusion_schedule"))).map((s) => [
        s.visit_id,
        s.movedOut,
      ]),
    ).toEqual([
      [first!.id, false],
      [first!.id, false],
    ]);
    const emailsBefore = (await written()).emails;

    const moved = await rescheduleVisit(db, auditContextFor(coordinator), {
      patientId: patient.id,
      visitId: first!.id,
      startsAt: ny("2026-10-27T16:00"),
      now: NOW,
      appUrl: APP_URL,
    });
    expect(moved).toEqual({ sessionsNowOutside: 1, warnings: [] });

    const after = await db
      .selectFrom("infusion_visits")
      .selectAll()
      .where("id", "=", first!.id)
      .executeTakeFirstOrThrow();
    expect(after).toMatchObject({ status: "scheduled", sequence: 1, course_id: first!.course_id });
    expect(after.starts_at.toISOString()).toBe("2026-10-27T20:00:00.000Z");
    expect(after.ends_at.toISOString()).toBe("2026-10-27T21:30:00.000Z");
    expect(after.window_closes_at.toISOString()).toBe("2026-10-30T21:30:00.000Z");
    expect(await visitsOf(patient.id)).toHaveLength(4);

    const sessions = await listPatientSessions(db, await openAs(db, coordinator, patient.id, NOW, "infusion_schedule"));
    expect(sessions.map((s) => ({ id: s.id, movedOut: s.movedOut, windowVisitId: s.windowVisitId }))).toEqual([
      { id: early.id, movedOut: true, windowVisitId: null },
      { id: late.id, movedOut: false, windowVisitId: first!.id },
    ]);
    const outside = await sessionsOutsideWindows(db, actorFor(therapist), { now: NOW, today: clinicToday(NOW) });
    expect(outside.map((s) => s.id)).toEqual([early.id]);
    expect((await written()).emails).toBe(emailsBefore + 2);
    const audit = await db
      .selectFrom("audit_events")
      .selectAll()
      .where("action", "=", "infusion.reschedule")
      .executeTakeFirstOrThrow();
    expect(audit).toMatchObject({
      entity_id: first!.id,
      patient_id: patient.id,
      detail: { from: "2026-10-26T14:00:00.000Z", to: "2026-10-27T20:00:00.000Z" },
    });
  });

  it("refuses a reschedule into a conflict and changes nothing", async () => {
    const { db, coordinator, clinician, patient } = await setUp();
    await schedule(coordinator, { patientId: patient.id, clinicianId: clinician.id, starts: COURSE.map(ny) });
    const [first] = await visitsOf(patient.id);
    const before = await written();
    const reschedule = (local: string) =>
      rescheduleVisit(db, auditContextFor(coordinator), {
        patientId: patient.id,
        visitId: first!.id,
        startsAt: ny(local),
        now: NOW,
        appUrl: APP_URL,
      });
    expect(await refusal(reschedule("2026-10-28T15:00"))).toEqual([
      "The patient already has a visit on 2026-10-28: at most one infusion visit a day.",
    ]);
    expect((await refusal(reschedule("2026-10-27T18:00")))[0]).toContain("does not fit the clinic's hours");
    // Moving a visit to another time on its own day is not a conflict with itself.
    await reschedule("2026-10-26T13:00");
    expect((await visitsOf(patient.id))[0]).toMatchObject({ id: first!.id, sequence: 1 });
    expect((await written()).emails).toBe(before.emails + 2);
  });

  it("cancels a visit once: status, reason, higher sequence, one notice per member; its window stops counting", async () => {
    const { db, coordinator, clinician, therapist, patient } = await setUp();
    await schedule(coordinator, { patientId: patient.id, clinicianId: clinician.id, starts: COURSE.map(ny) });
    const [, second] = await visitsOf(patient.id);
    const session = await plan(therapist, patient.id, "2026-10-29T14:00");
    const before = await written();
    const cancel = () =>
      cancelVisit(db, auditContextFor(coordinator), {
        patientId: patient.id,
        visitId: second!.id,
        reason: "Patient unwell",
        now: NOW,
        appUrl: APP_URL,
      });
    expect(await cancel()).toBe(true);
    expect(await cancel()).toBe(false);
    const row = await db
      .selectFrom("infusion_visits")
      .selectAll()
      .where("id", "=", second!.id)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({ status: "cancelled", cancel_reason: "Patient unwell", sequence: 1 });
    expect((await written()).emails).toBe(before.emails + 2);
    // The session sat in the cancelled visit's window and in the first visit's: it now counts for the first.
    const [listed] = await listPatientSessions(db, await openAs(db, coordinator, patient.id, NOW, "infusion_schedule"));
    expect(listed).toMatchObject({ id: session.id, visit_id: second!.id, movedOut: true });
    // A cancelled visit cannot be moved or recorded.
    expect(
      await refusal(
        rescheduleVisit(db, auditContextFor(coordinator), {
          patientId: patient.id,
          visitId: second!.id,
          startsAt: ny("2026-10-29T10:00"),
          now: NOW,
          appUrl: APP_URL,
        }),
      ),
    ).toEqual(["Only a scheduled visit can be moved."]);
    // The day is free again for the patient.
    await schedule(coordinator, {
      patientId: patient.id,
      clinicianId: clinician.id,
      starts: [ny("2026-10-28T15:00")],
      kind: "booster",
    });
  });

  it("queues one schedule notice per change to each member with access, with no patient data", async () => {
    const { db, coordinator, clinician, therapist, psychiatrist, patient } = await setUp();
    // On the team without a release; on the team but left; on the team with a revoked release; deactivated.
    const noRelease = await createProvider(db, { role: "therapist", name: "No Release" });
    await giveAccess(db, {
      patientId: patient.id,
      providerId: noRelease.id,
      by: coordinator,
      now: NOW,
      teamRole: "other",
      release: null,
    });
    const left = await createProvider(db, { role: "therapist", name: "Left Team" });
    const leftAccess = await giveAccess(db, {
      patientId: patient.id,
      providerId: left.id,
      by: coordinator,
      now: NOW,
      teamRole: "other",
    });
    await endCareTeamMembership(db, auditContextFor(coordinator), {
      patientId: patient.id,
      memberId: leftAccess.memberId,
      reason: "Left",
      now: NOW,
    });
    const revoked = await createProvider(db, { role: "therapist", name: "Revoked Release" });
    const revokedAccess = await giveAccess(db, {
      patientId: patient.id,
      providerId: revoked.id,
      by: coordinator,
      now: NOW,
      teamRole: "other",
    });
    await revokeRelease(db, auditContextFor(coordinator), {
      patientId: patient.id,
      releaseId: revokedAccess.releaseId!,
      reason: "Withdrawn",
      now: NOW,
    });
    const inactive = await createProvider(db, { role: "therapist", name: "Inactive Provider" });
    await giveAccess(db, {
      patientId: patient.id,
      providerId: inactive.id,
      by: coordinator,
      now: NOW,
      teamRole: "other",
    });
    await db
      .updateTable("users")
      .set({ status: "deactivated", deactivated_at: NOW })
      .where("id", "=", inactive.id)
      .execute();

    const result = await schedule(coordinator, {
      patientId: patient.id,
      clinicianId: clinician.id,
      starts: COURSE.map(ny),
    });
    expect(result.notified).toBe(2);
    const [first, second] = await visitsOf(patient.id);
    await rescheduleVisit(db, auditContextFor(coordinator), {
      patientId: patient.id,
      visitId: first!.id,
      startsAt: ny("2026-10-26T12:00"),
      now: NOW,
      appUrl: APP_URL,
    });
    await cancelVisit(db, auditContextFor(coordinator), {
      patientId: patient.id,
      visitId: second!.id,
      reason: "Clinic closed",
      now: NOW,
      appUrl: APP_URL,
    });

    const mail = await db.selectFrom("email_outbox").selectAll().orderBy("created_at").orderBy("id").execute();
    expect(mail.every((m) => m.template === "schedule-change")).toBe(true);
    const byRecipient = (email: string) => mail.filter((m) => m.to_address === email).map((m) => m.subject);
    const subjects = [
      "New infusion visits were scheduled for one of your Ember patients",
      "An infusion visit was rescheduled for one of your Ember patients",
      "An infusion visit was cancelled for one of your Ember patients",
    ];
    expect(byRecipient(therapist.email)).toEqual(subjects);
    expect(byRecipient(psychiatrist.email)).toEqual(subjects);
    expect(mail).toHaveLength(6);
    for (const m of mail) {
      for (const part of [m.subject, m.text, m.html]) {
        expect(part).not.toContain(patient.first_name);
        expect(part).not.toContain(patient.last_name);
        expect(part).not.toContain(patient.record_number);
        expect(part).not.toContain(patient.id);
        expect(part).not.toContain("A.L.");
      }
      expect(m.text).toContain(`${APP_URL}/schedule`);
    }
    // Each notice says what changed by the calendar reference and the New York times, with the zone.
    const { calendar_code } = await db
      .selectFrom("patients")
      .select("calendar_code")
      .where("id", "=", patient.id)
      .executeTakeFirstOrThrow();
    const [scheduled, moved, cancelled] = byRecipient(therapist.email).map(
      (subject) => mail.find((m) => m.to_address === therapist.email && m.subject === subject)!.text,
    );
    expect(scheduled).toContain(
      `New visits for calendar ref ${calendar_code}, the first on Mon, Oct 26, 2026, 10:00 AM EDT.`,
    );
    expect(moved).toContain(
      `The visit for calendar ref ${calendar_code} moved from Mon, Oct 26, 2026, 10:00 AM EDT to Mon, Oct 26, 2026, 12:00 PM EDT.`,
    );
    expect(cancelled).toContain(
      `The visit for calendar ref ${calendar_code} on Wed, Oct 28, 2026, 10:00 AM EDT was cancelled.`,
    );
  });

  it("creates exactly one booster review, due 21–28 days after the last held visit", async () => {
    const { db, coordinator, clinician, patient } = await setUp();
    await schedule(coordinator, { patientId: patient.id, clinicianId: clinician.id, starts: COURSE.map(ny) });
    const visits = await visitsOf(patient.id);
    const afterCourse = new Date(ny("2026-11-02T12:00").getTime());
    const record = (visitId: string, outcome: "held" | "missed" = "held", now = afterCourse) =>
      recordVisitOutcome(db, auditContextFor(clinician), { patientId: patient.id, visitId, outcome, now });

    // Not before the visit has started.
    expect(await record(visits[0]!.id, "held", new Date(visits[0]!.starts_at.getTime() - MINUTE))).toEqual({
      recorded: false,
      boosterReviewDue: false,
      overridden: false,
    });
    for (const v of visits.slice(0, 3))
      expect(await record(v.id)).toEqual({ recorded: true, boosterReviewDue: false, overridden: false });
    expect((await written()).boosterReviews).toBe(0);
    expect(await record(visits[3]!.id)).toEqual({ recorded: true, boosterReviewDue: true, overridden: false });
    expect(await record(visits[3]!.id)).toEqual({ recorded: false, boosterReviewDue: false, overridden: false });

    const reviews = await db.selectFrom("booster_reviews").selectAll().execute();
    expect(reviews).toEqual([
      expect.objectContaining({
        patient_id: patient.id,
        course_id: visits[0]!.course_id,
        reason: "course_completed",
        due_from: "2026-11-23",
        due_to: "2026-11-30",
        decided_at: null,
      }),
    ]);
    expect(
      await db.selectFrom("audit_events").select("entity_id").where("action", "=", "booster_review.due").execute(),
    ).toEqual([{ entity_id: reviews[0]!.id }]);
    expect(
      await db.selectFrom("infusion_visits").select("status").where("patient_id", "=", patient.id).execute(),
    ).toEqual(visits.map(() => ({ status: "held" })));
  });

  it("creates the booster review when the course completes, whatever order the outcomes are recorded in", async () => {
    const { db, coordinator, clinician, patient } = await setUp();
    await schedule(coordinator, { patientId: patient.id, clinicianId: clinician.id, starts: COURSE.map(ny) });
    const visits = await visitsOf(patient.id);
    const now = ny("2026-11-02T12:00");
    const record = (visitId: string, outcome: "held" | "missed" = "held") =>
      recordVisitOutcome(db, auditContextFor(clinician), { patientId: patient.id, visitId, outcome, now });
    // The last visit is recorded before the third: the course completes only when the third is.
    await record(visits[0]!.id);
    await record(visits[1]!.id);
    expect(await record(visits[3]!.id)).toEqual({ recorded: true, boosterReviewDue: false, overridden: false });
    expect(await record(visits[2]!.id)).toEqual({ recorded: true, boosterReviewDue: true, overridden: false });
    const reviews = await db.selectFrom("booster_reviews").select(["due_from", "due_to"]).execute();
    expect(reviews).toEqual([{ due_from: "2026-11-23", due_to: "2026-11-30" }]);
  });

  it("dates the booster review from the last held visit when the course's last visit was missed", async () => {
    const { db, coordinator, clinician, patient } = await setUp();
    await schedule(coordinator, { patientId: patient.id, clinicianId: clinician.id, starts: COURSE.map(ny) });
    const visits = await visitsOf(patient.id);
    const now = ny("2026-11-02T12:00");
    const record = (visitId: string, outcome: "held" | "missed") =>
      recordVisitOutcome(db, auditContextFor(clinician), { patientId: patient.id, visitId, outcome, now });
    for (const v of visits.slice(0, 3)) await record(v.id, "held");
    expect(await record(visits[3]!.id, "missed")).toEqual({
      recorded: true,
      boosterReviewDue: true,
      overridden: false,
    });
    // The third visit, on 2026-10-30, was the last infusion given.
    expect(await db.selectFrom("booster_reviews").select(["due_from", "due_to"]).execute()).toEqual([
      { due_from: "2026-11-20", due_to: "2026-11-27" },
    ]);
  });

  it("opens no booster review for booster visits or a course with nothing held", async () => {
    const { db, coordinator, clinician, patient } = await setUp();
    await schedule(coordinator, {
      patientId: patient.id,
      clinicianId: clinician.id,
      starts: [ny("2026-10-26T10:00")],
      kind: "booster",
    });
    await schedule(coordinator, {
      patientId: patient.id,
      clinicianId: clinician.id,
      starts: [ny("2026-10-28T10:00"), ny("2026-10-30T10:00")],
    });
    const now = ny("2026-11-02T12:00");
    const [booster, a, b] = await visitsOf(patient.id);
    expect(
      await recordVisitOutcome(db, auditContextFor(clinician), {
        patientId: patient.id,
        visitId: booster!.id,
        outcome: "held",
        now,
      }),
    ).toEqual({ recorded: true, boosterReviewDue: false, overridden: false });
    await recordVisitOutcome(db, auditContextFor(clinician), {
      patientId: patient.id,
      visitId: a!.id,
      outcome: "missed",
      now,
    });
    expect(
      await recordVisitOutcome(db, auditContextFor(clinician), {
        patientId: patient.id,
        visitId: b!.id,
        outcome: "missed",
        now,
      }),
    ).toEqual({ recorded: true, boosterReviewDue: false, overridden: false });
    expect((await written()).boosterReviews).toBe(0);
  });

  it("exports the patient's calendar: UIDs kept across a reschedule with a higher SEQUENCE, cancelled visits marked", async () => {
    const { db, coordinator, clinician, patient } = await setUp();
    await schedule(coordinator, { patientId: patient.id, clinicianId: clinician.id, starts: COURSE.map(ny) });
    const visits = await visitsOf(patient.id);
    const ics = await patientCalendar(
      db,
      await openAs(db, coordinator, patient.id, NOW, "infusion_schedule"),
      NOW,
      APP_URL,
    );
    const events = parseCalendar(ics);
    expect(events).toHaveLength(8);
    for (const v of visits) {
      expect(events.find((e) => e.uid === `visit-${v.id}@ember-portal`)).toMatchObject({
        start: v.starts_at.toISOString(),
        end: v.ends_at.toISOString(),
        sequence: 0,
        status: "CONFIRMED",
      });
      expect(events.find((e) => e.uid === `window-${v.id}@ember-portal`)).toMatchObject({
        start: v.ends_at.toISOString(),
        end: v.window_closes_at.toISOString(),
      });
    }
    // Neither initials nor the treatment: the patient's calendar code and the clinic.
    const { calendar_code: code } = await db
      .selectFrom("patients")
      .select("calendar_code")
      .where("id", "=", patient.id)
      .executeTakeFirstOrThrow();
    expect(code).toMatch(/^[2-9A-HJKMNP-Z]{4}$/);
    expect(events[0]!.summary).toBe(`Ember visit · ref ${code} (Chelsea)`);
    expect(events[1]!.summary).toBe(`Therapy window · ref ${code}`);
    expect(ics).not.toMatch(/A\.L\.|ketamine|infusion/i);
    expect(ics).not.toContain("Lindqvist");
    expect(ics).not.toContain("Avery");

    await rescheduleVisit(db, auditContextFor(coordinator), {
      patientId: patient.id,
      visitId: visits[0]!.id,
      startsAt: ny("2026-10-27T10:00"),
      now: NOW,
      appUrl: APP_URL,
    });
    await cancelVisit(db, auditContextFor(coordinator), {
      patientId: patient.id,
      visitId: visits[2]!.id,
      reason: "Unwell",
      now: NOW,
      appUrl: APP_URL,
    });
    const updated = parseCalendar(
      await patientCalendar(
        db,
        await openAs(db, coordinator, patient.id, NOW, "infusion_schedule"),
        new Date(NOW.getTime() + HOUR),
        APP_URL,
      ),
    );
    expect(updated).toHaveLength(8);
    expect(updated.find((e) => e.uid === `visit-${visits[0]!.id}@ember-portal`)).toMatchObject({
      start: "2026-10-27T14:00:00.000Z",
      end: "2026-10-27T15:30:00.000Z",
      sequence: 1,
      status: "CONFIRMED",
    });
    expect(updated.find((e) => e.uid === `window-${visits[0]!.id}@ember-portal`)).toMatchObject({
      end: "2026-10-30T15:30:00.000Z",
      sequence: 1,
    });
    expect(updated.find((e) => e.uid === `visit-${visits[2]!.id}@ember-portal`)).toMatchObject({
      status: "CANCELLED",
      sequence: 1,
    });
    expect(updated.find((e) => e.uid === `visit-${visits[1]!.id}@ember-portal`)).toMatchObject({
      status: "CONFIRMED",
      sequence: 0,
    });
  });

  it("serves a provider's feed for their visible patients only, and nothing for an unknown or revoked token", async () => {
    const { db, coordinator, clinician, therapist, psychiatrist, patient } = await setUp();
    const second = await engagedPatient({ coordinator, therapist }, { firstName: "Jordan", lastName: "Baptiste" });
    const notMine = await engagedPatient(
      { coordinator, therapist: psychiatrist },
      { firstName: "Riley", lastName: "Nakamura" },
    );
    await schedule(coordinator, { patientId: patient.id, clinicianId: clinician.id, starts: COURSE.map(ny) });
    await schedule(coordinator, {
      patientId: second.id,
      clinicianId: clinician.id,
      starts: [ny("2026-10-27T10:00")],
      kind: "booster",
    });
    await schedule(coordinator, {
      patientId: notMine.id,
      clinicianId: clinician.id,
      starts: [ny("2026-10-29T10:00")],
      kind: "booster",
    });
    const visitIds = async (p: { id: string }) => (await visitsOf(p.id)).map((v) => v.id);
    const request = { ip: "203.0.113.50", requestId: "req-feed" };
    const feedVisitIds = async (token: string, now = NOW) => {
      const body = await feedCalendar(db, token, now, APP_URL, request);
      if (body === null) return null;
      return parseCalendar(body)
        .filter((e) => e.uid.startsWith("visit-"))
        .map((e) => e.uid.slice("visit-".length, -"@ember-portal".length))
        .sort();
    };

    const token = await issueCalendarFeed(db, actorFor(therapist), auditContextFor(therapist), NOW);
    expect(await feedVisitIds(token)).toEqual([...(await visitIds(patient)), ...(await visitIds(second))].sort());
    expect(await feedVisitIds("x".repeat(43))).toBeNull();
    const feedBody = (await feedCalendar(db, token, NOW, APP_URL, request))!;
    expect(feedBody).not.toContain("Lindqvist");
    expect(feedBody).not.toContain("Baptiste");
    expect(
      await db
        .selectFrom("audit_events")
        .select(["actor_id", "detail"])
        .where("action", "=", "calendar_feed.read")
        .orderBy("id")
        .execute(),
    ).toContainEqual({
      actor_id: therapist.id,
      detail: { visits: 5 },
    });

    // A revoked release drops the patient from the very next refresh.
    await revokeRelease(db, auditContextFor(coordinator), {
      patientId: second.id,
      releaseId: second.releases[therapist.id]!,
      reason: "Withdrawn",
      now: NOW,
    });
    expect(await feedVisitIds(token)).toEqual((await visitIds(patient)).sort());

    // A new address replaces the old one; revoking stops every address.
    const replacement = await issueCalendarFeed(db, actorFor(therapist), auditContextFor(therapist), NOW);
    expect(await feedVisitIds(token)).toBeNull();
    expect(await feedVisitIds(replacement)).toHaveLength(4);
    await revokeCalendarFeeds(db, actorFor(therapist), auditContextFor(therapist), NOW);
    expect(await feedVisitIds(replacement)).toBeNull();

    // The psychiatrist sees the first patient (on that team) and their own; staff feeds see everyone.
    const psychToken = await issueCalendarFeed(db, actorFor(psychiatrist), auditContextFor(psychiatrist), NOW);
    expect(await feedVisitIds(psychToken)).toEqual([...(await visitIds(patient)), ...(await visitIds(notMine))].sort());
    const staffToken = await issueCalendarFeed(db, actorFor(clinician), auditContextFor(clinician), NOW);
    expect(await feedVisitIds(staffToken)).toHaveLength(6);
    // A deactivated owner's address stops working.
    await db
      .updateTable("users")
      .set({ status: "deactivated", deactivated_at: NOW })
      .where("id", "=", psychiatrist.id)
      .execute();
    expect(await feedVisitIds(psychToken)).toBeNull();
  });

  it("lists a window without a planned session until one is planned inside it", async () => {
    const { db, coordinator, clinician, therapist, patient } = await setUp();
    await schedule(coordinator, { patientId: patient.id, clinicianId: clinician.id, starts: COURSE.map(ny) });
    const visits = await visitsOf(patient.id);
    const open = async (now = NOW) => (await windowsWithoutSession(db, { now, limit: 50 })).map((w) => w.id);
    expect(await open()).toEqual(visits.map((v) => v.id));

    // Planned before the window opens: does not count.
    await plan(therapist, patient.id, "2026-10-26T11:00");
    expect(await open()).toEqual(visits.map((v) => v.id));
    const inFirst = await plan(therapist, patient.id, "2026-10-27T14:00");
    expect(await open()).toEqual(visits.slice(1).map((v) => v.id));
    // A missed session leaves the window open again.
    expect(
      await recordSessionOutcome(db, actorFor(therapist), auditContextFor(therapist), {
        sessionId: inFirst.id,
        patientId: patient.id,
        outcome: "missed",
        // An outcome is recorded once the session's time has come.
        now: ny("2026-10-27T15:00"),
      }),
    ).toBe(true);
    expect(await open()).toEqual(visits.map((v) => v.id));
    // Across the change: 10:15 EST on Monday 2 November is still inside Friday's window (closes 10:30 EST).
    await plan(therapist, patient.id, "2026-11-02T10:15");
    expect(await open()).toEqual([visits[0]!.id, visits[1]!.id, visits[3]!.id]);
    // Windows that have closed drop off the list.
    expect(await open(new Date(visits[1]!.window_closes_at.getTime()))).toEqual([visits[3]!.id]);
    // The provider's upcoming list shows the session under Friday's window, and not the missed one.
    const upcoming = (await providerSchedule(db, actorFor(therapist), { now: NOW, today: clinicToday(NOW), page: 1 }))
      .visits;
    expect(upcoming.map((v) => [v.id, v.sessions.length])).toEqual([
      [visits[0]!.id, 0],
      [visits[1]!.id, 0],
      [visits[2]!.id, 1],
      [visits[3]!.id, 0],
    ]);
  });

  it("pages a provider's upcoming infusions, soonest first, with nothing shown twice or left out", async () => {
    const { db, coordinator, clinician, therapist, patient } = await setUp();
    const other = await engagedPatient({ coordinator, therapist }, { firstName: "Blair", lastName: "Osei" });
    // Two patients' visits interleaved, two at the same moment, and one whose window closed before NOW.
    const starts = (offsetMinutes: number) =>
      Array.from({ length: 15 }, (_, i) => new Date(NOW.getTime() + (i + 1) * DAY + offsetMinutes * MINUTE));
    await insertCourse(db, {
      patientId: patient.id,
      clinicianId: clinician.id,
      createdBy: coordinator.id,
      starts: starts(0),
    });
    await insertCourse(db, {
      patientId: other.id,
      clinicianId: clinician.id,
      createdBy: coordinator.id,
      starts: [...starts(0).slice(0, 1), ...starts(30).slice(1), new Date(NOW.getTime() - 5 * DAY)],
    });
    const today = clinicToday(NOW);
    const first = await providerSchedule(db, actorFor(therapist), { now: NOW, today, page: 1 });
    const second = await providerSchedule(db, actorFor(therapist), { now: NOW, today, page: 2 });
    const third = await providerSchedule(db, actorFor(therapist), { now: NOW, today, page: 3 });
    expect(first.visits).toHaveLength(SCHEDULE_PAGE_SIZE);
    expect(first.hasNext).toBe(true);
    expect(second.visits).toHaveLength(30 - SCHEDULE_PAGE_SIZE);
    expect(second.hasNext).toBe(false);
    expect(third.visits).toEqual([]);
    const shown = [...first.visits, ...second.visits];
    expect(new Set(shown.map((v) => v.id)).size).toBe(30);
    const startsShown = shown.map((v) => new Date(v.starts_at).getTime());
    expect(startsShown).toEqual([...startsShown].sort((a, b) => a - b));
    expect(Math.min(...startsShown)).toBeGreaterThan(NOW.getTime());
    // A provider with none of these patients sees none of their visits.
    const stranger = await createProvider(db, { role: "therapist" });
    expect((await providerSchedule(db, actorFor(stranger), { now: NOW, today, page: 1 })).visits).toEqual([]);
  });

  it("lists visits with location and clinician for the patient's page", async () => {
    const { db, coordinator, clinician, patient } = await setUp();
    await schedule(coordinator, {
      patientId: patient.id,
      clinicianId: clinician.id,
      starts: COURSE.map(ny),
      locationId: "williamsburg",
    });
    const listed = await listPatientVisits(db, await openAs(db, coordinator, patient.id, NOW, "infusion_schedule"));
    expect(listed.map((v) => [v.location_name, v.clinician_name, v.status])).toEqual(
      COURSE.map(() => ["Williamsburg", "Dr. Lena Brooks, MD", "scheduled"]),
    );
  });
});
