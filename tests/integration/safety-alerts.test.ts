import { expect, it } from "vitest";
import { clinicToday } from "~/lib/time";
import { acknowledgeSafetyAlert, openSafetyAlerts, patientSafetyAlerts } from "~/modules/measures/alerts.server";
import { recordMeasure } from "~/modules/measures/measures.server";
import { acknowledgeSafetyConcern, postNote } from "~/modules/notes/notes.server";
import { openSafetyConcerns } from "~/modules/notes/queues.server";
import { readThread } from "~/modules/notes/thread.server";
import { escalateSafetyAlerts, openPatientSafetyAlerts } from "~/modules/safety/alerts.server";
import { MINUTE } from "../support/clock";
import { describeEachEngine } from "../support/db";
import {
  actorFor,
  auditContextFor,
  createProvider,
  createUser,
  giveAccess,
  insertClinicBasics,
  insertPatient,
  openAs,
} from "../support/factories";

const APP_URL = "https://portal.ember.test";
// 11:00 in New York on Tuesday 2026-10-20.
const NOW = new Date("2026-10-20T15:00:00Z");
const TODAY = clinicToday(NOW);
const at = (minutes: number) => new Date(NOW.getTime() + minutes * MINUTE);
const ESCALATION_SUBJECT = "Escalated: a safety signal for an Ember patient is still unacknowledged";

