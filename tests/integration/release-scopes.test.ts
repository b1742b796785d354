import ICAL from "ical.js";
import { sql } from "kysely";
import { Migrator } from "kysely/migration";
import { expect, it } from "vitest";
import { migrations } from "../../db/migrations/index";
import { migrateToLatest } from "../../db/migrator";
import { feedCalendar, issueCalendarFeed } from "~/modules/infusions/calendar.server";
import { providerSchedule } from "~/modules/infusions/schedule.server";
import { openSafetyAlerts } from "~/modules/measures/alerts.server";
import { recordMeasure } from "~/modules/measures/measures.server";
import { openSafetyConcerns, reviewQueue, unreadByPatient } from "~/modules/notes/queues.server";
import { postNote } from "~/modules/notes/notes.server";
import { queueNoteDigests } from "~/modules/notes/digests.server";
import { recordRelease } from "~/modules/patients/care-team.server";
import { PatientNotFound } from "~/modules/patients/patients.server";
import { recentSafetyAlerts } from "~/modules/safety/alerts.server";
import { resetPassword } from "~/modules/users/password-reset.server";
import { setUserStatus } from "~/modules/users/users.server";
import { hashToken } from "~/lib/tokens.server";
import { zonedToUtc } from "~/lib/time";
import { describeEachEngine } from "../support/db";
import {
  actorFor,
  auditContextFor,
  createProvider,
  insertCourse,
  openAs,
  TEST_APP_URL,
  type TestUser,
} from "../support/factories";
import { buildWorld, callRoute, NOW, paramsFor, ROUTES, type World } from "../support/route-harness";

/**
 * What each release scope shares: a provider whose current release covers care coordination alone
 * (the world's "unscoped" patient) finds that patient's notes, infusion schedule, calendar and
 * measures "not found", page by page and in every list, feed and digest that gathers them.
 */

const APP_URL = "https://portal.ember.test";
const TODAY = "2026-10-20";
const route = (id: string) => ROUTES.find((r) => r.id === id)!;
const ny = (local: string) => zonedToUtc(local)!;

/** A note for review, a course and a PHQ-9 safety alert on `patientId`, each by Ember staff. */
async function activityOn(world: World, patientId: string, day: number) {
  const { db, users } = world;
  const clinician = users.clinician;
  await postNote(db, actorFor(clinician), auditContextFor(clinician), {
    patientId,
    kind: "progress_update",
    body: "Synthetic note.",
    requestReview: true,
    now: NOW,
    today: TODAY,
    appUrl: APP_URL,
  });
  await postNote(db, actorFor(clinician), auditContextFor(clinician), {
    patientId,
    kind: "safety_concern",
    body: "Synthetic concern.",
    requestReview: false,
    now: NOW,
    today: TODAY,
    appUrl: APP_URL,
  });
  await insertCourse(db, {
    patientId,
    clinicianId: clinician.id,
    createdBy: clinician.id,
    starts: [ny(`2026-10-${day}T10:00`)],
  });
  await recordMeasure(db, actorFor(clinician), auditContextFor(clinician), {
    patientId,
    instrument: "PHQ9",
    takenOn: TODAY,
    items: [1, 1, 1, 1, 1, 1, 1, 1, 2],
    now: NOW,
    appUrl: APP_URL,
  });
}

