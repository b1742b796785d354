import { expect, it } from "vitest";
import { clinicToday, toLocalInput, zonedToUtc } from "~/lib/time";
import { scheduleCourse } from "~/modules/infusions/infusions.server";
import { protocolProgress } from "~/modules/infusions/labels";
import { providerSchedule } from "~/modules/infusions/schedule.server";
import {
  moveTherapySession,
  proposedSessionStart,
  sessionPrefill,
  setSessionCancelled,
} from "~/modules/infusions/session-changes.server";
import {
  listPatientSessions,
  OUTSIDE_WINDOW_QUESTION,
  planTherapySession,
  recordSessionOutcome,
  SessionRefusal,
  type SessionInput,
} from "~/modules/infusions/sessions.server";
import { confirmEngagement } from "~/modules/engagement/engagement.server";
import { sessionSchema } from "~/modules/infusions/schema";
import { describeEachEngine } from "../support/db";
import {
  actorFor,
  auditContextFor,
  createProvider,
  createUser,
  engagementInput,
  giveAccess,
  insertClinicBasics,
  insertPatient,
  openAs,
  type TestUser,
} from "../support/factories";

// Monday 2026-10-19, 09:00 in New York.
const NOW = new Date("2026-10-19T13:00:00Z");
const COURSE = ["2026-10-26T10:00", "2026-10-28T10:00", "2026-10-30T10:00"];

function ny(local: string): Date {
  const instant = zonedToUtc(local);
  if (!instant) throw new Error(`${local} does not exist in New York`);
  return instant;
}

/** The refusal a promise ends with: its message and the field it is about. */
const refusalOf = (promise: Promise<unknown>) =>
  promise.then(
    () => {
      throw new Error("expected a SessionRefusal");
    },
    (e: unknown) => {
      expect(e).toBeInstanceOf(SessionRefusal);
      return { message: (e as SessionRefusal).message, field: (e as SessionRefusal).field };
    },
  );

