import { expect, it } from "vitest";
import { zonedToUtc } from "~/lib/time";
import { recordVisitOutcome } from "~/modules/infusions/outcomes.server";
import {
  addRecordAddendum,
  infusionRecordOf,
  RecordError,
  saveInfusionRecord,
  signInfusionRecord,
  type RecordInput,
} from "~/modules/visits/infusion-record.server";
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
} from "../support/factories";

const ny = (local: string) => zonedToUtc(local)!;
const APP_URL = "http://portal.ember.test";

describeEachEngine("the infusion record", (getDb) => {
  const record: RecordInput = {
    dose_mg_per_kg: 0.5,
    dose_mg: 36,
    route: "IV",
    started_at: ny("2026-11-02T10:15"),
    ended_at: ny("2026-11-02T10:55"),
    systolic_before: 128,
    diastolic_before: 82,
    heart_rate_before: 74,
    systolic_during: 146,
    diastolic_during: 90,
    heart_rate_during: 88,
    systolic_after: 132,
    diastolic_after: 84,
    heart_rate_after: 76,
    spo2_lowest: 96,
    dissociation: 2,
    adverse_events: ["Nausea"],
    adverse_notes: null,
    recovered_at: ny("2026-11-02T11:20"),
    discharged_at: ny("2026-11-02T11:30"),
    escort: "Partner (Sam)",
  };

  async function world() {
    const db = getDb();
    await insertClinicBasics(db);
    const clinician = await createUser(db, { role: "clinician", name: "Dr. Ada Okoro" });
    const coordinator = await createUser(db, { role: "coordinator" });
    const therapist = await createProvider(db, { role: "therapist" });
    const patient = await insertPatient(db, { firstName: "Avery", lastName: "Lindqvist", diagnoses: ["ptsd", "mdd"] });
    const now = ny("2026-11-02T10:00");
    await giveAccess(db, {
      patientId: patient.id,
      providerId: therapist.id,
      by: coordinator,
      now: ny("2026-10-20T09:00"),
    });
    await insertCourse(db, {
      patientId: patient.id,
      clinicianId: clinician.id,
      createdBy: clinician.id,
      starts: [ny("2026-11-02T10:00"), ny("2026-11-04T10:00")],
    });
    const [visit, next] = await db
      .selectFrom("infusion_visits")
      .select("id")
      .where("patient_id", "=", patient.id)
      .orderBy("starts_at")
      .execute();
    const as = { actor: actorFor(clinician), audit: auditContextFor(clinician) };
    const save = (changes: Partial<RecordInput> = {}, at = ny("2026-11-02T11:00")) =>
      saveInfusionRecord(db, as.actor, as.audit, {
        patientId: patient.id,
        visitId: visit!.id,
        now: at,
        record: { ...record, ...changes },
      });
    const sign = (at = ny("2026-11-02T11:35")) =>
      signInfusionRecord(db, as.actor, as.audit, {
        patientId: patient.id,
        visitId: visit!.id,
        now: at,
        appUrl: APP_URL,
      });
    const hold = (outcome: "held" | "stopped_early" = "held", stoppedEarlyReason?: string) =>
      recordVisitOutcome(db, as.audit, {
        patientId: patient.id,
        visitId: visit!.id,
        outcome,
        now: ny("2026-11-02T10:05"),
        overrideReason: "Therapist confirmed by phone this morning; the renewal is on its way.",
        stoppedEarlyReason,
      });
    return { db, clinician, patient, visit: visit!, next: next!, now, save, sign, hold, as };
  }

  it("is refused before the visit is recorded as held", async () => {
    const { db, save } = await world();
    await expect(save()).rejects.toThrow(/Record the visit as held first/);
    expect(await db.selectFrom("infusion_records").selectAll().execute()).toEqual([]);
  });

  it("saves and corrects a draft, then signs it once into an infusion summary for review, tied to the visit and without the dose", async () => {
    const { db, patient, visit, save, sign, hold } = await world();
    await hold();
    await save({ dissociation: 1 });
    await save();
    const draft = await infusionRecordOf(db, patient.id, visit.id);
    expect(draft).toMatchObject({
      dissociation: 2,
      dose_mg: "36.0",
      signed_at: null,
      recorded_by_name: "Dr. Ada Okoro",
    });

    const { noteId } = await sign();
    const note = await db.selectFrom("care_notes").selectAll().where("id", "=", noteId).executeTakeFirstOrThrow();
    expect(note).toMatchObject({
      kind: "infusion_summary",
      visit_id: visit.id,
      review_requested: true,
      patient_id: patient.id,
    });
    expect(note.body).toContain("Tolerated with adverse events: Nausea.");
    expect(note.body).toContain("Dissociation during the infusion: moderate (2 of 4).");
    expect(note.body).toMatch(
      /Therapy window: opens Mon, Nov 2, 2026, 11:30 AM EST, closes Thu, Nov 5, 2026, 11:30 AM EST/,
    );
    expect(note.body).toMatch(/Next infusion: Wed, Nov 4, 2026, 10:00 AM EST at Chelsea/);
    expect(note.body).not.toMatch(/mg/);

    await expect(sign()).rejects.toThrow(/already signed/);
    await expect(save({ dissociation: 0 })).rejects.toThrow(/signed and can no longer change/);
    const signed = await infusionRecordOf(db, patient.id, visit.id);
    expect(signed).toMatchObject({ dissociation: 2, signed_by_name: "Dr. Ada Okoro", summary_note_id: noteId });
    const actions = await db.selectFrom("audit_events").select("action").where("patient_id", "=", patient.id).execute();
    expect(actions.map((a) => a.action)).toEqual(
      expect.arrayContaining(["infusion_record.save", "infusion_record.sign", "note.post"]),
    );
  });

  it("states the dose in the summary only when the clinic's setting says so", async () => {
    const { db, save, sign, hold } = await world();
    await db.updateTable("clinic_settings").set({ summary_shows_dose: true }).execute();
    await hold();
    await save();
    const { noteId } = await sign();
    const note = await db.selectFrom("care_notes").select("body").where("id", "=", noteId).executeTakeFirstOrThrow();
    expect(note.body).toContain("Dose: 0.50 mg/kg (36.0 mg), IV.");
  });

  it("signs once when two sign at the same moment: one summary, one sign-off", async () => {
    const { db, visit, save, sign, hold } = await world();
    await hold();
    await save();
    const results = await Promise.allSettled([sign(), sign()]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    expect((results.find((r) => r.status === "rejected") as PromiseRejectedResult).reason).toBeInstanceOf(RecordError);
    const summaries = await db.selectFrom("care_notes").select("id").where("visit_id", "=", visit.id).execute();
    expect(summaries).toHaveLength(1);
  });

  it("takes corrections to a signed record as addenda only, in order, with their author", async () => {
    const { db, patient, visit, save, sign, hold, as } = await world();
    await hold();
    await save();
    const addendum = (body: string) =>
      addRecordAddendum(db, as.actor, as.audit, {
        patientId: patient.id,
        visitId: visit.id,
        body,
        now: ny("2026-11-02T12:00"),
      });
    await expect(addendum("Escort was the patient's sister.")).rejects.toThrow(/not signed yet/);
    await sign();
    await addendum("Escort was the patient's sister.");
    const signed = await infusionRecordOf(db, patient.id, visit.id);
    expect(signed!.addenda).toEqual([
      expect.objectContaining({ body: "Escort was the patient's sister.", author_name: "Dr. Ada Okoro" }),
    ]);
  });

  it("records a stopped-early infusion as held with its reason, which the summary states", async () => {
    const { db, patient, visit, save, sign, hold } = await world();
    await expect(hold("stopped_early")).rejects.toThrow(/Say why the infusion was stopped early/);
    await hold("stopped_early", "Blood pressure rose to 182/108 at 20 minutes.");
    const stored = await db
      .selectFrom("infusion_visits")
      .select(["status", "stopped_early_reason"])
      .where("id", "=", visit.id)
      .executeTakeFirstOrThrow();
    expect(stored).toEqual({ status: "held", stopped_early_reason: "Blood pressure rose to 182/108 at 20 minutes." });
    await save();
    const { noteId } = await sign();
    const note = await db.selectFrom("care_notes").select("body").where("id", "=", noteId).executeTakeFirstOrThrow();
    expect(note.body).toContain("stopped early: Blood pressure rose to 182/108 at 20 minutes.");
    expect(await infusionRecordOf(db, patient.id, visit.id)).not.toBeNull();
  });

  it("keeps another patient's visit out of reach", async () => {
    const { db, visit, as, hold } = await world();
    await hold();
    const other = await insertPatient(db, { firstName: "Jordan", lastName: "Baptiste" });
    await expect(
      saveInfusionRecord(db, as.actor, as.audit, {
        patientId: other.id,
        visitId: visit.id,
        now: ny("2026-11-02T11:00"),
        record,
      }),
    ).rejects.toThrow(/not on this patient's schedule/);
    expect(await infusionRecordOf(db, other.id, visit.id)).toBeNull();
  });
});
