import type { LoaderFunctionArgs } from "@remix-run/node";
import { expect, it } from "vitest";
import type { Database } from "../../db/engine";
import { clinicToday } from "~/lib/time";
import { postNote } from "~/modules/notes/notes.server";
import { openReferral } from "~/modules/referrals/referrals.server";
import * as root from "~/root";
import * as patientNotes from "~/routes/patients.$patientId.notes/route";
import * as referral from "~/routes/referrals.$referralId/route";
import * as clinicSchedule from "~/routes/clinic-schedule/route";
import * as visitPage from "~/routes/patients.$patientId.visits.$visitId/route";
import * as schedule from "~/routes/schedule";
import * as workList from "~/routes/work-list/route";
import { DAY, MINUTE, TestClock } from "../support/clock";
import { buildLoadContext } from "../support/context";
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
  type TestUser,
  referralInput,
} from "../support/factories";

/** The most-used pages may run at most this many SQL statements per view, session check and audit row included. */
const BUDGET = 5;

type Loader = (args: LoaderFunctionArgs) => unknown;

/** The same database, counting every statement it runs (once each, when its result comes back). */
function countingStatements(db: Database) {
  const counter = { statements: 0 };
  const counted = db.withPlugin({
    transformQuery: (args) => args.node,
    transformResult: async (args) => {
      counter.statements++;
      return args.result;
    },
  });
  return { db: counted, counter };
}

describeEachEngine("statements per page view", (getDb, engine) => {
  async function world() {
    const db = getDb();
    const clock = new TestClock();
    const now = clock.now();
    await insertClinicBasics(db);
    const coordinator = await createUser(db, { role: "coordinator" });
    const clinician = await createUser(db, { role: "clinician" });
    const therapist = await createProvider(db, { role: "therapist" });
    const patient = await insertPatient(db);
    await giveAccess(db, { patientId: patient.id, providerId: therapist.id, by: coordinator, now });
    await insertCourse(db, {
      patientId: patient.id,
      clinicianId: clinician.id,
      createdBy: coordinator.id,
      starts: [1, 3, 5].map((days) => new Date(now.getTime() + days * DAY)),
    });
    const note = {
      patientId: patient.id,
      kind: "progress_update" as const,
      requestReview: false,
      now,
      today: clinicToday(now),
      appUrl: "http://portal.ember.test",
    };
    await postNote(db, actorFor(therapist), auditContextFor(therapist), { ...note, body: "Steady mood this week." });
    await postNote(db, actorFor(coordinator), auditContextFor(coordinator), {
      ...note,
      body: "Ride to the clinic arranged.",
    });
    // Timing is scored: the match looks up the first therapy window too.
    const referralId = await openReferral(
      db,
      actorFor(coordinator),
      auditContextFor(coordinator),
      referralInput(patient.id, now, { needsWindow: true }),
    );
    return { clock, coordinator, clinician, therapist, patient, referralId };
  }

  /** A signed-in user's views of pages, each counted: the root loader and the page's loader, as Remix runs them. */
  async function viewer(clock: TestClock, who: TestUser) {
    const sessionId = (await buildLoadContext(getDb(), { engine, clock }).lucia.createSession(who.id, {})).id;
    return async (path: string, loader: Loader, params: Record<string, string> = {}) => {
      const { db, counter } = countingStatements(getDb());
      const context = buildLoadContext(db, { engine, clock });
      const request = new Request(`http://portal.ember.test${path}`, {
        headers: { Cookie: `${context.lucia.sessionCookieName}=${sessionId}` },
      });
      const args = { request, context, params } as LoaderFunctionArgs;
      await Promise.all([root.loader(args), loader(args)]);
      return counter.statements;
    };
  }

  it(`keeps the most-used pages within ${BUDGET} statements a view`, async () => {
    const { clock, coordinator, clinician, therapist, patient, referralId } = await world();
    const { id: visitId } = await getDb()
      .selectFrom("infusion_visits")
      .select("id")
      .where("patient_id", "=", patient.id)
      .executeTakeFirstOrThrow();
    const pages: { who: TestUser; path: string; loader: Loader; params?: Record<string, string> }[] = [
      { who: therapist, path: "/schedule", loader: schedule.loader },
      {
        who: therapist,
        path: `/patients/${patient.id}/notes`,
        loader: patientNotes.loader,
        params: { patientId: patient.id },
      },
      { who: coordinator, path: "/work-list", loader: workList.loader },
      { who: coordinator, path: `/referrals/${referralId}`, loader: referral.loader, params: { referralId } },
      { who: clinician, path: "/clinic-schedule", loader: clinicSchedule.loader },
      { who: clinician, path: "/clinic-schedule?clinic=chelsea&view=week", loader: clinicSchedule.loader },
      {
        who: clinician,
        path: `/patients/${patient.id}/visits/${visitId}`,
        loader: visitPage.loader,
        params: { patientId: patient.id, visitId },
      },
    ];
    for (const page of pages) {
      const view = await viewer(clock, page.who);
      // The first view of the notes marks the coordinator's note read.
      expect(await view(page.path, page.loader, page.params), `${page.path}, first view`).toBeLessThanOrEqual(BUDGET);
      // Two minutes on, the session's idle deadline is moved forward as well.
      clock.advance(2 * MINUTE);
      expect(await view(page.path, page.loader, page.params), `${page.path}, two minutes later`).toBeLessThanOrEqual(
        BUDGET,
      );
    }
  });

  it("reads the work list's lists and safety alerts in one statement: session, lists, audit", async () => {
    const { clock, coordinator } = await world();
    const view = await viewer(clock, coordinator);
    clock.advance(2 * MINUTE);
    expect(await view("/work-list", workList.loader)).toBe(3);
  });

  it("still checks the session, and audits each of those views in the same request", async () => {
    const { clock, coordinator, therapist, patient, referralId } = await world();
    const asTherapist = await viewer(clock, therapist);
    const asCoordinator = await viewer(clock, coordinator);
    clock.advance(2 * MINUTE);
    await asTherapist("/schedule", schedule.loader);
    await asTherapist(`/patients/${patient.id}/notes`, patientNotes.loader, { patientId: patient.id });
    await asCoordinator("/work-list", workList.loader);
    await asCoordinator(`/referrals/${referralId}`, referral.loader, { referralId });
    const rows = await getDb()
      .selectFrom("audit_events")
      .select(["action", "outcome", "actor_id"])
      .where("action", "in", ["schedule.view", "note.read", "work_list.view", "referral.view"])
      .orderBy("id")
      .execute();
    expect(rows).toEqual([
      { action: "schedule.view", outcome: "success", actor_id: therapist.id },
      { action: "note.read", outcome: "success", actor_id: therapist.id },
      { action: "work_list.view", outcome: "success", actor_id: coordinator.id },
      { action: "referral.view", outcome: "success", actor_id: coordinator.id },
    ]);
    // Each view moved its session's idle deadline to 30 minutes after it.
    const deadlines = await getDb().selectFrom("sessions").select("expires_at").execute();
    expect(deadlines.map((s) => s.expires_at.getTime())).toEqual([
      clock.now().getTime() + 30 * MINUTE,
      clock.now().getTime() + 30 * MINUTE,
    ]);
    // An idle session is refused and ends.
    clock.advance(31 * MINUTE);
    await expect(asTherapist("/schedule", schedule.loader)).rejects.toMatchObject({ status: 302 });
    expect(await getDb().selectFrom("sessions").select("user_id").execute()).toEqual([{ user_id: coordinator.id }]);
  });
});
