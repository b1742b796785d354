import { expect, it } from "vitest";
import { zonedToUtc } from "~/lib/time";
import {
  addMedication,
  addToReviewList,
  currentCourseId,
  isToReview,
  markMedicationReviewed,
  MedicationError,
  patientMedications,
  retireFromReviewList,
  reviewList,
  stopMedication,
} from "~/modules/medications/medications.server";
import { describeEachEngine } from "../support/db";
import {
  actorFor,
  auditContextFor,
  createUser,
  insertClinicBasics,
  insertCourse,
  insertPatient,
} from "../support/factories";

const ny = (local: string) => zonedToUtc(local)!;

describeEachEngine("medications", (getDb) => {
  const now = ny("2026-11-02T09:00");

  async function world() {
    const db = getDb();
    await insertClinicBasics(db);
    const clinician = await createUser(db, { role: "clinician", name: "Dr. Ada Okoro" });
    const patient = await insertPatient(db, { firstName: "Avery", lastName: "Lindqvist" });
    const add = (name: string, startedOn: string | null = "2026-06-01") =>
      addMedication(db, actorFor(clinician), auditContextFor(clinician), {
        patientId: patient.id,
        name,
        dose: "1 mg at night",
        prescriber: "Dr. Sam Reyes",
        startedOn,
      });
    return { db, clinician, patient, add };
  }

  it("starts the clinic's list with benzodiazepines, lamotrigine, MAOIs and stimulants", async () => {
    await insertClinicBasics(getDb());
    const list = await reviewList(getDb());
    expect(list.map((e) => e.name)).toEqual(["Benzodiazepines", "Lamotrigine", "MAOIs", "Stimulants"]);
    expect(list.find((e) => e.name === "Benzodiazepines")!.match_terms).toContain("clonazepam");
  });

  it("labels a medication on the list by its generic or brand name, in any case, and leaves others unlabelled", async () => {
    const { db, patient, add } = await world();
    await add("Klonopin");
    await add("LAMOTRIGINE ER");
    await add("Sertraline");
    const meds = await patientMedications(db, patient.id, null);
    const byName = Object.fromEntries(meds.map((m) => [m.name, m.review_list]));
    expect(byName).toEqual({ Klonopin: "Benzodiazepines", "LAMOTRIGINE ER": "Lamotrigine", Sertraline: null });
    const audit = await db
      .selectFrom("audit_events")
      .select(["action", "patient_id"])
      .where("action", "=", "medication.add")
      .execute();
    expect(audit).toHaveLength(3);
    expect(audit.every((row) => row.patient_id === patient.id)).toBe(true);
  });

  it("keeps a listed medication to review until a clinician reviews it for the current course, and again for the next course", async () => {
    const { db, clinician, patient, add } = await world();
    const first = await insertCourse(db, {
      patientId: patient.id,
      clinicianId: clinician.id,
      createdBy: clinician.id,
      starts: [ny("2026-11-02T10:00"), ny("2026-11-04T10:00")],
    });
    const id = await add("clonazepam");
    expect(await currentCourseId(db, patient.id, now)).toBe(first.courseId);
    let [med] = await patientMedications(db, patient.id, first.courseId);
    expect(isToReview(med!, "2026-11-02")).toBe(true);

    await markMedicationReviewed(db, actorFor(clinician), auditContextFor(clinician), {
      patientId: patient.id,
      medicationId: id,
      now,
    });
    [med] = await patientMedications(db, patient.id, first.courseId);
    expect(med).toMatchObject({ reviewed_by_name: "Dr. Ada Okoro" });
    expect(isToReview(med!, "2026-11-02")).toBe(false);
    await expect(
      markMedicationReviewed(db, actorFor(clinician), auditContextFor(clinician), {
        patientId: patient.id,
        medicationId: id,
        now,
      }),
    ).rejects.toThrow(/already reviewed/);

    // A booster weeks later is a new course: the medication is to review again.
    const later = ny("2026-12-01T09:00");
    const booster = await insertCourse(db, {
      patientId: patient.id,
      clinicianId: clinician.id,
      createdBy: clinician.id,
      starts: [ny("2026-12-01T10:00")],
      kind: "booster",
    });
    expect(await currentCourseId(db, patient.id, later)).toBe(booster.courseId);
    [med] = await patientMedications(db, patient.id, booster.courseId);
    expect(isToReview(med!, "2026-12-01")).toBe(true);
  });

  it("refuses a review before any course is booked, and a medication of another patient", async () => {
    const { db, clinician, add } = await world();
    const id = await add("Adderall");
    const other = await insertPatient(db, { firstName: "Jordan", lastName: "Baptiste" });
    const attempt = (patientId: string) =>
      markMedicationReviewed(db, actorFor(clinician), auditContextFor(clinician), { patientId, medicationId: id, now });
    await expect(attempt(other.id)).rejects.toThrow(MedicationError);
    const { id: patientId } = (await db
      .selectFrom("patient_medications")
      .select("patient_id as id")
      .executeTakeFirst())!;
    await expect(attempt(patientId)).rejects.toThrow(/Book a course first/);
    expect(await db.selectFrom("medication_reviews").selectAll().execute()).toEqual([]);
  });

  it("stops a medication once, not before it started, and only on its own patient", async () => {
    const { db, clinician, patient, add } = await world();
    const id = await add("Phenelzine", "2026-09-01");
    const audit = auditContextFor(clinician);
    await expect(
      stopMedication(db, audit, { patientId: patient.id, medicationId: id, stoppedOn: "2026-08-01" }),
    ).rejects.toThrow(/cannot be before the start date/);
    const other = await insertPatient(db, { firstName: "Jordan", lastName: "Baptiste" });
    await expect(
      stopMedication(db, audit, { patientId: other.id, medicationId: id, stoppedOn: "2026-10-01" }),
    ).rejects.toThrow(/not on this patient's list/);
    await stopMedication(db, audit, { patientId: patient.id, medicationId: id, stoppedOn: "2026-10-01" });
    await expect(
      stopMedication(db, audit, { patientId: patient.id, medicationId: id, stoppedOn: "2026-10-02" }),
    ).rejects.toThrow(/already stopped on 2026-10-01/);
    const [med] = await patientMedications(db, patient.id, null);
    expect(med).toMatchObject({ stopped_on: "2026-10-01" });
    // A stopped medication is no longer to review.
    expect(isToReview(med!, "2026-11-02")).toBe(false);
  });

  it("lets admins add to and retire from the list; a name already listed is refused, also when two add it at once", async () => {
    const db = getDb();
    await insertClinicBasics(db);
    const admin = await createUser(db, { role: "admin" });
    const audit = auditContextFor(admin);
    const attempts = await Promise.allSettled([
      addToReviewList(db, audit, { name: "Opioids", terms: ["oxycodone", "methadone"] }),
      addToReviewList(db, audit, { name: "opioids", terms: ["buprenorphine"] }),
    ]);
    expect(attempts.filter((a) => a.status === "fulfilled")).toHaveLength(1);
    const refused = attempts.find((a) => a.status === "rejected") as PromiseRejectedResult;
    expect(refused.reason).toBeInstanceOf(MedicationError);
    const opioids = (await reviewList(db)).find((e) => e.name.toLowerCase() === "opioids")!;
    await retireFromReviewList(db, audit, opioids.id, now);
    expect((await reviewList(db)).map((e) => e.name)).not.toContain(opioids.name);
    await expect(retireFromReviewList(db, audit, opioids.id, now)).rejects.toThrow(/no longer on the list/);
    await addToReviewList(db, audit, { name: "Opioids", terms: ["oxycodone"] });
  });
});
