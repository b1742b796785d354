import { expect, it } from "vitest";
import { auditedPatient, browseAudit } from "~/modules/audit-log/browse.server";
import { describeEachEngine } from "../support/db";
import { createUser, insertLocations, insertPatient } from "../support/factories";

describeEachEngine("audit log browsing", (getDb) => {
  async function world() {
    const db = getDb();
    await insertLocations(db);
    const admin = await createUser(db, { role: "admin" });
    const therapist = await createUser(db, { role: "therapist", name: "Dana Reyes" });
    const patient = await insertPatient(db, { firstName: "Robin", lastName: "Auditson" });
    const other = await insertPatient(db);
    const event = (at: string, patientId: string | null, action = "patient.view") =>
      db
        .insertInto("audit_events")
        .values({
          at: new Date(at),
          actor_id: therapist.id,
          actor_role: "therapist",
          action,
          outcome: "success",
          patient_id: patientId,
        })
        .execute();
    return { db, admin, therapist, patient, other, event };
  }

  it("names the patient each event concerns and narrows to one patient's access history", async () => {
    const { db, patient, other, event } = await world();
    await event("2026-03-02T15:00:00Z", patient.id);
    await event("2026-03-02T16:00:00Z", other.id);
    await event("2026-03-02T17:00:00Z", null, "auth.sign_in");

    const all = await browseAudit(db, {}, { page: 1, pageSize: 50 });
    expect(all.rows.map((r) => [r.action, r.patient_record_number])).toEqual([
      ["auth.sign_in", null],
      ["patient.view", other.record_number],
      ["patient.view", patient.record_number],
    ]);
    const history = await browseAudit(db, { patientId: patient.id }, { page: 1, pageSize: 50 });
    expect(history.rows).toHaveLength(1);
    expect(history.rows[0]).toMatchObject({
      patient_first_name: "Robin",
      patient_last_name: "Auditson",
      actor_name: "Dana Reyes",
    });
    expect(await auditedPatient(db, patient.id)).toMatchObject({ record_number: patient.record_number });
    expect(await auditedPatient(db, "00000000-0000-4000-8000-000000000000")).toBeNull();
  });

  it("reads its date range as New York days, like the times in its table", async () => {
    const { db, patient, event } = await world();
    // 23:30 on 9 March in New York (summer time, UTC-4) is already 10 March in UTC.
    await event("2026-03-10T03:30:00Z", patient.id, "note.read");
    // 00:30 on 10 March in New York.
    await event("2026-03-10T04:30:00Z", patient.id, "measure.view");
    const on = async (from: string, to: string) =>
      (await browseAudit(db, { from, to }, { page: 1, pageSize: 50 })).rows.map((r) => r.action);
    expect(await on("2026-03-09", "2026-03-09")).toEqual(["note.read"]);
    expect(await on("2026-03-10", "2026-03-10")).toEqual(["measure.view"]);
    // The first day of summer time has 23 hours: its end is 04:00 UTC the next day.
    await event("2026-03-09T03:59:00Z", patient.id, "care_team.view");
    expect(await on("2026-03-08", "2026-03-08")).toEqual(["care_team.view"]);
  });
});
