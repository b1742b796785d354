import { sql } from "kysely";
import { describe, expect, it } from "vitest";
import { recordAudit } from "~/audit/audit.server";
import { recordMeasure } from "~/modules/measures/measures.server";
import { postNote } from "~/modules/notes/notes.server";
import { confirmEngagement } from "~/modules/engagement/engagement.server";
import { offerReferral } from "~/modules/referrals/offers.server";
import { planTherapySession } from "~/modules/infusions/sessions.server";
import { setSessionCancelled } from "~/modules/infusions/session-changes.server";
import { zonedToUtc } from "~/lib/time";
import { describeEachEngine } from "../support/db";
import {
  actorFor,
  auditContextFor,
  engagementForm,
  engagementInput,
  infusionRecordForm,
  insertCourse,
} from "../support/factories";
import { EXPECTATIONS, isPatientCells } from "../support/authz-expectations";
import {
  buildWorld,
  callRoute,
  describeObserved,
  NOW,
  paramsFor,
  PATIENT_SCOPED,
  ROUTES,
  type FormBody,
  type Observed,
  type Relation,
  type RouteInfo,
  type Who,
  type World,
} from "../support/route-harness";
import type { Role } from "~/lib/roles";

/**
 * Every look at a patient, and every attempt, leaves an audit row naming who, what and which
 * patient: each patient-scoped loader and action as an actor it allows (outcome success) and as
 * an outside provider it refuses (outcome denied, whether refused for their role with 403 or for
 * the patient with 404). Routes that list patients name the patients shown, directly or through
 * the ids of the notes, referrals or offers shown; a provider who may not see a patient never
 * finds them named in the row of their own list. Audit rows cannot be changed or removed.
 */

const APP_URL = "https://portal.ember.test";
const TODAY = "2026-10-20";
const ACTION_NAME = /^[a-z_]+\.[a-z_.-]+$/;

function route(id: string): RouteInfo {
  const found = ROUTES.find((r) => r.id === id);
  if (!found) throw new Error(`no route ${id}`);
  return found;
}

function ny(local: string): Date {
  const instant = zonedToUtc(local);
  if (!instant) throw new Error(`${local} does not exist in New York`);
  return instant;
}

const auditRowsOf = (world: World, requestId: string) =>
  world.db.selectFrom("audit_events").selectAll().where("request_id", "=", requestId).orderBy("id").execute();

function status(observed: Observed): number {
  if (observed.kind === "error") throw new Error(`server error: ${describeObserved(observed)}`);
  return observed.status;
}

/** The patients an audit row names: its patient_id, and the patients behind the ids in its detail. */
async function patientsNamedBy(
  world: World,
  row: { patient_id: string | null; detail: unknown },
): Promise<Set<string>> {
  const detail = (row.detail ?? {}) as Record<string, unknown>;
  const ids = (key: string) => (Array.isArray(detail[key]) ? (detail[key] as string[]) : []);
  const named = new Set<string>(ids("patientIds"));
  if (row.patient_id) named.add(row.patient_id);
  const db = world.db;
  if (ids("noteIds").length)
    for (const r of await db.selectFrom("care_notes").select("patient_id").where("id", "in", ids("noteIds")).execute())
      named.add(r.patient_id);
  if (ids("referralIds").length)
    for (const r of await db
      .selectFrom("referrals")
      .select("patient_id")
      .where("id", "in", ids("referralIds"))
      .execute())
      named.add(r.patient_id);
  if (ids("offerIds").length) {
    const rows = await db
      .selectFrom("referral_offers as o")
      .innerJoin("referrals as r", "r.id", "o.referral_id")
      .select("r.patient_id")
      .where("o.id", "in", ids("offerIds"))
      .execute();
    for (const r of rows) named.add(r.patient_id);
  }
  return named;
}

interface WriteCase {
  route: string;
  intent: string;
  as: Role;
  /** The audit action of the write itself. */
  action: string;
  /** Sets up what the write needs and returns its form body (for the "own" patient). */
  body: (world: World) => Promise<FormBody>;
}

const own = (w: World) => w.patients.own.id;
const itemsOf = (n: number, answer: (i: number) => string) =>
  Object.fromEntries(Array.from({ length: n }, (_, i) => [`item${i + 1}`, answer(i + 1)]));

