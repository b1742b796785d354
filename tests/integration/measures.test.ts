import { expect, it } from "vitest";
import { clinicToday } from "~/lib/time";
import { revokeRelease } from "~/modules/patients/care-team.server";
import { acknowledgeSafetyAlert, openSafetyAlerts, patientSafetyAlerts } from "~/modules/measures/alerts.server";
import { duePoints, newestCourse, queueMeasureReminders } from "~/modules/measures/reminders.server";
import { patientMeasures, recordMeasure } from "~/modules/measures/measures.server";
import { measureSchema } from "~/modules/measures/schema";
import { ScoringError, type Instrument } from "~/modules/measures/scoring";
import { DAY, HOUR } from "../support/clock";
import { describeEachEngine } from "../support/db";
import {
  actorFor,
  auditContextFor,
  createProvider,
  createUser,
  giveAccess,
  insertClinicBasics,
  insertCourse,
  insertPatient,
  openAs,
  type TestUser,
} from "../support/factories";

const APP_URL = "https://portal.ember.test";
// 11:00 in New York on Tuesday 2026-10-20.
const NOW = new Date("2026-10-20T15:00:00Z");
const TODAY = clinicToday(NOW);
/** 10:00 in New York on a day of October or early November 2026 (EDT until Nov 1, EST after). */
const visitOn = (day: string) => new Date(`${day}T${day < "2026-11-01" ? "14" : "15"}:00:00Z`);
/** Noon in New York on that day: a moment to record a measure at. */
const noonOn = (day: string) => new Date(`${day}T${day < "2026-11-01" ? "16" : "17"}:00:00Z`);

const PHQ9_ITEMS_9 = (last: number, rest = 1) => [...Array<number>(8).fill(rest), last];
/** PHQ-9 items adding up to `score`, with item 9 at 0. */
function phq9Totalling(score: number): number[] {
  const items = Array<number>(9).fill(0);
  for (let i = 0, left = score; left > 0; i++) {
    items[i] = Math.min(3, left);
    left -= items[i]!;
  }
  if (items[8]) throw new Error("score too high to keep item 9 at 0");
  return items;
}

/** PCL-5 items adding up to `score`. */
function pcl5Totalling(score: number): number[] {
  const items = Array<number>(20).fill(0);
  for (let i = 0, left = score; left > 0; i++) {
    items[i] = Math.min(4, left);
    left -= items[i]!;
  }
  return items;
}