describeEachEngine("safety alert escalation", (getDb) => {
  async function setUp() {
    const db = getDb();
    await insertClinicBasics(db);
    const coordinator = await createUser(db, { role: "coordinator", name: "Maya Okafor" });
    const clinician = await createUser(db, { role: "clinician", name: "Dr. Lena Brooks, MD" });
    const clinician2 = await createUser(db, { role: "clinician", name: "Sam Ortiz, NP" });
    const formerClinician = await createUser(db, { role: "clinician", status: "deactivated" });
    const admin = await createUser(db, { role: "admin", name: "Ops Admin" });
    const formerAdmin = await createUser(db, { role: "admin", status: "deactivated" });
    const therapist = await createProvider(db, { role: "therapist", name: "Dana Whitfield, LCSW" });
    const patient = await insertPatient(db, { firstName: "Quillon", lastName: "Zephyrine" });
    await giveAccess(db, { patientId: patient.id, providerId: therapist.id, by: coordinator, now: NOW });
    const concern = await postNote(db, actorFor(therapist), auditContextFor(therapist), {
      patientId: patient.id,
      kind: "safety_concern",
      body: "Quillon said she has thought about ending her life.",
      requestReview: false,
      now: NOW,
      today: TODAY,
      appUrl: APP_URL,
    });
    const measure = await recordMeasure(db, actorFor(therapist), auditContextFor(therapist), {
      patientId: patient.id,
      instrument: "PHQ9",
      takenOn: TODAY,
      items: [1, 1, 1, 1, 1, 1, 1, 1, 2],
      now: NOW,
      appUrl: APP_URL,
    });
    const alertOf = async (column: "note_id" | "measure_id", id: string) =>
      (await db.selectFrom("safety_alerts").select("id").where(column, "=", id).executeTakeFirstOrThrow()).id;
    return {
      db,
      coordinator,
      clinician,
      clinician2,
      formerClinician,
      admin,
      formerAdmin,
      therapist,
      patient,
      concern,
      concernAlert: await alertOf("note_id", concern.id),
      measureAlert: await alertOf("measure_id", measure.id),
    };
  }

  const escalate = (now: Date) => escalateSafetyAlerts(getDb(), { now, appUrl: APP_URL });
  const escalations = () =>
    getDb().selectFrom("email_outbox").selectAll().where("template", "=", "safety-escalation").orderBy("id").execute();

  it("escalates each alert left unacknowledged for 60 minutes once, to the active clinicians and admins, audited, and marks it escalated wherever it shows", async () => {
    const { db, clinician, clinician2, coordinator, admin, therapist, patient, concern, concernAlert, measureAlert } =
      await setUp();
    expect(await escalate(at(59))).toBe(0);
    expect(await escalations()).toEqual([]);

    // Two alerts, three active clinicians and admins each.
    expect(await escalate(at(60))).toBe(6);
    expect(await escalate(at(61))).toBe(0);
    expect(await escalate(at(600))).toBe(0);
    const mail = await escalations();
    expect(mail.map((m) => m.to_address).sort()).toEqual(
      [clinician, clinician, clinician2, clinician2, admin, admin].map((u) => u.email).sort(),
    );
    for (const m of mail) {
      expect(m.subject).toBe(ESCALATION_SUBJECT);
      for (const part of [m.subject, m.html, m.text]) {
        for (const secret of [patient.first_name, patient.last_name, patient.record_number, "ending her life"])
          expect(part).not.toContain(secret);
      }
    }
    expect(mail.filter((m) => m.html.includes(`${APP_URL}/patients/${patient.id}/notes`))).toHaveLength(3);
    expect(mail.filter((m) => m.html.includes(`${APP_URL}/patients/${patient.id}/measures`))).toHaveLength(3);

    const audit = await db
      .selectFrom("audit_events")
      .select(["actor_id", "actor_role", "entity_id", "patient_id", "detail"])
      .where("action", "=", "safety_alert.escalate")
      .orderBy("entity_id")
      .execute();
    expect(audit).toEqual(
      [concernAlert, measureAlert].sort().map((id) => ({
        actor_id: null,
        actor_role: "system",
        entity_id: id,
        patient_id: patient.id,
        detail: { minutes: 60, notices: 3 },
      })),
    );

    // Marked escalated on the home page, the patient overview, the thread and the measures page, for staff and team alike.
    for (const who of [coordinator, therapist, clinician]) {
      expect(await openSafetyConcerns(db, actorFor(who), TODAY)).toEqual([
        expect.objectContaining({ id: concern.id, escalated_at: at(60) }),
      ]);
      expect(await openSafetyAlerts(db, actorFor(who), TODAY)).toEqual([
        expect.objectContaining({ id: measureAlert, escalated_at: at(60) }),
      ]);
    }
    expect(
      (await openPatientSafetyAlerts(db, await openAs(db, therapist, patient.id, at(70)))).map((a) => a.escalated_at),
    ).toEqual([at(60), at(60)]);
    const thread = await readThread(db, actorFor(therapist), {
      patient: await openAs(db, therapist, patient.id, at(70), "care_notes"),
      filter: {},
      page: 1,
      now: at(70),
    });
    expect(thread.notes.find((n) => n.id === concern.id)).toMatchObject({ escalated_at: at(60) });
    expect(await patientSafetyAlerts(db, await openAs(db, therapist, patient.id, at(70), "symptom_measures"))).toEqual([
      expect.objectContaining({ id: measureAlert, escalated_at: at(60) }),
    ]);
  });

  it("never escalates an acknowledged alert, and waits the clinic's own minutes", async () => {
    const { db, clinician, patient, concern, measureAlert } = await setUp();
    await db.updateTable("clinic_settings").set({ safety_escalation_minutes: 15 }).execute();
    await acknowledgeSafetyConcern(db, actorFor(clinician), auditContextFor(clinician), {
      patientId: patient.id,
      noteId: concern.id,
      response: "Called the patient; safe.",
      now: at(10),
    });
    expect(await escalate(at(14))).toBe(0);
    expect(await escalate(at(15))).toBe(3);
    expect(
      await db
        .selectFrom("safety_alerts")
        .select(["id", "escalated_at"])
        .where("escalated_at", "is not", null)
        .execute(),
    ).toEqual([{ id: measureAlert, escalated_at: at(15) }]);
    // Acknowledged after escalation: nothing more is sent.
    expect(
      await acknowledgeSafetyAlert(db, actorFor(clinician), auditContextFor(clinician), {
        patientId: patient.id,
        alertId: measureAlert,
        action: "Crisis plan reviewed.",
        signals: 1,
        now: at(20),
      }),
    ).toBe(true);
    expect(await escalate(at(200))).toBe(0);
    expect(await openPatientSafetyAlerts(db, await openAs(db, clinician, patient.id, at(200)))).toEqual([]);
    expect((await escalations()).every((m) => m.text.includes("within 15 minutes"))).toBe(true);
  });

  it("escalates an alert once when two schedulers run at the same moment", async () => {
    const { db } = await setUp();
    const [a, b] = await Promise.all([escalate(at(61)), escalate(at(61))]);
    expect(a + b).toBe(6);
    expect(await escalations()).toHaveLength(6);
    expect(
      await db.selectFrom("audit_events").select("id").where("action", "=", "safety_alert.escalate").execute(),
    ).toHaveLength(2);
  });

  it("keeps a concern's own acknowledgement on its note: the measures form cannot answer it", async () => {
    const { db, clinician, patient, concernAlert } = await setUp();
    expect(
      await acknowledgeSafetyAlert(db, actorFor(clinician), auditContextFor(clinician), {
        patientId: patient.id,
        alertId: concernAlert,
        action: "Not here.",
        signals: 1,
        now: at(5),
      }),
    ).toBe(false);
    expect(
      (
        await db
          .selectFrom("safety_alerts")
          .select("acknowledged_at")
          .where("id", "=", concernAlert)
          .executeTakeFirstOrThrow()
      ).acknowledged_at,
    ).toBeNull();
  });
});