async function postTherapistNote(w: World, kind: "progress_update" | "safety_concern", requestReview: boolean) {
  const { id } = await postNote(w.db, actorFor(w.users.therapist), auditContextFor(w.users.therapist), {
    patientId: own(w),
    kind,
    body: "Synthetic note for the audit suite.",
    requestReview,
    now: NOW,
    today: TODAY,
    appUrl: APP_URL,
  });
  return id;
}

async function confirmTherapistEngagement(w: World) {
  await confirmEngagement(w.db, actorFor(w.users.therapist), auditContextFor(w.users.therapist), {
    ...engagementInput(w.users.therapist.name),
    patientId: own(w),
    now: NOW,
  });
}

async function visitOn(w: World, local: string) {
  await insertCourse(w.db, {
    patientId: own(w),
    clinicianId: w.users.clinician.id,
    createdBy: w.users.clinician.id,
    starts: [ny(local)],
  });
  const visit = await w.db
    .selectFrom("infusion_visits")
    .select(["id", "course_id"])
    .where("patient_id", "=", own(w))
    .orderBy("starts_at", "desc")
    .executeTakeFirstOrThrow();
  return visit;
}

const WRITES: WriteCase[] = [
  {
    route: "patients.$patientId.medications",
    intent: "add",
    as: "psychiatrist",
    action: "medication.add",
    body: async () => ({ intent: "add", name: "Lamotrigine", dose: "100 mg daily", prescriber: "Dr. Ravi Castellano" }),
  },
  {
    route: "patients.$patientId.visits.$visitId",
    intent: "complete-check",
    as: "clinician",
    action: "visit.check.complete",
    body: async () => ({ intent: "complete-check" }),
  },
  {
    route: "patients.$patientId.visits.$visitId",
    intent: "outcome, stopped early",
    as: "clinician",
    action: "infusion.stopped_early",
    body: async (w) => {
      await confirmTherapistEngagement(w);
      return { intent: "outcome", outcome: "stopped_early", stoppedEarlyReason: "Blood pressure rose at 20 minutes." };
    },
  },
  {
    route: "patients.$patientId.visits.$visitId",
    intent: "save-record",
    as: "clinician",
    action: "infusion_record.save",
    body: async (w) => {
      await w.db.updateTable("infusion_visits").set({ status: "held" }).where("id", "=", w.visits.own).execute();
      return infusionRecordForm();
    },
  },
  {
    route: "patients.$patientId._index",
    intent: "discussion",
    as: "clinician",
    action: "eligibility.discussion",
    body: async () => ({ discussedOn: "2026-10-19", note: "Discussed the mixed evidence." }),
  },
  {
    route: "patients.$patientId.care-team",
    intent: "add",
    as: "coordinator",
    action: "care_team.add",
    body: async (w) => ({ intent: "add", providerId: w.otherTherapist.id, teamRole: "other" }),
  },
  {
    route: "patients.$patientId.care-team",
    intent: "invite",
    as: "coordinator",
    action: "invitation.create",
    body: async () => ({
      intent: "invite",
      email: "new-provider@example.test",
      providerRole: "therapist",
      teamRole: "other",
    }),
  },
  {
    route: "patients.$patientId.care-team",
    intent: "end",
    as: "coordinator",
    action: "care_team.end",
    body: async (w) => {
      const member = await w.db
        .selectFrom("care_team_members")
        .select("id")
        .where("patient_id", "=", own(w))
        .where("user_id", "=", w.users.therapist.id)
        .executeTakeFirstOrThrow();
      return { intent: "end", memberId: member.id, reason: "Care transferred." };
    },
  },
  {
    route: "patients.$patientId.care-team",
    intent: "release",
    as: "coordinator",
    action: "release.record",
    body: async (w) => ({
      intent: "release",
      providerId: w.users.therapist.id,
      signedOn: "2026-10-01",
      expiresOn: "2027-10-01",
      scope: ["care_coordination", "care_notes"],
    }),
  },
  {
    route: "patients.$patientId.care-team",
    intent: "revoke",
    as: "coordinator",
    action: "release.revoke",
    body: async (w) => {
      const release = await w.db
        .selectFrom("releases_of_information")
        .select("id")
        .where("patient_id", "=", own(w))
        .where("provider_id", "=", w.users.therapist.id)
        .executeTakeFirstOrThrow();
      return { intent: "revoke", releaseId: release.id, reason: "Patient withdrew consent." };
    },
  },
  {
    route: "patients.$patientId.edit",
    intent: "update",
    as: "coordinator",
    action: "patient.update",
    body: async () => ({
      firstName: "Avery",
      lastName: "Lindqvist-Hale",
      dateOfBirth: "1986-03-14",
      preferredLocationId: "chelsea",
      insurance: "Aetna",
      diagnoses: ["ptsd", "mdd"],
    }),
  },
  {
    route: "patients.$patientId.engagement",
    intent: "confirm",
    as: "therapist",
    action: "engagement.confirm",
    body: async (w) => engagementForm(w.users.therapist.name),
  },
  {
    route: "patients.$patientId.engagement",
    intent: "intake",
    as: "therapist",
    action: "engagement.intake",
    // An intake date is given for a referral the therapist accepted.
    body: async (w) => {
      await w.db
        .updateTable("referrals")
        .set({ status: "accepted", accepted_provider_id: w.users.therapist.id })
        .where("id", "=", w.referralId)
        .execute();
      return { intent: "intake", scheduledOn: "2026-10-22" };
    },
  },
  {
    route: "patients.$patientId.infusions",
    intent: "schedule",
    as: "clinician",
    action: "infusion.schedule",
    body: async (w) => {
      await confirmTherapistEngagement(w);
      return {
        intent: "schedule",
        locationId: "chelsea",
        clinicianId: w.users.clinician.id,
        kind: "course",
        visit: ["2026-10-26T10:00", "2026-10-28T10:00", "2026-10-30T10:00", "2026-11-02T10:00"],
        previewed: ["2026-10-26T10:00", "2026-10-28T10:00", "2026-10-30T10:00", "2026-11-02T10:00"],
      };
    },
  },
  {
    route: "patients.$patientId.infusions",
    intent: "preview",
    as: "clinician",
    action: "infusion.preview",
    body: async (w) => ({
      intent: "preview",
      locationId: "chelsea",
      clinicianId: w.users.clinician.id,
      kind: "course",
      repeat: "weekdays",
      weekday: ["1", "3", "5"],
      firstDay: "2026-10-26",
      time: "10:00",
      count: "4",
    }),
  },
  {
    route: "patients.$patientId.infusions",
    intent: "reschedule",
    as: "clinician",
    action: "infusion.reschedule",
    body: async (w) => {
      // Moving a visit forward asks the engagement gate.
      await confirmTherapistEngagement(w);
      return { intent: "reschedule", visitId: (await visitOn(w, "2026-10-26T10:00")).id, startsAt: "2026-10-27T11:00" };
    },
  },
  {
    route: "patients.$patientId.infusions",
    intent: "cancel",
    as: "clinician",
    action: "infusion.cancel",
    body: async (w) => ({
      intent: "cancel",
      visitId: (await visitOn(w, "2026-10-26T10:00")).id,
      reason: "Patient unwell.",
    }),
  },
  {
    route: "patients.$patientId.visits.$visitId",
    intent: "outcome",
    as: "clinician",
    action: "infusion.held",
    body: async (w) => {
      // Marking held asks the engagement gate.
      await confirmTherapistEngagement(w);
      return { intent: "outcome", outcome: "held" };
    },
  },
  {
    route: "patients.$patientId.visits.$visitId",
    intent: "outcome past a refusing gate",
    as: "clinician",
    action: "infusion.gate_override",
    body: async () => ({
      intent: "outcome",
      outcome: "held",
      overrideReason: "Confirmed by phone; paperwork follows.",
    }),
  },
  {
    route: "patients.$patientId.infusions",
    intent: "booster-decision",
    as: "clinician",
    action: "booster_review.decide",
    body: async (w) => {
      const visit = await visitOn(w, "2026-09-21T10:00");
      const review = await w.db
        .insertInto("booster_reviews")
        .values({
          patient_id: own(w),
          course_id: visit.course_id,
          reason: "course_completed",
          due_from: "2026-10-12",
          due_to: "2026-10-19",
          created_at: NOW,
        })
        .returning("id")
        .executeTakeFirstOrThrow();
      return {
        intent: "booster-decision",
        reviewId: review.id,
        decision: "no_booster_now",
        note: "Stable; keep monitoring.",
      };
    },
  },
  {
    route: "patients.$patientId.infusions",
    intent: "plan-session",
    as: "therapist",
    action: "therapy_session.plan",
    body: async () => ({
      intent: "plan-session",
      startsAt: "2026-10-27T15:00",
      modality: "WET",
      protocolNumber: "1",
      protocolTotal: "5",
      mode: "telehealth",
      outsideWindow: "yes",
    }),
  },
  {
    route: "patients.$patientId.infusions",
    intent: "session-outcome",
    as: "therapist",
    action: "therapy_session.held",
    body: async (w) => {
      const session = await planTherapySession(w.db, actorFor(w.users.therapist), auditContextFor(w.users.therapist), {
        patientId: own(w),
        startsAt: ny("2026-10-19T15:00"),
        modality: "WET",
        protocolNumber: 1,
        protocolTotal: 5,
        mode: "in_person",
        outsideWindow: true,
        now: NOW,
      });
      return { intent: "session-outcome", sessionId: session.id, outcome: "held" };
    },
  },
  ...(
    [
      ["move-session", "therapy_session.move", { startsAt: "2026-10-28T16:00", outsideWindow: "yes" }],
      ["cancel-session", "therapy_session.cancel", {}],
      ["restore-session", "therapy_session.restore", {}],
    ] as const
  ).map(([intent, action, fields]) => ({
    route: "patients.$patientId.infusions",
    intent,
    as: "therapist" as const,
    action,
    body: async (w: World) => {
      const therapist = [actorFor(w.users.therapist), auditContextFor(w.users.therapist)] as const;
      const session = await planTherapySession(w.db, ...therapist, {
        patientId: own(w),
        startsAt: ny("2026-10-27T15:00"),
        modality: "WET",
        protocolNumber: 2,
        protocolTotal: 5,
        mode: "telehealth",
        outsideWindow: true,
        now: NOW,
      });
      if (intent === "restore-session")
        await setSessionCancelled(w.db, ...therapist, {
          patientId: own(w),
          sessionId: session.id,
          cancelled: true,
          now: NOW,
        });
      return { intent, sessionId: session.id, ...fields };
    },
  })),
  {
    route: "patients.$patientId.measures",
    intent: "PHQ9",
    as: "therapist",
    action: "measure.record",
    body: async () => ({ intent: "PHQ9", takenOn: "2026-10-19", ...itemsOf(9, () => "1") }),
  },
  {
    route: "patients.$patientId.measures",
    intent: "PCL5",
    as: "clinician",
    action: "measure.record",
    body: async () => ({ intent: "PCL5", takenOn: "2026-10-19", ...itemsOf(20, () => "2") }),
  },
  {
    route: "patients.$patientId.measures",
    intent: "acknowledge",
    as: "clinician",
    action: "safety_alert.acknowledge",
    body: async (w) => {
      await recordMeasure(w.db, actorFor(w.users.therapist), auditContextFor(w.users.therapist), {
        patientId: own(w),
        instrument: "PHQ9",
        takenOn: "2026-10-19",
        items: [1, 1, 1, 1, 1, 1, 1, 1, 1],
        now: NOW,
        appUrl: APP_URL,
      });
      const alert = await w.db
        .selectFrom("safety_alerts")
        .select("id")
        .where("patient_id", "=", own(w))
        .executeTakeFirstOrThrow();
      return {
        intent: "acknowledge",
        alertId: alert.id,
        signals: "1",
        action: "Called the patient; safety plan reviewed.",
      };
    },
  },
  {
    route: "patients.$patientId.notes",
    intent: "post",
    as: "therapist",
    action: "note.post",
    body: async () => ({ intent: "post", kind: "progress_update", body: "Sleeping better this week." }),
  },
  {
    route: "patients.$patientId.notes",
    intent: "addendum",
    as: "therapist",
    action: "note.addendum",
    body: async (w) => ({
      intent: "addendum",
      noteId: await postTherapistNote(w, "progress_update", false),
      body: "Correction: two sessions, not three.",
    }),
  },
  {
    route: "patients.$patientId.notes",
    intent: "sign-off",
    as: "psychiatrist",
    action: "note.sign_off",
    body: async (w) => ({
      intent: "sign-off",
      noteId: await postTherapistNote(w, "progress_update", true),
      comment: "Agree with the plan.",
    }),
  },
  {
    route: "patients.$patientId.notes",
    intent: "acknowledge",
    as: "clinician",
    action: "note.safety_acknowledge",
    body: async (w) => ({
      intent: "acknowledge",
      noteId: await postTherapistNote(w, "safety_concern", false),
      response: "Called the patient; safe.",
    }),
  },
  {
    route: "patients.$patientId.referrals",
    intent: "open",
    as: "coordinator",
    action: "referral.open",
    body: async () => ({
      modality: "WET",
      setting: "telehealth",
      insurance: "Aetna",
      language: "English",
      urgency: "routine",
    }),
  },
];

