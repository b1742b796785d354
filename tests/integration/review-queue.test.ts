import { expect, it } from "vitest";
import type { NoteKind } from "../../db/schema";
import { clinicToday } from "~/lib/time";
import { addAddendum, NoteError, postNote } from "~/modules/notes/notes.server";
import { reviewQueue } from "~/modules/notes/queues.server";
import { noteForReview, returnNote, signOffNote } from "~/modules/notes/review.server";
import { ReviewSettingsError, saveReviewSettings } from "~/modules/notes/review-settings.server";
import { returnNoteSchema } from "~/modules/notes/schema";
import { readThread } from "~/modules/notes/thread.server";
import { DAY, MINUTE } from "../support/clock";
import { describeEachEngine } from "../support/db";
import {
  actorFor,
  auditContextFor,
  createProvider,
  createUser,
  giveAccess,
  insertClinicBasics,
  insertPatient,
  openAs,
  type TestUser,
} from "../support/factories";
import { buildWorld, callRoute, ROUTES } from "../support/route-harness";
import { coordinatorWorkList, workListCounts } from "~/modules/work-list/work-list.server";

const APP_URL = "https://portal.ember.test";
// 11:00 in New York on Tuesday 2026-10-20.
const NOW = new Date("2026-10-20T15:00:00Z");
const TODAY = clinicToday(NOW);
const at = (minutes: number) => new Date(NOW.getTime() + minutes * MINUTE);