describeEachEngine("measures", (getDb) => {
  async function setUp() {
    const db = getDb();
    await insertClinicBasics(db);
    const coordinator = await createUser(db, { role: "coordinator", name: "Maya Okafor" });
    const formerCoordinator = await createUser(db, { role: "coordinator", status: "deactivated" });
    const clinician = await createUser(db, { role: "clinician", name: "Dr. Lena Brooks, MD" });
    const clinician2 = await createUser(db, { role: "clinician", name: "Sam Ortiz, NP" });
    const formerClinician = await createUser(db, { role: "clinician", status: "deactivated" });
    const admin = await createUser(db, { role: "admin" });
    const therapist = await createProvider(db, { role: "therapist", name: "Dana Whitfield, LCSW" });
    const psychiatrist = await createProvider(db, { role: "psychiatrist", name: "Dr. Ravi Castellano" });
    const outsider = await createProvider(db, { role: "therapist", name: "Sam Outside, LMHC" });
    const revoked = await createProvider(db, { role: "therapist", name: "Riley Revoked, LMFT" });
    const patient = await insertPatient(db, { firstName: "Marisol", lastName: "Quintanilla-Obi" });
    await giveAccess(db, { patientId: patient.id, providerId: therapist.id, by: coordinator, now: NOW });
    await giveAccess(db, {
      patientId: patient.id,
      providerId: psychiatrist.id,
      by: coordinator,
      now: NOW,
      teamRole: "psychiatrist",
    });
    const { releaseId } = await giveAccess(db, {
      patientId: patient.id,
      providerId: revoked.id,
      by: coordinator,
      now: NOW,
      teamRole: "other",
    });
    await revokeRelease(db, auditContextFor(coordinator), {
      patientId: patient.id,
      releaseId: releaseId!,
      reason: "consent withdrawn",
      now: NOW,
    });
    return {
      db,
      coordinator,
      formerCoordinator,
      clinician,
      clinician2,
      formerClinician,
      admin,
      therapist,
      psychiatrist,
      outsider,
      revoked,
      patient,
    };
  }

  function record(
    who: TestUser,
    patientId: string,
    instrument: Instrument,
    items: number[],
    options: { takenOn?: string; now?: Date } = {},
  ) {
    const now = options.now ?? NOW;
    return recordMeasure(getDb(), actorFor(who), auditContextFor(who), {
      patientId,
      instrument,
      takenOn: options.takenOn ?? clinicToday(now),
      items,
      now,
      appUrl: APP_URL,
    });
  }

  const outbox = () => getDb().selectFrom("email_outbox").selectAll().orderBy("id").execute();
  const measures = () => getDb().selectFrom("measures").selectAll().orderBy("recorded_at").execute();

  it("computes and stores the total from the items, for each instrument", async () => {
    const { db, therapist, psychiatrist, patient } = await setUp();
    const phq = await record(therapist, patient.id, "PHQ9", [3, 2, 1, 0, 3, 2, 1, 0, 0]);
    const pcl = await record(
      psychiatrist,
      patient.id,
      "PCL5",
      [4, 4, 3, 3, 2, 2, 1, 1, 0, 0, 4, 4, 3, 3, 2, 2, 1, 1, 0, 0],
      { now: new Date(NOW.getTime() + HOUR) },
    );
    expect(phq).toEqual({ id: expect.any(String), safetyAlert: null, boosterReview: false });
    expect(pcl.safetyAlert).toBeNull();
    const rows = await measures();
    expect(
      rows.map((r) => ({
        id: r.id,
        instrument: r.instrument,
        items: r.items,
        total: r.total,
        taken_on: r.taken_on,
        recorded_by: r.recorded_by,
      })),
    ).toEqual([
      {
        id: phq.id,
        instrument: "PHQ9",
        items: [3, 2, 1, 0, 3, 2, 1, 0, 0],
        total: 12,
        taken_on: TODAY,
        recorded_by: therapist.id,
      },
      {
        id: pcl.id,
        instrument: "PCL5",
        items: [4, 4, 3, 3, 2, 2, 1, 1, 0, 0, 4, 4, 3, 3, 2, 2, 1, 1, 0, 0],
        total: 40,
        taken_on: TODAY,
        recorded_by: psychiatrist.id,
      },
    ]);
    const audit = await db
      .selectFrom("audit_events")
      .select(["action", "entity_id", "patient_id", "detail"])
      .where("action", "=", "measure.record")
      .orderBy("id")
      .execute();
    expect(audit).toEqual([
      { action: "measure.record", entity_id: phq.id, patient_id: patient.id, detail: { instrument: "PHQ9" } },
      { action: "measure.record", entity_id: pcl.id, patient_id: patient.id, detail: { instrument: "PCL5" } },
    ]);

    const { rows: shown } = await patientMeasures(db, await openAs(db, therapist, patient.id, NOW, "symptom_measures"));
    expect(shown.map((r) => [r.instrument, r.total, r.band, r.probablePtsd, r.clusters])).toEqual([
      ["PHQ9", 12, "moderate", null, null],
      ["PCL5", 40, null, true, { B: 16, C: 3, D: 15, E: 6 }],
    ]);
  });

  it("refuses incomplete, out-of-range and non-integer items, writing nothing", async () => {
    const { db, therapist, patient } = await setUp();
    for (const [instrument, items] of [
      ["PHQ9", [1, 1, 1, 1, 1, 1, 1, 1]],
      ["PHQ9", [1, 1, 1, 1, 1, 1, 1, 1, 4]],
      ["PHQ9", [1, 1, 1, 1, 1.5, 1, 1, 1, 0]],
      ["PCL5", Array<number>(20).fill(5)],
      ["PCL5", Array<number>(9).fill(1)],
    ] as const) {
      await expect(record(therapist, patient.id, instrument, [...items])).rejects.toBeInstanceOf(ScoringError);
    }
    expect(await measures()).toEqual([]);
    expect(await db.selectFrom("audit_events").select("id").where("action", "=", "measure.record").execute()).toEqual(
      [],
    );
  });

  it("parses the entry form item by item, refusing a missing or out-of-range answer and a future date", () => {
    const schema = measureSchema("PHQ9", TODAY);
    const form = Object.fromEntries([
      ["takenOn", TODAY],
      ...Array.from({ length: 9 }, (_, i) => [`item${i + 1}`, String(i % 4)]),
    ]);
    expect(schema.parse(form)).toEqual({ takenOn: TODAY, items: [0, 1, 2, 3, 0, 1, 2, 3, 0] });
    const { item9: _, ...missing } = form;
    expect(schema.safeParse(missing).error?.issues.map((i) => i.path.join("."))).toEqual(["item9"]);
    expect(schema.safeParse({ ...form, item3: "4" }).error?.issues[0]?.message).toBe(
      "Answer item 3 with a score from 0 to 3.",
    );
    expect(schema.safeParse({ ...form, item3: "1.5" }).success).toBe(false);
    expect(schema.safeParse({ ...form, takenOn: "2026-10-21" }).error?.issues[0]?.message).toBe(
      "The date taken cannot be in the future.",
    );
    expect(measureSchema("PCL5", TODAY).safeParse({ ...form, item3: "4" }).success).toBe(false);
    const pcl = Object.fromEntries([
      ["takenOn", TODAY],
      ...Array.from({ length: 20 }, (_, i) => [`item${i + 1}`, "4"]),
    ]);
    expect(measureSchema("PCL5", TODAY).parse(pcl).items).toEqual(Array<number>(20).fill(4));
  });

  it("raises a safety alert on PHQ-9 item 9 above 0 and emails coordinators, clinicians and the care team with access at once", async () => {
    const { db, therapist, psychiatrist, coordinator, clinician, clinician2, patient } = await setUp();
    const result = await record(therapist, patient.id, "PHQ9", PHQ9_ITEMS_9(1));
    expect(result.safetyAlert).toEqual({ joined: false, signals: 1 });
    const alerts = await db.selectFrom("safety_alerts").selectAll().execute();
    expect(alerts).toEqual([
      {
        id: expect.any(String),
        patient_id: patient.id,
        measure_id: result.id,
        note_id: null,
        raised_at: NOW,
        acknowledged_by: null,
        acknowledged_at: null,
        action_taken: null,
        escalated_at: null,
      },
    ]);

    const mail = await outbox();
    // Not the provider off the team, not the one whose release was revoked, not deactivated staff, not admins.
    expect(mail.map((m) => m.to_address).sort()).toEqual(
      [therapist, psychiatrist, coordinator, clinician, clinician2].map((u) => u.email).sort(),
    );
    for (const m of mail) {
      expect(m).toMatchObject({
        template: "safety-alert",
        status: "pending",
        subject: "Urgent: a safety signal was recorded for an Ember patient",
      });
      expect(m.html).toContain(`${APP_URL}/patients/${patient.id}/measures`);
      for (const part of [m.subject, m.html, m.text]) {
        for (const secret of [patient.first_name, patient.last_name, patient.record_number])
          expect(part).not.toContain(secret);
      }
    }
    const raised = await db
      .selectFrom("audit_events")
      .select(["entity_id", "detail"])
      .where("action", "=", "safety_alert.raise")
      .execute();
    expect(raised).toEqual([{ entity_id: alerts[0]!.id, detail: { notices: 5 } }]);
  });

  it("raises nothing for a high PHQ-9 with item 9 at 0, nor for any PCL-5", async () => {
    const { db, therapist, patient } = await setUp();
    expect((await record(therapist, patient.id, "PHQ9", [3, 3, 3, 3, 3, 3, 3, 3, 0])).safetyAlert).toBeNull();
    expect((await record(therapist, patient.id, "PCL5", Array<number>(20).fill(4))).safetyAlert).toBeNull();
    expect(await db.selectFrom("safety_alerts").select("id").execute()).toEqual([]);
    expect(await outbox()).toEqual([]);
  });

  it("lets only a clinician acknowledge a safety alert, and only once", async () => {
    const { db, therapist, psychiatrist, coordinator, admin, clinician, clinician2, outsider, patient } = await setUp();
    await record(therapist, patient.id, "PHQ9", PHQ9_ITEMS_9(2));
    const alert = await db.selectFrom("safety_alerts").select("id").executeTakeFirstOrThrow();
    const ack = (who: TestUser, patientId = patient.id) =>
      acknowledgeSafetyAlert(db, actorFor(who), auditContextFor(who), {
        patientId,
        alertId: alert.id,
        action: "Called the patient; crisis plan reviewed; psychiatrist informed.",
        signals: 1,
        now: new Date(NOW.getTime() + HOUR),
      });

    expect((await openSafetyAlerts(db, actorFor(psychiatrist), TODAY)).map((a) => a.id)).toEqual([alert.id]);
    expect(await openSafetyAlerts(db, actorFor(outsider), TODAY)).toEqual([]);
    for (const who of [therapist, psychiatrist, coordinator, admin]) expect(await ack(who)).toBe(false);
    expect(await ack(clinician, "00000000-0000-4000-8000-000000000000")).toBe(false);
    expect(
      (await db.selectFrom("safety_alerts").select("acknowledged_at").executeTakeFirstOrThrow()).acknowledged_at,
    ).toBeNull();

    expect(await ack(clinician)).toBe(true);
    expect(await ack(clinician)).toBe(false);
    expect(await ack(clinician2)).toBe(false);
    const [shown] = await patientSafetyAlerts(db, await openAs(db, therapist, patient.id, NOW, "symptom_measures"));
    expect(shown).toMatchObject({
      acknowledged_by_name: "Dr. Lena Brooks, MD",
      action_taken: "Called the patient; crisis plan reviewed; psychiatrist informed.",
      acknowledged_at: new Date(NOW.getTime() + HOUR),
    });
    expect(await openSafetyAlerts(db, actorFor(psychiatrist), TODAY)).toEqual([]);
    expect(await openSafetyAlerts(db, actorFor(coordinator), TODAY)).toEqual([]);
    expect(
      await db.selectFrom("audit_events").select("actor_id").where("action", "=", "safety_alert.acknowledge").execute(),
    ).toEqual([{ actor_id: clinician.id }]);
  });

  it("opens one loss-of-response booster review when a responder's score climbs back", async () => {
    const { db, therapist, clinician, coordinator, patient } = await setUp();
    await insertCourse(db, {
      patientId: patient.id,
      clinicianId: clinician.id,
      createdBy: coordinator.id,
      starts: ["2026-10-22", "2026-10-24", "2026-10-27", "2026-10-29"].map(visitOn),
    });
    const phq = (score: number, day: string) =>
      record(therapist, patient.id, "PHQ9", phq9Totalling(score), { takenOn: day, now: noonOn(day) });

    expect((await phq(22, "2026-10-15")).boosterReview).toBe(false);
    // The baseline is the last score on or before the first visit day.
    expect((await phq(20, "2026-10-22")).boosterReview).toBe(false);
    expect((await phq(12, "2026-10-30")).boosterReview).toBe(false);
    // Exactly 50% of 20: response.
    expect((await phq(10, "2026-11-06")).boosterReview).toBe(false);
    expect(await db.selectFrom("booster_reviews").select("id").execute()).toEqual([]);
    // 11 is no longer a 50% fall: response is lost.
    expect((await phq(11, "2026-11-13")).boosterReview).toBe(true);
    const reviews = await db.selectFrom("booster_reviews").selectAll().execute();
    expect(reviews).toEqual([
      expect.objectContaining({
        patient_id: patient.id,
        course_id: null,
        reason: "loss_of_response",
        due_from: "2026-11-13",
        due_to: "2026-11-20",
        decided_at: null,
      }),
    ]);
    // Still lost, and on the other instrument too: the open review is not duplicated.
    expect((await phq(16, "2026-11-14")).boosterReview).toBe(false);
    const pcl = (score: number, day: string) =>
      record(
        therapist,
        patient.id,
        "PCL5",
        [...Array<number>(score >> 2).fill(4), ...(score % 4 ? [score % 4] : []), ...Array<number>(20).fill(0)].slice(
          0,
          20,
        ),
        { takenOn: day, now: noonOn(day) },
      );
    await pcl(60, "2026-10-20");
    await pcl(28, "2026-10-30");
    expect((await pcl(45, "2026-11-14")).boosterReview).toBe(false);
    expect(await db.selectFrom("booster_reviews").select("id").execute()).toHaveLength(1);
    expect(
      (
        await db.selectFrom("measures").select("total").where("instrument", "=", "PCL5").orderBy("taken_on").execute()
      ).map((m) => m.total),
    ).toEqual([60, 28, 45]);
    const audit = await db
      .selectFrom("audit_events")
      .select(["entity_id", "detail"])
      .where("action", "=", "booster_review.due")
      .execute();
    expect(audit).toEqual([{ entity_id: reviews[0]!.id, detail: { reason: "loss_of_response", instrument: "PHQ9" } }]);
  });

  it("reads each score against the last one on or before its course's FIRST visit, so a mid-course score shows its change", async () => {
    const { db, therapist, clinician, coordinator, patient } = await setUp();
    await insertCourse(db, {
      patientId: patient.id,
      clinicianId: clinician.id,
      createdBy: coordinator.id,
      starts: ["2026-10-22", "2026-10-29"].map(visitOn),
    });
    const pcl = (score: number, day: string) =>
      record(therapist, patient.id, "PCL5", pcl5Totalling(score), { takenOn: day, now: noonOn(day) });
    const baseline = await pcl(50, "2026-10-20");
    // Between the course's two visits.
    const midCourse = await pcl(38, "2026-10-25");
    const after = await pcl(62, "2026-11-02");
    const { rows } = await patientMeasures(db, await openAs(db, therapist, patient.id, NOW, "symptom_measures"));
    const byId = new Map(rows.map((r) => [r.id, r]));
    expect(byId.get(baseline.id)).toMatchObject({ isBaseline: true, change: null });
    expect(byId.get(midCourse.id)).toMatchObject({
      isBaseline: false,
      change: { change: -12, direction: "improved", meaningful: true },
    });
    expect(byId.get(after.id)).toMatchObject({
      isBaseline: false,
      change: { change: 12, direction: "worse", meaningful: true },
    });
  });

  it("flags a meaningful PCL-5 worsening to the team with a booster review, as it does a loss of response", async () => {
    const { db, therapist, clinician, coordinator, patient } = await setUp();
    await insertCourse(db, {
      patientId: patient.id,
      clinicianId: clinician.id,
      createdBy: coordinator.id,
      starts: ["2026-10-22", "2026-10-29"].map(visitOn),
    });
    const pcl = (score: number, day: string) =>
      record(therapist, patient.id, "PCL5", pcl5Totalling(score), { takenOn: day, now: noonOn(day) });
    await pcl(40, "2026-10-20");
    // 9 points worse is not meaningful; 10 is.
    expect((await pcl(49, "2026-10-30")).boosterReview).toBe(false);
    expect(await db.selectFrom("booster_reviews").select("id").execute()).toEqual([]);
    expect((await pcl(50, "2026-11-02")).boosterReview).toBe(true);
    const reviews = await db.selectFrom("booster_reviews").selectAll().execute();
    expect(reviews).toEqual([
      expect.objectContaining({
        patient_id: patient.id,
        reason: "meaningful_worsening",
        due_from: "2026-11-02",
        due_to: "2026-11-09",
        decided_at: null,
      }),
    ]);
    // Still worse: the open review is not duplicated.
    expect((await pcl(55, "2026-11-04")).boosterReview).toBe(false);
    expect(await db.selectFrom("booster_reviews").select("id").execute()).toHaveLength(1);
    const audit = await db
      .selectFrom("audit_events")
      .select(["entity_id", "detail"])
      .where("action", "=", "booster_review.due")
      .execute();
    expect(audit).toEqual([
      { entity_id: reviews[0]!.id, detail: { reason: "meaningful_worsening", instrument: "PCL5" } },
    ]);
  });

  it("opens no review without a course or a baseline, or while response holds", async () => {
    const { db, therapist, clinician, coordinator, patient } = await setUp();
    const phq = (score: number, day: string) =>
      record(therapist, patient.id, "PHQ9", phq9Totalling(score), { takenOn: day, now: noonOn(day) });
    // No course: nothing to lose response from.
    await phq(20, "2026-10-01");
    await phq(8, "2026-10-08");
    expect((await phq(18, "2026-10-15")).boosterReview).toBe(false);
    // With a course, the baseline is 18 (Oct 15); scores of 9 respond and keep responding.
    await insertCourse(db, {
      patientId: patient.id,
      clinicianId: clinician.id,
      createdBy: coordinator.id,
      starts: [visitOn("2026-10-22"), visitOn("2026-10-24")],
    });
    expect((await phq(9, "2026-10-30")).boosterReview).toBe(false);
    expect((await phq(9, "2026-11-06")).boosterReview).toBe(false);
    expect(await db.selectFrom("booster_reviews").select("id").execute()).toEqual([]);
  });

  it("lists the due points of the newest course and marks one done only when both measures fall in it", async () => {
    const { db, therapist, clinician, coordinator, patient } = await setUp();
    expect(
      duePoints(await newestCourse(db, await openAs(db, therapist, patient.id, NOW, "symptom_measures")), []),
    ).toEqual([]);
    const { courseId } = await insertCourse(db, {
      patientId: patient.id,
      clinicianId: clinician.id,
      createdBy: coordinator.id,
      starts: ["2026-10-22", "2026-10-24", "2026-10-29"].map(visitOn),
    });
    const course = await newestCourse(db, await openAs(db, therapist, patient.id, NOW, "symptom_measures"));
    expect(course).toEqual({ courseId, firstDay: "2026-10-22", lastDay: "2026-10-29" });
    await record(therapist, patient.id, "PHQ9", phq9Totalling(15), { takenOn: "2026-10-21" });
    await record(therapist, patient.id, "PCL5", Array<number>(20).fill(2), { takenOn: "2026-10-22" });
    await record(therapist, patient.id, "PHQ9", phq9Totalling(8), { takenOn: "2026-11-05" });
    const scores = await db.selectFrom("measures").select(["instrument", "taken_on"]).execute();
    expect(duePoints(course, scores)).toEqual([
      {
        key: `${courseId}:baseline`,
        label: "Baseline, before the first infusion",
        dueFrom: "2026-09-22",
        dueTo: "2026-10-22",
        done: true,
      },
      {
        key: `${courseId}:post`,
        label: "After the last infusion of the course",
        dueFrom: "2026-10-29",
        dueTo: "2026-11-05",
        done: false,
      },
      {
        key: `${courseId}:week2`,
        label: "2 weeks after the course",
        dueFrom: "2026-11-09",
        dueTo: "2026-11-19",
        done: false,
      },
      {
        key: `${courseId}:week4`,
        label: "4 weeks after the course",
        dueFrom: "2026-11-23",
        dueTo: "2026-12-03",
        done: false,
      },
    ]);
  });

  it("reminds the primary therapist and the last recorder once per open due point", async () => {
    const { db, therapist, psychiatrist, outsider, revoked, clinician, coordinator, patient } = await setUp();
    const { courseId } = await insertCourse(db, {
      patientId: patient.id,
      clinicianId: clinician.id,
      createdBy: coordinator.id,
      starts: ["2026-10-22", "2026-10-24", "2026-10-29"].map(visitOn),
    });
    const remind = (now: Date) => queueMeasureReminders(db, { now, appUrl: APP_URL });
    const reminders = () =>
      db.selectFrom("measure_reminders").select(["user_id", "due_key"]).orderBy("sent_at").orderBy("due_key").execute();

    // Before the first visit the baseline is open: the primary therapist is reminded, once.
    expect(await remind(NOW)).toBe(1);
    expect(await remind(new Date(NOW.getTime() + HOUR))).toBe(0);
    expect(await remind(new Date(NOW.getTime() + DAY))).toBe(0);
    expect(await reminders()).toEqual([{ user_id: therapist.id, due_key: `${courseId}:baseline` }]);

    // The psychiatrist records the baseline; after the last visit the "post" point opens for both.
    await record(psychiatrist, patient.id, "PHQ9", phq9Totalling(14), {
      takenOn: "2026-10-21",
      now: noonOn("2026-10-21"),
    });
    await record(psychiatrist, patient.id, "PCL5", Array<number>(20).fill(2), {
      takenOn: "2026-10-21",
      now: noonOn("2026-10-21"),
    });
    const afterCourse = noonOn("2026-10-30");
    expect(await remind(afterCourse)).toBe(2);
    expect(await remind(new Date(afterCourse.getTime() + DAY))).toBe(0);
    expect((await reminders()).slice(1)).toEqual(
      expect.arrayContaining([
        { user_id: therapist.id, due_key: `${courseId}:post` },
        { user_id: psychiatrist.id, due_key: `${courseId}:post` },
      ]),
    );
    expect(await reminders()).toHaveLength(3);

    // Recording both measures meets the week-2 point before it opens: no reminder then.
    await record(therapist, patient.id, "PHQ9", phq9Totalling(6), { takenOn: "2026-11-10", now: noonOn("2026-11-10") });
    await record(therapist, patient.id, "PCL5", Array<number>(20).fill(1), {
      takenOn: "2026-11-10",
      now: noonOn("2026-11-10"),
    });
    expect(await remind(noonOn("2026-11-12"))).toBe(0);

    const mail = (await outbox()).filter((m) => m.template === "measure-reminder");
    expect(mail.map((m) => m.to_address).sort()).toEqual([therapist.email, therapist.email, psychiatrist.email].sort());
    for (const m of mail) {
      expect(m.subject).toBe("A symptom measure is due for one of your Ember patients");
      expect(m.html).toContain(`${APP_URL}/patients/${patient.id}/measures`);
      for (const part of [m.subject, m.html, m.text]) expect(part).not.toMatch(/Marisol|Quintanilla/);
    }
    for (const nobody of [outsider, revoked, coordinator])
      expect(mail.some((m) => m.to_address === nobody.email)).toBe(false);
  });
});