describeEachEngine("therapy sessions", (getDb) => {
  async function setUp() {
    const db = getDb();
    await insertClinicBasics(db);
    const coordinator = await createUser(db, { role: "coordinator" });
    const clinician = await createUser(db, { role: "clinician" });
    const therapist = await createProvider(db, { role: "therapist", name: "Dana Whitfield, LCSW" });
    const patient = await insertPatient(db, { firstName: "Avery", lastName: "Lindqvist", diagnoses: ["ptsd", "mdd"] });
    await giveAccess(db, {
      patientId: patient.id,
      providerId: therapist.id,
      by: coordinator,
      now: NOW,
      teamRole: "primary_therapist",
    });
    await confirmEngagement(db, actorFor(therapist), auditContextFor(therapist), {
      ...engagementInput(therapist.name, { traumaTherapy: "WET" }),
      patientId: patient.id,
      now: NOW,
    });
    await scheduleCourse(db, auditContextFor(coordinator), {
      locationId: "chelsea",
      clinicianId: clinician.id,
      kind: "course",
      starts: COURSE.map(ny),
      patientId: patient.id,
      now: NOW,
      appUrl: "https://portal.ember.test",
    });
    const visits = await db
      .selectFrom("infusion_visits")
      .selectAll()
      .where("patient_id", "=", patient.id)
      .orderBy("starts_at")
      .execute();
    return { db, therapist, patient, visits };
  }

  const as = (user: TestUser) => [getDb(), actorFor(user), auditContextFor(user)] as const;
  const plan = (user: TestUser, patientId: string, input: Partial<SessionInput> & { startsAt: Date }) =>
    planTherapySession(...as(user), {
      patientId,
      modality: "WET",
      protocolNumber: 1,
      protocolTotal: 5,
      mode: "telehealth",
      outsideWindow: false,
      now: NOW,
      ...input,
    });

  it("prefills “Plan one”: the next whole hour two hours ahead inside the window, the confirmed modality, the next number", async () => {
    const { db, therapist, patient, visits } = await setUp();
    const first = visits[0]!;
    const checked = await openAs(db, therapist, patient.id, NOW, "infusion_schedule");
    // The window opens at 11:30 on 26 October: well over two hours ahead, so the first whole hour in it.
    expect(await sessionPrefill(db, actorFor(therapist), checked, first.id, NOW)).toEqual({
      startsAt: "2026-10-26T12:00",
      modality: "WET",
      protocolNumber: "1",
      protocolTotal: "5",
    });
    // Inside an open window: the next whole hour at least two hours from now.
    expect(toLocalInput(proposedSessionStart(first, ny("2026-10-26T14:10")))).toBe("2026-10-26T17:00");
    // Less than two hours before the window closes: the window's start.
    expect(proposedSessionStart(first, new Date(first.window_closes_at.getTime() - 60_000))).toEqual(first.ends_at);

    await plan(therapist, patient.id, { startsAt: ny("2026-10-26T12:00") });
    await plan(therapist, patient.id, { startsAt: ny("2026-10-28T12:00"), protocolNumber: 2 });
    const next = await sessionPrefill(db, actorFor(therapist), checked, visits[2]!.id, NOW);
    expect(next).toMatchObject({ modality: "WET", protocolNumber: "3", protocolTotal: "5" });
    // A visit of another patient, or none at all, fills nothing.
    expect(
      await sessionPrefill(db, actorFor(therapist), checked, "00000000-0000-4000-8000-000000000000", NOW),
    ).toBeNull();
  });

  it("refuses a duplicate session number for the same patient, provider and modality, unless it was cancelled", async () => {
    const { therapist, patient } = await setUp();
    const first = await plan(therapist, patient.id, { startsAt: ny("2026-10-26T12:00") });
    expect(await refusalOf(plan(therapist, patient.id, { startsAt: ny("2026-10-28T12:00") }))).toEqual({
      message: "You already have WET session 1 for this patient. Use the next number, or move or cancel that session.",
      field: "protocolNumber",
    });
    // Another modality may use the same number.
    await plan(therapist, patient.id, { startsAt: ny("2026-10-28T13:00"), modality: "CPT", protocolTotal: 12 });
    await setSessionCancelled(...as(therapist), {
      patientId: patient.id,
      sessionId: first.id,
      cancelled: true,
      now: NOW,
    });
    const again = await plan(therapist, patient.id, { startsAt: ny("2026-10-28T12:00") });
    expect(again.inWindow).toBe(true);
    // The cancelled one cannot come back while another WET 1 stands.
    expect(
      (
        await refusalOf(
          setSessionCancelled(...as(therapist), {
            patientId: patient.id,
            sessionId: first.id,
            cancelled: false,
            now: NOW,
          }),
        )
      ).message,
    ).toContain("cannot be restored");
  });

  it("asks before planning outside every window, and plans there on the confirmed second submit", async () => {
    const { db, therapist, patient } = await setUp();
    const outside = ny("2026-10-22T12:00");
    expect(await refusalOf(plan(therapist, patient.id, { startsAt: outside }))).toEqual({
      message: OUTSIDE_WINDOW_QUESTION,
      field: "outsideWindow",
    });
    expect(await db.selectFrom("therapy_sessions").select("id").execute()).toHaveLength(0);
    expect(await plan(therapist, patient.id, { startsAt: outside, outsideWindow: true })).toMatchObject({
      inWindow: false,
    });
    // The form's checkbox is what confirms it.
    const form = { startsAt: "2026-10-22T12:00", modality: "WET", mode: "telehealth" };
    expect(sessionSchema.parse(form).outsideWindow).toBe(false);
    expect(sessionSchema.parse({ ...form, outsideWindow: "yes" }).outsideWindow).toBe(true);
    expect(sessionSchema.safeParse({ ...form, protocolTotal: "6" }).error?.issues[0]?.message).toBe(
      "WET takes 5 sessions.",
    );
    expect(sessionSchema.safeParse({ ...form, modality: "PE", protocolTotal: "10" }).success).toBe(true);
  });

  it("moves, cancels and restores a planned session while its time is ahead; only its own provider may", async () => {
    const { db, therapist, patient, visits } = await setUp();
    const other = await createProvider(db, { role: "therapist" });
    const session = await plan(therapist, patient.id, { startsAt: ny("2026-10-26T12:00") });
    const change = { patientId: patient.id, sessionId: session.id, now: NOW };
    // A move out of every window is asked about first, like a new plan.
    expect(
      (
        await refusalOf(
          moveTherapySession(...as(therapist), { ...change, startsAt: ny("2026-10-22T12:00"), outsideWindow: false }),
        )
      ).field,
    ).toBe("outsideWindow");
    expect(
      await moveTherapySession(...as(therapist), { ...change, startsAt: ny("2026-10-28T13:00"), outsideWindow: false }),
    ).toEqual({ inWindow: true });
    const row = () =>
      db.selectFrom("therapy_sessions").selectAll().where("id", "=", session.id).executeTakeFirstOrThrow();
    expect(await row()).toMatchObject({
      starts_at: ny("2026-10-28T13:00"),
      visit_id: visits[1]!.id,
      status: "planned",
    });
    expect((await refusalOf(setSessionCancelled(...as(other), { ...change, cancelled: true }))).message).toBe(
      "Only your own planned sessions can be changed.",
    );

    await setSessionCancelled(...as(therapist), { ...change, cancelled: true });
    expect((await row()).status).toBe("cancelled");
    const checked = await openAs(db, therapist, patient.id, NOW, "infusion_schedule");
    expect(protocolProgress(await listPatientSessions(db, checked))).toEqual([]);
    await setSessionCancelled(...as(therapist), { ...change, cancelled: false });
    expect((await row()).status).toBe("planned");
    // Once its time has passed, a cancelled session stays cancelled.
    await setSessionCancelled(...as(therapist), { ...change, cancelled: true });
    expect(
      (
        await refusalOf(
          setSessionCancelled(...as(therapist), { ...change, cancelled: false, now: ny("2026-10-28T13:00") }),
        )
      ).message,
    ).toBe("This session's time has passed: plan a new one instead of restoring it.");
    const actions = await db.selectFrom("audit_events").select("action").where("entity_id", "=", session.id).execute();
    expect(actions.map((a) => a.action).sort()).toEqual([
      "therapy_session.cancel",
      "therapy_session.cancel",
      "therapy_session.move",
      "therapy_session.plan",
      "therapy_session.restore",
    ]);
  });

  it("refuses an outcome before the session starts, records it after", async () => {
    const { therapist, patient } = await setUp();
    const session = await plan(therapist, patient.id, { startsAt: ny("2026-10-26T12:00") });
    const outcome = (now: Date) =>
      recordSessionOutcome(...as(therapist), { patientId: patient.id, sessionId: session.id, outcome: "held", now });
    expect((await refusalOf(outcome(NOW))).message).toBe(
      "This session has not started yet: record whether it was held once its time has come.",
    );
    expect(await outcome(ny("2026-10-26T12:00"))).toBe(true);
  });

  it("counts progress per modality on the patient's page and on upcoming infusions", async () => {
    const { db, therapist, patient } = await setUp();
    const later = ny("2026-10-31T09:00");
    const held = await plan(therapist, patient.id, { startsAt: ny("2026-10-26T12:00") });
    await plan(therapist, patient.id, { startsAt: ny("2026-10-28T12:00"), protocolNumber: 2 });
    const missed = await plan(therapist, patient.id, { startsAt: ny("2026-10-28T14:00"), protocolNumber: 3 });
    await plan(therapist, patient.id, { startsAt: ny("2026-10-30T12:00"), modality: "PE", protocolTotal: 10 });
    await recordSessionOutcome(...as(therapist), {
      patientId: patient.id,
      sessionId: held.id,
      outcome: "held",
      now: later,
    });
    await recordSessionOutcome(...as(therapist), {
      patientId: patient.id,
      sessionId: missed.id,
      outcome: "missed",
      now: later,
    });
    const checked = await openAs(db, therapist, patient.id, NOW, "infusion_schedule");
    const expected = ["PE 0 of 10 held · 1 planned", "WET 1 of 5 held · 1 planned"];
    expect(protocolProgress(await listPatientSessions(db, checked))).toEqual(expected);
    const { visits } = await providerSchedule(db, actorFor(therapist), { now: NOW, today: clinicToday(NOW), page: 1 });
    expect(visits.map((v) => protocolProgress(v.progress))).toEqual([expected, expected, expected]);
    expect(protocolProgress([{ modality: "PE", status: "held", protocol_total: null }])).toEqual(["PE 1 of 8–15 held"]);
  });
});