async function refusal(fn: () => Promise<unknown>): Promise<NoteError> {
  const error = await fn().then(
    () => expect.unreachable("expected a refusal"),
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(NoteError);
  return error as NoteError;
}

describeEachEngine("psychiatrist review", (getDb) => {
  async function setUp() {
    const db = getDb();
    await insertClinicBasics(db);
    const coordinator = await createUser(db, { role: "coordinator", name: "Maya Okafor" });
    const therapist = await createProvider(db, { role: "therapist", name: "Dana Whitfield, LCSW" });
    const psychiatrist = await createProvider(db, { role: "psychiatrist", name: "Dr. Ravi Castellano" });
    const fallback = await createProvider(db, { role: "psychiatrist", name: "Dr. Noor Fallback" });
    const patient = await insertPatient(db, { firstName: "Quillon", lastName: "Zephyrine" });
    const lonePatient = await insertPatient(db, { firstName: "Orla", lastName: "Vantongeren" });
    await giveAccess(db, { patientId: patient.id, providerId: therapist.id, by: coordinator, now: NOW });
    await giveAccess(db, {
      patientId: patient.id,
      providerId: psychiatrist.id,
      by: coordinator,
      now: NOW,
      teamRole: "psychiatrist",
    });
    // The lone patient's team has a therapist and no psychiatrist.
    await giveAccess(db, { patientId: lonePatient.id, providerId: therapist.id, by: coordinator, now: NOW });
    return { db, coordinator, therapist, psychiatrist, fallback, patient, lonePatient };
  }

  const post = (author: TestUser, patientId: string, body: string, minutes = 0, kind: NoteKind = "session_summary") =>
    postNote(getDb(), actorFor(author), auditContextFor(author), {
      patientId,
      kind,
      body,
      requestReview: true,
      now: at(minutes),
      today: TODAY,
      appUrl: APP_URL,
    });
  const decision = (minutes: number) => ({ now: at(minutes), today: TODAY, appUrl: APP_URL });
  const returnIt = (who: TestUser, noteId: string, comments: string, minutes = 10) =>
    returnNote(getDb(), actorFor(who), auditContextFor(who), { noteId, comments, ...decision(minutes) });
  const signIt = (who: TestUser, noteId: string, minutes = 10) =>
    signOffNote(getDb(), actorFor(who), auditContextFor(who), { noteId, ...decision(minutes) });
  const queueOf = async (who: TestUser) => (await reviewQueue(getDb(), actorFor(who), TODAY)).map((q) => q.id);
  const outbox = () => getDb().selectFrom("email_outbox").selectAll().orderBy("created_at").orderBy("id").execute();
  const threadNote = async (reader: TestUser, patientId: string, noteId: string) => {
    const patient = await openAs(getDb(), reader, patientId, NOW, "care_notes");
    const { notes } = await readThread(getDb(), actorFor(reader), { patient, filter: {}, page: 1, now: at(60) });
    return notes.find((n) => n.id === noteId)!;
  };

  it("returns a note with the psychiatrist's comments to its author, out of the queue, shown on the notes page", async () => {
    const { db, therapist, psychiatrist, patient } = await setUp();
    const note = await post(therapist, patient.id, "CPT session 4 held.\nWorked on stuck points.\nHomework set.");
    const queue = await reviewQueue(db, actorFor(psychiatrist), TODAY);
    expect(queue).toHaveLength(1);
    expect(queue[0]).toMatchObject({ id: note.id, kind: "session_summary", author_name: "Dana Whitfield, LCSW" });
    expect(queue[0]!.preview).toBe("CPT session 4 held.\nWorked on stuck points.\nHomework set.");

    // Comments are required.
    expect(returnNoteSchema.safeParse({ noteId: note.id, comments: "   " }).success).toBe(false);
    // Nobody else returns it: the author, and a psychiatrist off the team.
    const outsider = await createProvider(db, { role: "psychiatrist", name: "Dr. Sam Outside" });
    expect((await refusal(() => returnIt(outsider, note.id, "No."))).status).toBe(403);
    expect((await refusal(() => returnIt(therapist, note.id, "No."))).status).toBe(403);

    await returnIt(psychiatrist, note.id, "Please add which worksheet was used.");
    expect(await queueOf(psychiatrist)).toEqual([]);
    const shown = await threadNote(therapist, patient.id, note.id);
    expect(shown.awaiting_author).toBe(true);
    expect(shown.returns).toEqual([
      expect.objectContaining({
        comments: "Please add which worksheet was used.",
        psychiatrist_name: "Dr. Ravi Castellano",
        returned_at: at(10),
      }),
    ]);
    // While it waits for its author it is neither signed off nor returned again.
    expect(await refusal(() => signIt(psychiatrist, note.id, 11))).toMatchObject({
      status: 409,
      message: expect.stringMatching(/returned to its author/),
    });
    expect((await refusal(() => returnIt(psychiatrist, note.id, "Again.", 11))).status).toBe(409);
    expect(await db.selectFrom("note_sign_offs").selectAll().execute()).toEqual([]);
    // Permanent, like the note.
    await expect(db.deleteFrom("note_returns").execute()).rejects.toThrow(/permanent record/);
  });

  it("sends the author a receipt, a link only, when the note is returned and when it is signed off", async () => {
    const { db, therapist, psychiatrist, patient } = await setUp();
    const note = await post(therapist, patient.id, "Exposure hierarchy discussed at length.");
    await returnIt(psychiatrist, note.id, "Name the trauma-focused modality.");
    await addAddendum(db, actorFor(therapist), auditContextFor(therapist), {
      patientId: patient.id,
      noteId: note.id,
      body: "Modality: Prolonged Exposure.",
      now: at(20),
    });
    await signIt(psychiatrist, note.id, 30);
    const receipts = (await outbox()).filter((m) => m.template === "review-receipt");
    expect(receipts.map((m) => [m.to_address, m.subject])).toEqual([
      [therapist.email, "Your care note was returned with comments"],
      [therapist.email, "Your care note was signed off"],
    ]);
    const link = `${APP_URL}/patients/${patient.id}/notes#note-${note.id}`;
    for (const m of receipts) {
      expect(m.text).toContain(link);
      for (const part of [m.subject, m.html, m.text])
        for (const secret of ["Quillon", "Zephyrine", patient.record_number, "trauma-focused modality", "Exposure"])
          expect(part).not.toContain(secret);
    }
    const audit = await db
      .selectFrom("audit_events")
      .select(["action", "patient_id"])
      .where("action", "in", ["note.return", "note.sign_off", "note.addendum"])
      .orderBy("id")
      .execute();
    expect(audit).toEqual([
      { action: "note.return", patient_id: patient.id },
      { action: "note.addendum", patient_id: patient.id },
      { action: "note.sign_off", patient_id: patient.id },
    ]);
  });

  it("puts a returned note back in the queue when its author answers with an addendum, waiting from then", async () => {
    const { db, therapist, psychiatrist, patient } = await setUp();
    const first = await post(therapist, patient.id, "First note.", 0);
    const second = await post(therapist, patient.id, "Second note.", 1);
    await returnIt(psychiatrist, first.id, "Add the date of the session.");
    expect(await queueOf(psychiatrist)).toEqual([second.id]);
    const answer = await addAddendum(db, actorFor(therapist), auditContextFor(therapist), {
      patientId: patient.id,
      noteId: first.id,
      body: "Held on Monday 19 October.",
      now: at(20),
    });
    expect(answer.requeued).toBe(true);
    // A later addendum is a plain correction.
    const again = await addAddendum(db, actorFor(therapist), auditContextFor(therapist), {
      patientId: patient.id,
      noteId: first.id,
      body: "Typo fixed.",
      now: at(25),
    });
    expect(again.requeued).toBe(false);
    const queue = await reviewQueue(db, actorFor(psychiatrist), TODAY);
    expect(queue.map((q) => q.id)).toEqual([first.id, second.id]);
    expect(new Date(queue[0]!.queued_at)).toEqual(at(20));
    expect(queue[0]!.returned_before).toBe(true);
    const full = await noteForReview(db, actorFor(psychiatrist), TODAY, first.id);
    expect(full?.addenda.map((d) => d.body)).toEqual(["Held on Monday 19 October.", "Typo fixed."]);
    expect(full?.returns.map((r) => r.comments)).toEqual(["Add the date of the session."]);
    expect((await threadNote(therapist, patient.id, first.id)).awaiting_author).toBe(false);
    await signIt(psychiatrist, first.id, 30);
    expect(await queueOf(psychiatrist)).toEqual([second.id]);
  });

  it("sends notes to the clinic's fallback reviewer while the patient's team has no psychiatrist", async () => {
    const { db, coordinator, therapist, psychiatrist, fallback, lonePatient, patient } = await setUp();
    const admin = await createUser(db, { role: "admin", name: "Ops Admin" });
    const lone = await post(therapist, lonePatient.id, "Session summary for the lone patient.", 0);
    const teamed = await post(therapist, patient.id, "Session summary with a team psychiatrist.", 1);
    // Nobody is named yet: nobody reviews the lone patient's note.
    expect(await queueOf(fallback)).toEqual([]);
    expect((await refusal(() => signIt(fallback, lone.id))).status).toBe(403);

    await expect(
      saveReviewSettings(db, auditContextFor(admin), { fallbackReviewerId: therapist.id, reviewStaleDays: 3 }),
    ).rejects.toBeInstanceOf(ReviewSettingsError);
    await saveReviewSettings(db, auditContextFor(admin), { fallbackReviewerId: fallback.id, reviewStaleDays: 3 });
    // The fallback reviewer gets the lone patient's note only; the team psychiatrist keeps theirs.
    expect(await queueOf(fallback)).toEqual([lone.id]);
    expect(await queueOf(psychiatrist)).toEqual([teamed.id]);
    expect((await noteForReview(db, actorFor(fallback), TODAY, lone.id))?.body).toBe(
      "Session summary for the lone patient.",
    );
    expect(await noteForReview(db, actorFor(fallback), TODAY, teamed.id)).toBeUndefined();
    expect((await refusal(() => signIt(fallback, teamed.id))).status).toBe(403);

    // Once a psychiatrist with access joins the lone patient's team, the note is theirs.
    const joined = await createProvider(db, { role: "psychiatrist", name: "Dr. Imani Shah" });
    await giveAccess(db, {
      patientId: lonePatient.id,
      providerId: joined.id,
      by: coordinator,
      now: NOW,
      teamRole: "psychiatrist",
    });
    expect(await queueOf(fallback)).toEqual([]);
    expect(await queueOf(joined)).toEqual([lone.id]);
    // A psychiatrist's own note on a team with no other psychiatrist goes to the fallback reviewer.
    const own = await post(joined, lonePatient.id, "Medication plan unchanged.", 5, "progress_update");
    expect(await queueOf(fallback)).toEqual([own.id]);
    await signIt(fallback, own.id, 6);
    expect(await queueOf(fallback)).toEqual([]);
  });

  it("lists reviews waiting longer than the clinic's setting on the coordinator's work list, with the days waited", async () => {
    const { db, coordinator, therapist, psychiatrist, patient } = await setUp();
    const admin = await createUser(db, { role: "admin", name: "Ops Admin" });
    const old = await post(therapist, patient.id, "Posted four days ago.", -4 * 24 * 60);
    const recent = await post(therapist, patient.id, "Posted two days ago.", -2 * 24 * 60);
    const returned = await post(therapist, patient.id, "Returned, waiting for its author.", -5 * 24 * 60);
    await returnIt(psychiatrist, returned.id, "Please add the plan.", -5 * 24 * 60 + 10);
    const stale = async () => {
      const list = await coordinatorWorkList(db, actorFor(coordinator), NOW);
      return list.staleReviews.map((r) => [r.id, r.days_waiting, r.patient_id]);
    };
    // Three days by default: the returned note waits for its author, not for a psychiatrist.
    expect(await stale()).toEqual([[old.id, 4, patient.id]]);
    expect((await workListCounts(db, NOW)).staleReviews).toBe(1);
    await saveReviewSettings(db, auditContextFor(admin), { fallbackReviewerId: null, reviewStaleDays: 1 });
    expect(await stale()).toEqual([
      [old.id, 4, patient.id],
      [recent.id, 2, patient.id],
    ]);
    // Answered a day ago, the returned note waits again, counted from the answer.
    await addAddendum(db, actorFor(therapist), auditContextFor(therapist), {
      patientId: patient.id,
      noteId: returned.id,
      body: "Plan: continue PE weekly.",
      now: new Date(NOW.getTime() - DAY - MINUTE),
    });
    expect((await stale()).map(([id, days]) => [id, days])).toEqual([
      [returned.id, 1],
      [old.id, 4],
      [recent.id, 2],
    ]);
    await signIt(psychiatrist, old.id, 0);
    expect((await workListCounts(db, NOW)).staleReviews).toBe(2);
  });
});

describeEachEngine("the review queue page", (getDb, engine) => {
  it("previews every queued note, and after each decision lands on the next in queue, then the clear queue", async () => {
    const world = await buildWorld(getDb(), engine);
    const { db, users, patients } = world;
    const reviews = ROUTES.find((r) => r.id === "reviews")!;
    const note = (body: string, minutes: number) =>
      postNote(db, actorFor(users.therapist), auditContextFor(users.therapist), {
        patientId: patients.own.id,
        kind: "progress_update",
        body,
        requestReview: true,
        now: at(minutes - 60),
        today: TODAY,
        appUrl: APP_URL,
      });
    const first = await note("First note to review.", 0);
    const second = await note("Second note to review.", 1);
    const call = (handler: "loader" | "action", body?: Record<string, string>, search?: string) =>
      callRoute(world, { route: reviews, handler, who: "psychiatrist", params: {}, body, search });

    const page = await call("loader");
    const shown = (page.observed as { value: { queue: { id: string; preview: string }[]; current: { id: string } } })
      .value;
    expect(shown.queue.map((q) => [q.id, q.preview])).toEqual([
      [first.id, "First note to review."],
      [second.id, "Second note to review."],
    ]);
    expect(shown.current.id).toBe(first.id);

    // Comments are required to return a note: the form comes back with the message beside the field.
    const refused = await call("action", { intent: "return", noteId: first.id, comments: "" });
    expect(refused.observed).toMatchObject({ kind: "response", status: 400 });

    const returned = await call("action", { intent: "return", noteId: first.id, comments: "Add the plan." });
    expect(returned.observed).toMatchObject({ status: 302, location: `/reviews?note=${second.id}` });
    const signed = await call("action", { intent: "sign-off", noteId: second.id });
    expect(signed.observed).toMatchObject({ status: 302, location: "/reviews" });
    const clear = (await call("loader")).observed as { value: { queue: unknown[]; current: unknown } };
    expect(clear.value).toMatchObject({ queue: [], current: null });
  });
});
