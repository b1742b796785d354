import { expect, it } from "vitest";
import { deactivationImpact, listUsers, setUserStatus } from "~/modules/users/users.server";
import { describeEachEngine } from "../support/db";
import {
  auditContextFor,
  createProvider,
  createUser,
  giveAccess,
  insertLocations,
  insertPatient,
} from "../support/factories";

const NOW = new Date("2026-10-20T15:00:00Z");

describeEachEngine("administering users", (getDb) => {
  it("finds users by part of a name or email, whatever the case, with % and _ taken literally", async () => {
    const db = getDb();
    await createUser(db, { role: "coordinator", name: "Marisol Ortega", email: "m.ortega@ember.test" });
    await createUser(db, { role: "clinician", name: "Priya Raman", email: "praman@ember.test" });
    await createUser(db, { role: "admin", name: "Ortiz_100%", email: "ortiz@ember.test" });
    const names = async (query: string) =>
      (await listUsers(db, { page: 1, pageSize: 25, query })).rows.map((u) => u.name);
    expect(await names("ORTEGA")).toEqual(["Marisol Ortega"]);
    expect(await names("praman@")).toEqual(["Priya Raman"]);
    expect(await names("ort")).toEqual(["Marisol Ortega", "Ortiz_100%"]);
    expect(await names("_100%")).toEqual(["Ortiz_100%"]);
    expect(await names("%")).toEqual(["Ortiz_100%"]);
  });

  it("says which patients, visits and offers a deactivation touches, then keeps its reason with the account and in the audit log", async () => {
    const db = getDb();
    await insertLocations(db);
    const admin = await createUser(db, { role: "admin" });
    const coordinator = await createUser(db, { role: "coordinator" });
    const therapist = await createProvider(db);
    const first = await insertPatient(db, { lastName: "Abernathy" });
    const second = await insertPatient(db, { lastName: "Zielinski" });
    const elsewhere = await insertPatient(db);
    await giveAccess(db, { patientId: second.id, providerId: therapist.id, by: coordinator, now: NOW });
    await giveAccess(db, {
      patientId: first.id,
      providerId: therapist.id,
      by: coordinator,
      now: NOW,
      teamRole: "other",
    });
    const ended = await giveAccess(db, {
      patientId: elsewhere.id,
      providerId: therapist.id,
      by: coordinator,
      now: NOW,
    });
    await db
      .updateTable("care_team_members")
      .set({ ended_at: NOW, end_reason: "moved" })
      .where("id", "=", ended.memberId)
      .execute();

    const impact = await deactivationImpact(db, therapist.id, NOW);
    expect(impact).toMatchObject({ name: therapist.name, status: "active", booked_visits: 0, open_offers: 0 });
    expect(impact!.patients.map((p) => [p.last_name, p.team_role])).toEqual([
      ["Abernathy", "other"],
      ["Zielinski", "primary_therapist"],
    ]);
    expect(await deactivationImpact(db, "00000000-0000-4000-8000-000000000000", NOW)).toBeNull();

    expect(
      await setUserStatus(db, auditContextFor(admin), {
        userId: therapist.id,
        status: "deactivated",
        reason: "Left the practice.",
        now: NOW,
      }),
    ).toBe("changed");
    const user = await db
      .selectFrom("users")
      .select(["status", "deactivation_reason"])
      .where("id", "=", therapist.id)
      .executeTakeFirstOrThrow();
    expect(user).toEqual({ status: "deactivated", deactivation_reason: "Left the practice." });
    const audit = await db
      .selectFrom("audit_events")
      .select(["actor_id", "detail"])
      .where("action", "=", "user.deactivate")
      .executeTakeFirstOrThrow();
    expect(audit).toEqual({ actor_id: admin.id, detail: { reason: "Left the practice." } });
    expect((await deactivationImpact(db, therapist.id, NOW))!.patients).toEqual([]);

    await setUserStatus(db, auditContextFor(admin), { userId: therapist.id, status: "active", now: NOW });
    expect(
      (
        await db
          .selectFrom("users")
          .select("deactivation_reason")
          .where("id", "=", therapist.id)
          .executeTakeFirstOrThrow()
      ).deactivation_reason,
    ).toBeNull();
  });
});
