import { expect, it } from "vitest";
import { zonedToUtc } from "~/lib/time";
import { confirmEngagement } from "~/modules/engagement/engagement.server";
import type { InfusionAnswer } from "~/routes/patients.$patientId.infusions/actions.server";
import { describeEachEngine } from "../support/db";
import { actorFor, auditContextFor, engagementInput, insertCourse } from "../support/factories";
import { buildWorld, callRoute, NOW, paramsFor, ROUTES, type World } from "../support/route-harness";

const INFUSIONS = ROUTES.find((r) => r.id === "patients.$patientId.infusions")!;

function ny(local: string): Date {
  const instant = zonedToUtc(local);
  if (!instant) throw new Error(`${local} does not exist in New York`);
  return instant;
}

/** Mon, Wed, Fri at 10:00 from Monday 2026-10-26, at Chelsea (08:00–19:00), supervised by the world's clinician. */
const pattern = (w: World, overrides: Record<string, string | string[]> = {}) => ({
  intent: "preview",
  locationId: "chelsea",
  clinicianId: w.users.clinician.id,
  kind: "course",
  repeat: "weekdays",
  weekday: ["1", "3", "5"],
  everyDays: "2",
  firstDay: "2026-10-26",
  time: "10:00",
  count: "4",
  ...overrides,
});

async function post(w: World, body: Record<string, string | string[]>) {
  const { observed } = await callRoute(w, {
    route: INFUSIONS,
    handler: "action",
    who: "clinician",
    params: paramsFor(INFUSIONS, w),
    body,
  });
  if (observed.kind !== "response") throw observed.error;
  const value = observed.value as { data?: unknown };
  return { status: observed.status, location: observed.location, answer: (value?.data ?? null) as InfusionAnswer };
}

const visitsOf = (w: World) =>
  w.db
    .selectFrom("infusion_visits")
    .select("starts_at")
    .where("patient_id", "=", w.patients.own.id)
    .where("starts_at", ">", NOW)
    .orderBy("starts_at")
    .execute();

