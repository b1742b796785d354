import { expect, it } from "vitest";
import { zonedToUtc } from "~/lib/time";
import { confirmEngagement } from "~/modules/engagement/engagement.server";
import { addMedication } from "~/modules/medications/medications.server";
import { completePreInfusionCheck, preInfusionCheck } from "~/modules/visits/pre-infusion-check.server";
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
} from "../support/factories";

const ny = (local: string) => zonedToUtc(local)!;

describeEachEngine("the pre-infusion check", (getDb) => {
  const now = ny("2026-11-02T09:40");

  async function world(options: { engaged?: boolean } = {}) {
    const db = getDb();
    await insertClinicBasics(db);
    const clinician = await createUser(db, { role: "clinician", name: "Dr. Ada Okoro" });
    const coordinator = await createUser(db, { role: "coordinator" });
    const therapist = await createProvider(db, { role: "therapist", name: "Jamie Rivera, LCSW" });
    const patient = await insertPatient(db, {
      firstName: "Avery",
      lastName: "Lindqvist",
      diagnoses: ["ptsd", "mdd"],
      riskFlags: ["dissociation"],
    });
    await giveAccess(db, {
      patientId: patient.id,
      providerId: therapist.id,
      by: coordinator,
      now: ny("2026-10-20T09:00"),
    });
    if (options.engaged !== false) {
      await confirmEngagement(db, actorFor(therapist), auditContextFor(therapist), {
        ...engagementInput("Jamie Rivera, LCSW"),
        patientId: patient.id,
        now: ny("2026-10-25T09:00"),
      });
    }
    const { courseId } = await insertCourse(db, {
      patientId: patient.id,
      clinicianId: clinician.id,
      createdBy: clinician.id,
      starts: [ny("2026-11-02T10:00"), ny("2026-11-04T10:00")],
    });
    const [visit] = await db
      .selectFrom("infusion_visits")
      .select("id")
      .where("course_id", "=", courseId)
      .orderBy("starts_at")
      .execute();
    return { db, clinician, coordinator, therapist, patient, visitId: visit!.id, courseId };
  }

  it("shows a clear check when nothing stands out but the risk flag on file", async () => {
    const { db, patient, visitId } = await world();
    const check = (await preInfusionCheck(db, patient.id, visitId, now))!;
    expect(check.gate).toMatchObject({ allowed: true, reasons: [] });
    expect(check.team).toEqual([
      expect.objectContaining({ name: "Jamie Rivera, LCSW", releaseUntil: expect.any(String) }),
    ]);
    expect(check.visit).toMatchObject({ clinicianName: "Dr. Ada Okoro", locationName: "Chelsea", started: false });
    expect(check.findings).toEqual(["Risk flag: History of dissociation or complex trauma."]);
    expect(check.completed).toBeNull();
  });

  it("adds up the gate, item 9 with its date, open alerts, medications to review and out-of-range vitals", async () => {
    const { db, clinician, patient, visitId } = await world({ engaged: false });
    const measure = await db
      .insertInto("measures")
      .values({
        patient_id: patient.id,
        instrument: "PHQ9",
        taken_on: "2026-10-30",
        items: [2, 2, 1, 1, 2, 1, 1, 1, 1],
        total: 12,
        recorded_by: clinician.id,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    await db.insertInto("safety_alerts").values({ patient_id: patient.id, measure_id: measure.id }).execute();
    await addMedication(db, actorFor(clinician), auditContextFor(clinician), {
      patientId: patient.id,
      name: "Lorazepam",
      dose: "0.5 mg as needed",
      prescriber: "Dr. Sam Reyes",
      startedOn: null,
    });
    // Vitals from an earlier infusion, with the blood pressure before it above 160/100.
    const { courseId: earlier } = await insertCourse(db, {
      patientId: patient.id,
      clinicianId: clinician.id,
      createdBy: clinician.id,
      starts: [ny("2026-10-26T10:00")],
    });
    const past = await db
      .selectFrom("infusion_visits")
      .select("id")
      .where("course_id", "=", earlier)
      .executeTakeFirstOrThrow();
    await db.updateTable("infusion_visits").set({ status: "held" }).where("id", "=", past.id).execute();
    await db
      .insertInto("infusion_records")
      .values({
        visit_id: past.id,
        patient_id: patient.id,
        dose_mg_per_kg: 0.5,
        dose_mg: 35,
        route: "IV",
        started_at: ny("2026-10-26T10:15"),
        ended_at: ny("2026-10-26T10:55"),
        systolic_before: 168,
        diastolic_before: 96,
        heart_rate_before: 80,
        dissociation: 1,
        recovered_at: ny("2026-10-26T11:20"),
        discharged_at: ny("2026-10-26T11:30"),
        escort: "Friend",
        recorded_by: clinician.id,
      })
      .execute();

    const check = (await preInfusionCheck(db, patient.id, visitId, now))!;
    expect(check.gate.allowed).toBe(false);
    expect(check.phq9).toMatchObject({ taken_on: "2026-10-30", total: 12, item9: 1 });
    expect(check.medications).toEqual([expect.objectContaining({ name: "Lorazepam", review_list: "Benzodiazepines" })]);
    expect(check.findings).toEqual([
      expect.stringMatching(/^Engagement gate: No active engagement confirmation/),
      "PHQ-9 item 9 (thoughts of self-harm) answered 1 on Oct 30, 2026.",
      "1 open safety alert not yet acknowledged.",
      "Risk flag: History of dissociation or complex trauma.",
      "Medication to review: Lorazepam (Benzodiazepines).",
      "Last recorded vitals: Blood pressure before the infusion 168/96 is above the clinic's limit of 160/100.",
    ]);
  });

  it("reads everything in one statement and finds no visit of another patient", async () => {
    const { db, visitId } = await world();
    let statements = 0;
    const counted = db.withPlugin({
      transformQuery: (args) => args.node,
      transformResult: async (args) => {
        statements++;
        return args.result;
      },
    });
    const other = await insertPatient(db, { firstName: "Jordan", lastName: "Baptiste" });
    expect(await preInfusionCheck(counted, other.id, visitId, now)).toBeNull();
    expect(statements).toBe(1);
  });

  it("is completed once by a clinician, keeping its findings as they were, and audited", async () => {
    const { db, clinician, patient, visitId } = await world();
    const complete = () =>
      completePreInfusionCheck(db, actorFor(clinician), auditContextFor(clinician), {
        patientId: patient.id,
        visitId,
        now,
      });
    const results = await Promise.allSettled([complete(), complete()]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const check = (await preInfusionCheck(db, patient.id, visitId, now))!;
    expect(check.completed).toMatchObject({
      by: "Dr. Ada Okoro",
      findings: ["Risk flag: History of dissociation or complex trauma."],
    });
    await expect(complete()).rejects.toThrow(/already complete/);
    const audited = await db
      .selectFrom("audit_events")
      .select(["action", "entity_id"])
      .where("action", "=", "visit.check.complete")
      .execute();
    expect(audited).toEqual([{ action: "visit.check.complete", entity_id: visitId }]);
  });
});
