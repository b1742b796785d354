import type { LoaderFunctionArgs } from "@remix-run/node";
import { expect, it } from "vitest";
import { zonedToUtc } from "~/lib/time";
import { clinicDays } from "~/modules/infusions/clinic-day";
import * as clinicSchedulePage from "~/routes/clinic-schedule/route";
import { TestClock } from "../support/clock";
import { buildLoadContext } from "../support/context";
import { describeEachEngine } from "../support/db";
import { createUser, insertClinicBasics, insertCourse, insertPatient, type TestUser } from "../support/factories";

const ny = (local: string) => zonedToUtc(local)!;

describeEachEngine("clinic schedule", (getDb, engine) => {
  /** Monday 2 November 2026, the day after the clocks went back, mid-morning in New York. */
  const clock = () => new TestClock(ny("2026-11-02T09:15"));

  async function world() {
    const db = getDb();
    await insertClinicBasics(db);
    const clinician = await createUser(db, { role: "clinician", name: "Dr. Ada Okoro" });
    const colleague = await createUser(db, { role: "clinician", name: "Dr. Ben Hart" });
    await db.updateTable("users").set({ home_location_id: "tribeca" }).where("id", "=", clinician.id).execute();
    const first = await insertPatient(db, { firstName: "Avery", lastName: "Lindqvist" });
    const second = await insertPatient(db, { firstName: "Jordan", lastName: "Baptiste" });
    const elsewhere = await insertPatient(db, { firstName: "Riley", lastName: "Nakamura" });
    // Two visits today at Tribeca, one the evening before (not today), one today at another clinic.
    await insertCourse(db, {
      patientId: first.id,
      clinicianId: clinician.id,
      createdBy: clinician.id,
      locationId: "tribeca",
      starts: [ny("2026-11-02T10:00"), ny("2026-11-04T10:00")],
    });
    await insertCourse(db, {
      patientId: second.id,
      clinicianId: colleague.id,
      createdBy: clinician.id,
      locationId: "tribeca",
      starts: [ny("2026-11-01T17:00"), ny("2026-11-02T13:30")],
    });
    await insertCourse(db, {
      patientId: elsewhere.id,
      clinicianId: colleague.id,
      createdBy: clinician.id,
      locationId: "chelsea",
      starts: [ny("2026-11-02T10:00")],
    });
    await db
      .updateTable("infusion_visits")
      .set({ status: "cancelled" })
      .where("patient_id", "=", second.id)
      .where("starts_at", "=", ny("2026-11-02T13:30"))
      .execute();
    return { db, clinician, first, second, elsewhere };
  }

  async function view(who: TestUser, search = "") {
    const context = buildLoadContext(getDb(), { engine, clock: clock() });
    const { id } = await context.lucia.createSession(who.id, {});
    const request = new Request(`http://portal.ember.test/clinic-schedule${search}`, {
      headers: { Cookie: `${context.lucia.sessionCookieName}=${id}` },
    });
    return clinicSchedulePage.loader({ request, context, params: {} } as LoaderFunctionArgs);
  }

  it("opens on today at the clinician's own clinic, every visit with its patient, clinician and status, and the free time between them", async () => {
    const { clinician, first, second } = await world();
    const page = await view(clinician);
    expect(page.clinic).toMatchObject({ id: "tribeca", opens_at: "08:00", closes_at: "19:00" });
    expect(page.day).toBe("2026-11-02");
    expect(page.days).toHaveLength(1);
    const visits = page.days[0]!.visits;
    expect(visits.map((v) => [v.patient_id, v.last_name, v.clinician_name, v.status])).toEqual([
      [first.id, "Lindqvist", "Dr. Ada Okoro", "scheduled"],
      [second.id, "Baptiste", "Dr. Ben Hart", "cancelled"],
    ]);
    // 10:00–11:30 is taken; the cancelled 13:30 visit frees its time.
    expect(page.days[0]!.slots).toEqual([
      { from: "08:00", to: "10:00", visits: 1 },
      { from: "11:30", to: "19:00", visits: 5 },
    ]);
    const audit = await getDb()
      .selectFrom("audit_events")
      .select(["action", "detail"])
      .where("action", "=", "clinic_schedule.view")
      .executeTakeFirstOrThrow();
    expect(audit.detail).toMatchObject({
      clinic: "tribeca",
      patientIds: expect.arrayContaining([first.id, second.id]),
    });
  });

  it("shows another clinic, another day, and a Monday-to-Sunday week", async () => {
    const { clinician, first, second, elsewhere } = await world();
    const chelsea = await view(clinician, "?clinic=chelsea");
    expect(chelsea.days[0]!.visits.map((v) => v.patient_id)).toEqual([elsewhere.id]);
    const yesterday = await view(clinician, "?clinic=tribeca&day=2026-11-01");
    expect(yesterday.days[0]!.visits.map((v) => v.patient_id)).toEqual([second.id]);
    const week = await view(clinician, "?clinic=tribeca&day=2026-11-04&view=week");
    expect(week.days.map((d) => d.day)).toEqual([
      "2026-11-02",
      "2026-11-03",
      "2026-11-04",
      "2026-11-05",
      "2026-11-06",
      "2026-11-07",
      "2026-11-08",
    ]);
    expect(week.days.map((d) => d.visits.length)).toEqual([2, 0, 1, 0, 0, 0, 0]);
    expect(week.days[2]!.visits[0]!.patient_id).toBe(first.id);
  });

  it("falls back to today and the viewer's clinic on an address it cannot read, and to the first clinic for staff without one", async () => {
    const { clinician } = await world();
    const odd = await view(clinician, "?clinic=nowhere&day=2026-02-31&view=month");
    expect([odd.clinic.id, odd.day, odd.view]).toEqual(["tribeca", "2026-11-02", "day"]);
    const coordinator = await createUser(getDb(), { role: "coordinator" });
    expect((await view(coordinator)).clinic.id).toBe("brooklyn-heights");
  });
});

it("counts free time in wall-clock hours on the day the clocks go back", () => {
  const hours = { opens_at: "08:00", closes_at: "12:00", time_zone: "America/New_York" };
  const visit = {
    starts_at: ny("2026-11-01T09:00").toISOString(),
    ends_at: ny("2026-11-01T10:30").toISOString(),
    status: "held",
  };
  expect(clinicDays("2026-11-01", 1, [visit], hours, 90)[0]!.slots).toEqual([
    { from: "10:30", to: "12:00", visits: 1 },
  ]);
});