describe("audit coverage cases", () => {
  it("include a write for every patient-scoped action", () => {
    const missing = ROUTES.filter(
      (r) => PATIENT_SCOPED(r) && r.module.action && !WRITES.some((w) => w.route === r.id),
    ).map((r) => r.id);
    expect(missing).toEqual([]);
  });
});

describeEachEngine("audit coverage", (getDb, engine) => {
  it("names the actor and the patient on every patient-scoped read, and on every refused one", async () => {
    const world = await buildWorld(getDb(), engine);
    const problems: string[] = [];
    for (const r of ROUTES.filter((r) => PATIENT_SCOPED(r) && r.module.loader)) {
      const cells = EXPECTATIONS[r.id]?.loader?.cells;
      if (!cells || !isPatientCells(cells)) throw new Error(`${r.id}: no patient-scoped expectation`);
      const allowed = (Object.keys(cells) as Who[]).filter(
        (who) => who !== "anonymous" && cells[who].own === "allowed",
      );
      expect(allowed.length, `${r.id} allows someone`).toBeGreaterThan(0);
      for (const who of allowed) {
        const { observed, context } = await callRoute(world, {
          route: r,
          handler: "loader",
          who,
          params: paramsFor(r, world, "own"),
        });
        const rows = await auditRowsOf(world, context.requestId);
        const actor = world.users[who as Role];
        if (status(observed) !== 200) problems.push(`GET ${r.pattern} as ${who}: ${describeObserved(observed)}`);
        if (
          !rows.some(
            (a) =>
              a.actor_id === actor.id &&
              a.patient_id === own(world) &&
              a.outcome === "success" &&
              ACTION_NAME.test(a.action),
          )
        ) {
          problems.push(
            `GET ${r.pattern} as ${who}: no success row naming the actor and patient (${JSON.stringify(rows)})`,
          );
        }
      }
      const refused: Array<[Role, Relation]> = [
        ["therapist", "other"],
        ["therapist", "revoked"],
        ["psychiatrist", "other"],
        ["therapist", "awaiting"],
      ];
      // A page a release scope governs is refused, and audited as denied, without that scope.
      if (cells.therapist.unscoped === "not-found")
        refused.push(["therapist", "unscoped"], ["psychiatrist", "unscoped"]);
      for (const [who, relation] of refused) {
        const { observed, context } = await callRoute(world, {
          route: r,
          handler: "loader",
          who,
          params: paramsFor(r, world, relation),
        });
        const rows = await auditRowsOf(world, context.requestId);
        const patientId = world.patients[relation].id;
        if (![403, 404].includes(status(observed)))
          problems.push(`GET ${r.pattern} as ${who} on the ${relation} patient: ${describeObserved(observed)}`);
        if (
          !rows.some(
            (a) =>
              a.actor_id === world.users[who].id &&
              a.patient_id === patientId &&
              a.outcome === "denied" &&
              ACTION_NAME.test(a.action),
          )
        ) {
          problems.push(
            `GET ${r.pattern} as ${who} on the ${relation} patient: no denied row naming the actor and patient (${JSON.stringify(rows)})`,
          );
        }
        if (rows.some((a) => a.outcome === "success"))
          problems.push(`GET ${r.pattern} as ${who} on the ${relation} patient: a success row for a refused read`);
      }
    }
    expect(problems).toEqual([]);
  }, 300_000);

  it.each(WRITES.map((w) => [`${w.route} ${w.intent}`, w] as const))(
    "audits %s as the allowed actor (success) and as a refused provider (denied)",
    async (_name, write) => {
      const world = await buildWorld(getDb(), engine);
      const r = route(write.route);
      const body = await write.body(world);
      const actor = world.users[write.as];

      const allowed = await callRoute(world, {
        route: r,
        handler: "action",
        who: write.as,
        params: paramsFor(r, world, "own"),
        body,
      });
      expect(
        status(allowed.observed),
        `${write.route} ${write.intent}: ${describeObserved(allowed.observed)} ${JSON.stringify((allowed.observed as { value?: unknown }).value)}`,
      ).toBeLessThan(400);
      expect(await auditRowsOf(world, allowed.context.requestId)).toContainEqual(
        expect.objectContaining({
          actor_id: actor.id,
          actor_role: write.as,
          action: write.action,
          patient_id: own(world),
          outcome: "success",
        }),
      );

      // The same request, by a therapist, on a patient they may not see (or not yet).
      for (const relation of ["other", "revoked", "awaiting"] as const) {
        const refused = await callRoute(world, {
          route: r,
          handler: "action",
          who: "therapist",
          params: paramsFor(r, world, relation),
          body,
        });
        expect([403, 404]).toContain(status(refused.observed));
        const rows = await auditRowsOf(world, refused.context.requestId);
        expect(rows).toContainEqual(
          expect.objectContaining({
            actor_id: world.users.therapist.id,
            action: expect.stringMatching(ACTION_NAME),
            patient_id: world.patients[relation].id,
            outcome: "denied",
          }),
        );
        expect(rows.filter((a) => a.outcome !== "denied")).toEqual([]);
      }
    },
  );

  it("names the patients each list shows, and never a patient the provider may not see", async () => {
    const world = await buildWorld(getDb(), engine);
    const { db, users, patients } = world;
    // Something on every list for the "own" and the "other" patient.
    await insertCourse(db, {
      patientId: patients.own.id,
      clinicianId: users.clinician.id,
      createdBy: users.clinician.id,
      starts: [ny("2026-10-26T10:00")],
    });
    await insertCourse(db, {
      patientId: patients.other.id,
      clinicianId: users.clinician.id,
      createdBy: users.clinician.id,
      starts: [ny("2026-10-27T10:00")],
    });
    await postTherapistNote(world, "progress_update", true);
    await postNote(db, actorFor(world.otherTherapist), auditContextFor(world.otherTherapist), {
      patientId: patients.other.id,
      kind: "progress_update",
      body: "Synthetic note.",
      requestReview: true,
      now: NOW,
      today: TODAY,
      appUrl: APP_URL,
    });
    await offerReferral(db, actorFor(users.coordinator), auditContextFor(users.coordinator), {
      referralId: world.referralId,
      providerId: users.therapist.id,
      allowSeveral: false,
      now: NOW,
      appUrl: APP_URL,
    });

    const lists: Array<{
      id: string;
      handler: "loader" | "action";
      as: Role;
      body?: FormBody;
      shows: Relation[];
      hides: Relation[];
    }> = [
      { id: "_index", handler: "loader", as: "therapist", shows: ["own"], hides: ["other", "revoked"] },
      { id: "_index", handler: "loader", as: "coordinator", shows: ["own", "other", "revoked"], hides: [] },
      { id: "_index", handler: "action", as: "therapist", body: { q: "Lindqvist" }, shows: ["own"], hides: [] },
      { id: "_index", handler: "action", as: "therapist", body: { q: "Baptiste" }, shows: [], hides: ["other"] },
      { id: "_index", handler: "action", as: "clinician", body: { q: "Baptiste" }, shows: ["other"], hides: [] },
      { id: "schedule", handler: "loader", as: "therapist", shows: ["own"], hides: ["other", "revoked"] },
      { id: "reviews", handler: "loader", as: "psychiatrist", shows: ["own"], hides: ["other", "revoked"] },
      { id: "offers", handler: "loader", as: "therapist", shows: ["own"], hides: ["other", "revoked"] },
      { id: "offers", handler: "loader", as: "psychiatrist", shows: [], hides: ["own"] },
      { id: "work-list", handler: "loader", as: "coordinator", shows: ["own", "other", "revoked"], hides: [] },
      { id: "referrals._index", handler: "loader", as: "coordinator", shows: ["own"], hides: [] },
      { id: "referrals._index", handler: "loader", as: "admin", shows: ["own"], hides: [] },
      { id: "referrals[.csv]", handler: "loader", as: "coordinator", shows: ["own"], hides: [] },
      { id: "referrals.$referralId", handler: "loader", as: "admin", shows: ["own"], hides: [] },
    ];
    const problems: string[] = [];
    for (const list of lists) {
      const r = route(list.id);
      const name = `${list.handler === "loader" ? "GET" : "POST"} ${r.pattern}${list.body ? ` ${JSON.stringify(list.body)}` : ""} as ${list.as}`;
      const { observed, context } = await callRoute(world, {
        route: r,
        handler: list.handler,
        who: list.as,
        params: paramsFor(r, world),
        body: list.body,
      });
      if (status(observed) !== 200) problems.push(`${name}: ${describeObserved(observed)}`);
      const rows = (await auditRowsOf(world, context.requestId)).filter(
        (a) => a.actor_id === users[list.as].id && a.outcome === "success" && ACTION_NAME.test(a.action),
      );
      const named = new Set<string>();
      for (const row of rows) for (const id of await patientsNamedBy(world, row)) named.add(id);
      for (const relation of list.shows)
        if (!named.has(patients[relation].id))
          problems.push(`${name}: no audit row names the ${relation} patient (${JSON.stringify(rows)})`);
      for (const relation of list.hides)
        if (named.has(patients[relation].id))
          problems.push(`${name}: the audit row names the ${relation} patient, whom this list must not show`);
    }
    // Staff lists refuse outside providers outright, naming no patient.
    for (const id of ["work-list", "referrals._index", "referrals[.csv]", "referrals.$referralId"]) {
      const r = route(id);
      const { observed, context } = await callRoute(world, {
        route: r,
        handler: "loader",
        who: "therapist",
        params: paramsFor(r, world),
      });
      if (status(observed) !== 403) problems.push(`GET ${r.pattern} as therapist: ${describeObserved(observed)}`);
      for (const row of await auditRowsOf(world, context.requestId)) {
        if ((await patientsNamedBy(world, row)).size)
          problems.push(`GET ${r.pattern} as therapist: a refused list named a patient`);
      }
    }
    expect(problems).toEqual([]);
  }, 300_000);

  it("refuses to change or remove an audit row", async () => {
    const world = await buildWorld(getDb(), engine);
    const { db } = world;
    await recordAudit(db, auditContextFor(world.users.admin), {
      action: "test.event",
      entityType: "patient",
      entityId: own(world),
      patientId: own(world),
    });
    const before = await db.selectFrom("audit_events").selectAll().orderBy("id").execute();
    const last = before.at(-1)!;
    await expect(
      db.updateTable("audit_events").set({ outcome: "denied" }).where("id", "=", last.id).execute(),
    ).rejects.toThrow(/append-only/);
    await expect(db.updateTable("audit_events").set({ patient_id: null }).execute()).rejects.toThrow(/append-only/);
    await expect(db.deleteFrom("audit_events").where("id", "=", last.id).execute()).rejects.toThrow(/append-only/);
    await expect(sql`delete from audit_events where patient_id = ${own(world)}`.execute(db)).rejects.toThrow(
      /append-only/,
    );
    await expect(sql`update audit_events set action = 'tampered'`.execute(db)).rejects.toThrow(/append-only/);
    expect(await db.selectFrom("audit_events").selectAll().orderBy("id").execute()).toEqual(before);
  });
});