describeEachEngine("booking a course by pattern", (getDb, engine) => {
  async function world() {
    const w = await buildWorld(getDb(), engine);
    await confirmEngagement(w.db, actorFor(w.users.therapist), auditContextFor(w.users.therapist), {
      ...engagementInput(w.users.therapist.name),
      patientId: w.patients.own.id,
      now: NOW,
    });
    return w;
  }

  it("previews the pattern's dates with their windows, across the November change, writing nothing but the audit row", async () => {
    const w = await world();
    const { status, answer } = await post(w, pattern(w, { repeat: "interval", firstDay: "2026-10-30", count: "3" }));
    expect(status).toBe(200);
    const preview = answer!.preview!;
    expect(preview.visits.map((v) => v.local)).toEqual(["2026-10-30T10:00", "2026-11-01T10:00", "2026-11-03T10:00"]);
    // 10:00 in New York is 14:00 UTC before the change and 15:00 after; each window is 72 hours from the visit's end.
    expect(preview.visits.map((v) => v.startsAt)).toEqual([
      "2026-10-30T14:00:00.000Z",
      "2026-11-01T15:00:00.000Z",
      "2026-11-03T15:00:00.000Z",
    ]);
    expect(preview.visits[1]).toMatchObject({
      endsAt: "2026-11-01T16:30:00.000Z",
      windowClosesAt: "2026-11-04T16:30:00.000Z",
      conflicts: [],
    });
    expect(preview.bookable).toBe(true);
    expect(preview.warnings).toEqual(["This course has 3 visits; a typical initial course has 4 to 6."]);
    expect(await visitsOf(w)).toEqual([]);
    const audit = await w.db
      .selectFrom("audit_events")
      .select("action")
      .where("patient_id", "=", w.patients.own.id)
      .where("action", "=", "infusion.preview")
      .execute();
    expect(audit).toHaveLength(1);
  });

  it("explains each conflict: the patient's visit that day, the clinician busy with another patient, the clinic's hours", async () => {
    const w = await world();
    // The patient already has Wednesday afternoon; the clinician has another patient on Friday morning.
    await insertCourse(w.db, {
      patientId: w.patients.own.id,
      clinicianId: w.users.clinician.id,
      createdBy: w.users.clinician.id,
      starts: [ny("2026-10-28T15:00")],
    });
    await insertCourse(w.db, {
      patientId: w.patients.other.id,
      clinicianId: w.users.clinician.id,
      createdBy: w.users.clinician.id,
      locationId: "tribeca",
      starts: [ny("2026-10-30T09:30")],
    });
    const { answer } = await post(w, pattern(w));
    const preview = answer!.preview!;
    expect(preview.bookable).toBe(false);
    expect(preview.visits.map((v) => v.conflicts)).toEqual([
      [],
      ["Same day as this patient's visit 15:00–16:30 at Chelsea: at most one infusion visit a day."],
      [`${w.users.clinician.name} is busy: another patient's visit 09:30–11:00. Care is one clinician to one patient.`],
      [],
    ]);
    expect(JSON.stringify(preview)).not.toContain("Baptiste");
    expect(JSON.stringify(preview)).not.toContain(w.patients.other.id);

    const late = (await post(w, pattern(w, { time: "18:00", weekday: ["2"], count: "1" }))).answer!.preview!;
    expect(late.visits[0]!.conflicts).toEqual([
      "Outside Chelsea's hours (08:00–19:00 New York time): this visit would run 18:00–19:30.",
    ]);

    // Adjusted dates are previewed as typed: Friday moved to 13:00 no longer clashes.
    const adjusted = (
      await post(w, {
        ...pattern(w),
        visit: ["2026-10-26T10:00", "2026-10-29T10:00", "2026-10-30T13:00", "2026-11-02T10:00"],
      })
    ).answer!.preview!;
    expect(adjusted.visits.map((v) => v.local)).toEqual([
      "2026-10-26T10:00",
      "2026-10-29T10:00",
      "2026-10-30T13:00",
      "2026-11-02T10:00",
    ]);
    expect(adjusted.bookable).toBe(true);
  });

  it("books exactly the previewed dates, and shows the preview again when a conflict arose or a date changed since", async () => {
    const w = await world();
    const previewed = (await post(w, pattern(w))).answer!.preview!.visits.map((v) => v.local);
    const book = (visit: string[]) => post(w, { ...pattern(w), intent: "schedule", visit, previewed });

    // Since the preview, the clinician was booked with another patient on Wednesday.
    await insertCourse(w.db, {
      patientId: w.patients.other.id,
      clinicianId: w.users.clinician.id,
      createdBy: w.users.clinician.id,
      starts: [ny("2026-10-28T10:30")],
    });
    const refused = await book(previewed);
    expect(refused.status).toBe(409);
    expect(refused.answer!.intent).toBe("preview");
    expect(refused.answer!.preview!.notice).toMatch(/^Not booked: something changed since the preview\./);
    expect(refused.answer!.preview!.visits[1]!.conflicts).toEqual([
      `${w.users.clinician.name} is busy: another patient's visit 10:30–12:00. Care is one clinician to one patient.`,
    ]);
    expect(await visitsOf(w)).toEqual([]);

    // A date changed after the preview is previewed, not booked.
    const moved = [previewed[0]!, "2026-10-29T10:00", previewed[2]!, previewed[3]!];
    const changed = await book(moved);
    expect(changed.status).toBe(409);
    expect(changed.answer!.preview!.notice).toBe(
      "Not booked yet: the dates changed since the preview. Check them below, then book.",
    );
    expect(changed.answer!.preview!.bookable).toBe(true);
    expect(await visitsOf(w)).toEqual([]);

    // Booked as previewed: exactly those dates.
    const booked = await post(w, { ...pattern(w), intent: "schedule", visit: moved, previewed: moved });
    expect(booked.status).toBe(302);
    expect((await visitsOf(w)).map((v) => new Date(v.starts_at).toISOString())).toEqual(
      moved.map((local) => ny(local).toISOString()),
    );
  });

  it("answers a refused change on its own form and row: a visit cancelled twice says why, beside that visit", async () => {
    const w = await world();
    await insertCourse(w.db, {
      patientId: w.patients.own.id,
      clinicianId: w.users.clinician.id,
      createdBy: w.users.clinician.id,
      starts: [ny("2026-10-27T10:00")],
    });
    const visit = await w.db
      .selectFrom("infusion_visits")
      .select("id")
      .where("patient_id", "=", w.patients.own.id)
      .where("starts_at", ">", NOW)
      .executeTakeFirstOrThrow();
    const cancel = { intent: "cancel", visitId: visit.id, reason: "Patient unwell." };
    expect((await post(w, cancel)).status).toBe(302);
    const again = await post(w, cancel);
    expect(again.status).toBe(409);
    expect(again.answer).toMatchObject({
      intent: "cancel",
      target: visit.id,
      result: { error: { "": ["Only a scheduled visit can be cancelled."] } },
    });
  });
});