describeEachEngine("release scopes", (getDb, engine) => {
  it("refuses each scoped page to a provider whose release leaves its scope out: 404, audited as denied with the scope", async () => {
    const world = await buildWorld(getDb(), engine);
    const pages = [
      ["patients.$patientId.notes", "care_notes"],
      ["patients.$patientId.infusions", "infusion_schedule"],
      ["patients.$patientId.calendar[.ics]", "infusion_schedule"],
      ["patients.$patientId.measures", "symptom_measures"],
    ] as const;
    for (const [id, scope] of pages) {
      const r = route(id);
      for (const who of ["therapist", "psychiatrist"] as const) {
        const refused = await callRoute(world, {
          route: r,
          handler: "loader",
          who,
          params: paramsFor(r, world, "unscoped"),
        });
        expect(refused.observed, `${id} as ${who}`).toMatchObject({ kind: "response", status: 404 });
        const rows = await world.db
          .selectFrom("audit_events")
          .select(["actor_id", "patient_id", "outcome", "detail"])
          .where("request_id", "=", refused.context.requestId)
          .execute();
        expect(rows).toEqual([
          {
            actor_id: world.users[who].id,
            patient_id: world.patients.unscoped.id,
            outcome: "denied",
            detail: { scope },
          },
        ]);
        // The same provider, on a patient whose release covers the scope, reads the page.
        const allowed = await callRoute(world, {
          route: r,
          handler: "loader",
          who,
          params: paramsFor(r, world, "own"),
        });
        expect(allowed.observed, `${id} as ${who} on the own patient`).toMatchObject({ kind: "response", status: 200 });
      }
    }
    // The gate's checked patient says what the release covers: care coordination alone.
    await expect(
      openAs(world.db, world.users.therapist, world.patients.unscoped.id, NOW, "care_notes"),
    ).rejects.toBeInstanceOf(PatientNotFound);
    expect((await openAs(world.db, world.users.therapist, world.patients.unscoped.id, NOW)).scopes).toEqual([
      "care_coordination",
    ]);
  }, 120_000);

  it("says on the overview which parts the provider's release does not cover", async () => {
    const world = await buildWorld(getDb(), engine);
    const r = route("patients.$patientId._index");
    const notCovered = async (who: "therapist" | "coordinator", relation: "own" | "unscoped") => {
      const { observed } = await callRoute(world, {
        route: r,
        handler: "loader",
        who,
        params: paramsFor(r, world, relation),
      });
      expect(observed).toMatchObject({ kind: "response", status: 200 });
      return (observed as { value: { notCovered: string[] } }).value.notCovered;
    };
    expect(await notCovered("therapist", "unscoped")).toEqual([
      "Infusion schedule: the Infusions page, upcoming infusions and calendars",
      "Care notes: the thread, the review queue and note digests",
      "Symptom measures: PHQ-9 and PCL-5 scores and alerts",
      "Substance-use history",
    ]);
    expect(await notCovered("therapist", "own")).toEqual(["Substance-use history"]);
    expect(await notCovered("coordinator", "unscoped")).toEqual([]);
  });

  it("leaves patients whose release lacks the scope out of the review queue, unread counts, dashboards, upcoming infusions and the feed", async () => {
    const world = await buildWorld(getDb(), engine);
    const { db, users, patients } = world;
    await activityOn(world, patients.own.id, 26);
    await activityOn(world, patients.unscoped.id, 27);
    const therapist = actorFor(users.therapist);
    const psychiatrist = actorFor(users.psychiatrist);
    const ids = (rows: Array<{ patient_id: string }>) => [...new Set(rows.map((r) => r.patient_id))];

    expect([...(await unreadByPatient(db, therapist, TODAY)).keys()]).toEqual([patients.own.id]);
    expect(ids(await reviewQueue(db, psychiatrist, TODAY))).toEqual([patients.own.id]);
    expect(ids(await openSafetyConcerns(db, therapist, TODAY))).toEqual([patients.own.id]);
    expect(ids(await openSafetyAlerts(db, therapist, TODAY))).toEqual([patients.own.id]);
    expect(ids((await providerSchedule(db, therapist, { now: NOW, today: TODAY, page: 1 })).visits)).toEqual([
      patients.own.id,
    ]);

    const token = await issueCalendarFeed(db, therapist, auditContextFor(users.therapist), NOW);
    const feed = new ICAL.Component(
      ICAL.parse((await feedCalendar(db, token, NOW, APP_URL, { ip: "127.0.0.1", requestId: "req-feed" }))!),
    );
    const codes = await db.selectFrom("patients").select(["id", "calendar_code"]).execute();
    const codeOf = (id: string) => codes.find((c) => c.id === id)!.calendar_code;
    const summaries = feed.getAllSubcomponents("vevent").map((e) => String(e.getFirstPropertyValue("summary")));
    expect(summaries).toEqual([
      `Ember visit · ref ${codeOf(patients.own.id)} (Chelsea)`,
      `Therapy window · ref ${codeOf(patients.own.id)}`,
    ]);
  }, 120_000);

  it("shows a safety alert on the overview and in the alert list only under a release covering the page it links to", async () => {
    const world = await buildWorld(getDb(), engine);
    const { db, users, patients } = world;
    await activityOn(world, patients.own.id, 26);
    await activityOn(world, patients.unscoped.id, 27);
    // The psychiatrist's releases for the unscoped patient now cover care notes, not symptom measures.
    await recordRelease(db, auditContextFor(users.coordinator), {
      patientId: patients.unscoped.id,
      providerId: users.psychiatrist.id,
      signedOn: "2026-01-01",
      expiresOn: "2030-12-31",
      scope: ["care_coordination", "care_notes"],
      now: NOW,
      appUrl: TEST_APP_URL,
    });
    const r = route("patients.$patientId._index");
    const overviewAlerts = async (who: "therapist" | "psychiatrist" | "coordinator", relation: "own" | "unscoped") => {
      const { observed } = await callRoute(world, {
        route: r,
        handler: "loader",
        who,
        params: paramsFor(r, world, relation),
      });
      expect(observed).toMatchObject({ kind: "response", status: 200 });
      return (observed as { value: { safetyAlerts: Array<{ note_id: string | null }> } }).value.safetyAlerts
        .map((a) => (a.note_id ? "concern" : "PHQ-9"))
        .sort();
    };
    expect(await overviewAlerts("therapist", "unscoped")).toEqual([]);
    expect(await overviewAlerts("psychiatrist", "unscoped")).toEqual(["concern"]);
    expect(await overviewAlerts("therapist", "own")).toEqual(["PHQ-9", "concern"]);
    expect(await overviewAlerts("coordinator", "unscoped")).toEqual(["PHQ-9", "concern"]);

    const listed = async (who: TestUser) =>
      (await recentSafetyAlerts(db, actorFor(who), { now: NOW, days: 7, limit: 50 }))
        .map((a) => `${a.patient_id === patients.own.id ? "own" : "unscoped"} ${a.note_id ? "concern" : "PHQ-9"}`)
        .sort();
    expect(await listed(users.therapist)).toEqual(["own PHQ-9", "own concern"]);
    expect(await listed(users.psychiatrist)).toEqual(["own PHQ-9", "own concern", "unscoped concern"]);
    expect(await listed(users.coordinator)).toEqual(["own PHQ-9", "own concern", "unscoped PHQ-9", "unscoped concern"]);
  });

  it("sends a note digest only for notes on patients whose notes the provider may read", async () => {
    const world = await buildWorld(getDb(), engine);
    const { db, users, patients } = world;
    const digestsTo = async (patientId: string, at: Date) => {
      await db.deleteFrom("email_outbox").execute();
      await db
        .updateTable("users")
        .set({ notify_notes: true, notes_digest_sent_at: null, notes_digest_cursor: new Date(at.getTime() - 60_000) })
        .execute();
      await postNote(db, actorFor(users.clinician), auditContextFor(users.clinician), {
        patientId,
        kind: "progress_update",
        body: "Synthetic note.",
        requestReview: false,
        now: at,
        today: TODAY,
        appUrl: APP_URL,
      });
      await queueNoteDigests(db, { now: new Date(at.getTime() + 1000), appUrl: APP_URL });
      const rows = await db
        .selectFrom("email_outbox")
        .select("to_address")
        .where("template", "=", "notes-digest")
        .execute();
      return rows.map((r) => r.to_address);
    };
    expect(await digestsTo(patients.unscoped.id, new Date(NOW.getTime() + 3_600_000))).not.toContain(
      users.therapist.email,
    );
    expect(await digestsTo(patients.own.id, new Date(NOW.getTime() + 7_200_000))).toContain(users.therapist.email);
  });

  it("shows an outside provider the other members' names and roles, never their email addresses or releases", async () => {
    const world = await buildWorld(getDb(), engine);
    const r = route("patients.$patientId.care-team");
    type Member = {
      user_id: string;
      name: string;
      team_role: string;
      email: string | null;
      releases: Array<{ provider_id: string }>;
    };
    const teamAs = async (who: "therapist" | "coordinator") => {
      const { observed } = await callRoute(world, {
        route: r,
        handler: "loader",
        who,
        params: paramsFor(r, world, "own"),
      });
      expect(observed).toMatchObject({ kind: "response", status: 200 });
      return (observed as { value: { team: Member[] } }).value.team;
    };
    const { therapist, psychiatrist } = world.users;
    const seen = await teamAs("therapist");
    expect(seen.map((m) => [m.name, m.team_role]).sort()).toEqual(
      [
        [psychiatrist.name, "psychiatrist"],
        [therapist.name, "primary_therapist"],
      ].sort(),
    );
    expect(seen.map((m) => m.email)).toEqual([null, null]);
    expect(JSON.stringify(seen)).not.toContain(psychiatrist.email);
    expect(seen.find((m) => m.user_id === psychiatrist.id)!.releases).toEqual([]);
    expect(seen.find((m) => m.user_id === therapist.id)!.releases.map((x) => x.provider_id)).toEqual([therapist.id]);
    // Ember staff see everything they manage.
    const staff = await teamAs("coordinator");
    expect(staff.find((m) => m.user_id === psychiatrist.id)).toMatchObject({
      email: psychiatrist.email,
      releases: [expect.objectContaining({ provider_id: psychiatrist.id })],
    });
  });

  it("ends a provider's feed addresses when their password is reset or their account is deactivated, for good", async () => {
    const world = await buildWorld(getDb(), engine);
    const { db, users } = world;
    const request = { ip: "127.0.0.1", requestId: "req-feed" };
    const feedWorks = async (token: string) => (await feedCalendar(db, token, NOW, APP_URL, request)) !== null;

    const beforeReset = await issueCalendarFeed(db, actorFor(users.therapist), auditContextFor(users.therapist), NOW);
    expect(await feedWorks(beforeReset)).toBe(true);
    const resetToken = "cmVzZXQtdG9rZW4tZm9yLXRoZS1mZWVkLXRlc3Q";
    await db
      .insertInto("password_resets")
      .values({
        user_id: users.therapist.id,
        token_hash: hashToken(resetToken),
        created_at: NOW,
        expires_at: new Date(NOW.getTime() + 3_600_000),
      })
      .execute();
    expect(
      await resetPassword(db, auditContextFor(null), {
        token: resetToken,
        password: "a brand new long password 7",
        now: NOW,
      }),
    ).toBe("done");
    expect(await feedWorks(beforeReset)).toBe(false);

    const beforeDeactivation = await issueCalendarFeed(
      db,
      actorFor(users.psychiatrist),
      auditContextFor(users.psychiatrist),
      NOW,
    );
    expect(await feedWorks(beforeDeactivation)).toBe(true);
    expect(
      await setUserStatus(db, auditContextFor(users.admin), {
        userId: users.psychiatrist.id,
        status: "deactivated",
        now: NOW,
      }),
    ).toBe("changed");
    expect(
      await setUserStatus(db, auditContextFor(users.admin), {
        userId: users.psychiatrist.id,
        status: "active",
        now: NOW,
      }),
    ).toBe("changed");
    // Reactivated, the account works again, but the old address does not.
    expect(await feedWorks(beforeDeactivation)).toBe(false);
  });

  it("keeps a feed with no visits valid RFC 5545: one calendar holding a component (its time zone)", async () => {
    const db = getDb();
    const lonely = await createProvider(db, { role: "therapist", name: "Noor Patel, LCSW" });
    const token = await issueCalendarFeed(db, actorFor(lonely), auditContextFor(lonely), NOW);
    const body = (await feedCalendar(db, token, NOW, APP_URL, { ip: "127.0.0.1", requestId: "req-empty" }))!;
    const calendar = new ICAL.Component(ICAL.parse(body));
    expect(calendar.name).toBe("vcalendar");
    expect(calendar.getAllSubcomponents("vevent")).toEqual([]);
    // RFC 5545 §3.6: a calendar holds at least one component.
    expect(calendar.getAllSubcomponents().map((c) => c.name)).toEqual(["vtimezone"]);
    expect(calendar.getFirstSubcomponent("vtimezone")!.getFirstPropertyValue("tzid")).toBe("America/New_York");
  });

  it("migrates explicitly: every release that existed gains symptom_measures, every patient a unique calendar code", async () => {
    const world = await buildWorld(getDb(), engine);
    const { db } = world;
    const names = Object.keys(migrations);
    const mine = names.indexOf("2026-12-05T1500-release-scopes-calendar-codes");
    const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations } });
    const down = await migrator.migrateTo(names[mine - 1]!);
    expect(down.error).toBeUndefined();
    const before = await sql<{
      id: string;
      scope: string[];
    }>`select id, scope from releases_of_information order by id`.execute(db);
    expect(before.rows.length).toBeGreaterThan(0);
    expect(before.rows.every((r) => !r.scope.includes("symptom_measures"))).toBe(true);
    await migrateToLatest(db);
    const after = await db.selectFrom("releases_of_information").select(["id", "scope"]).orderBy("id").execute();
    expect(after).toEqual(before.rows.map((r) => ({ id: r.id, scope: [...r.scope, "symptom_measures"] })));
    const codes = (await db.selectFrom("patients").select("calendar_code").execute()).map((p) => p.calendar_code);
    expect(codes.length).toBe(Object.keys(world.patients).length);
    for (const code of codes) expect(code).toMatch(/^[2-9A-HJKMNP-Z]{4}$/);
    expect(new Set(codes).size).toBe(codes.length);
    await expect(
      sql`update patients set calendar_code = ${codes[1]} where calendar_code = ${codes[0]}`.execute(db),
    ).rejects.toThrow();
    await expect(
      sql`update patients set calendar_code = 'O0I1' where calendar_code = ${codes[0]}`.execute(db),
    ).rejects.toThrow();
  });
});
