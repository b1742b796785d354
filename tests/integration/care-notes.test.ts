import { sql } from "kysely";
import { expect, it } from "vitest";
import type { NoteKind } from "../../db/schema";
import { clinicToday } from "~/lib/time";
import { acknowledgeSafetyConcern, addAddendum, NoteError, postNote } from "~/modules/notes/notes.server";
import { signOffNote } from "~/modules/notes/review.server";
import { openSafetyConcerns, reviewQueue, unreadByPatient } from "~/modules/notes/queues.server";
import { queueNoteDigests } from "~/modules/notes/digests.server";
import { readThread, THREAD_PAGE_SIZE } from "~/modules/notes/thread.server";
import { postNoteSchema, type ThreadFilter } from "~/modules/notes/schema";
import { endCareTeamMembership, revokeRelease } from "~/modules/patients/care-team.server";
import { PatientNotFound, requirePatient } from "~/modules/patients/patients.server";
import { setNoteDigests } from "~/modules/users/preferences.server";
import { MINUTE, SECOND } from "../support/clock";
import { describeEachEngine } from "../support/db";
import {
  actorFor,
  auditContextFor,
  createProvider,
  openAs,
  createUser,
  giveAccess,
  insertClinicBasics,
  insertCourse,
  insertPatient,
  type TestUser,
} from "../support/factories";

const APP_URL = "https://portal.ember.test";
// 11:00 in New York on Tuesday 2026-10-20.
const NOW = new Date("2026-10-20T15:00:00Z");
const TODAY = clinicToday(NOW);
const at = (minutes: number) => new Date(NOW.getTime() + minutes * MINUTE);

/** Thrown by `fn`, or a failure if nothing was thrown. */
async function thrown(fn: () => Promise<unknown>): Promise<unknown> {
  return fn().then(
    () => expect.unreachable("expected an error"),
    (e: unknown) => e,
  );
}

async function expectNoteError(fn: () => Promise<unknown>, status: number, message: RegExp) {
  const error = await thrown(fn);
  expect(error).toBeInstanceOf(NoteError);
  expect((error as NoteError).status).toBe(status);
  expect((error as NoteError).message).toMatch(message);
}

describeEachEngine("care notes", (getDb) => {
  async function setUp() {
    const db = getDb();
    await insertClinicBasics(db);
    const coordinator = await createUser(db, { role: "coordinator", name: "Maya Okafor" });
    const coordinator2 = await createUser(db, { role: "coordinator", name: "Jon Reyes" });
    const formerCoordinator = await createUser(db, { role: "coordinator", name: "Pat Former", status: "deactivated" });
    const clinician = await createUser(db, { role: "clinician", name: "Dr. Lena Brooks, MD" });
    const admin = await createUser(db, { role: "admin", name: "Ops Admin" });
    const therapist = await createProvider(db, { role: "therapist", name: "Dana Whitfield, LCSW" });
    const psychiatrist = await createProvider(db, { role: "psychiatrist", name: "Dr. Ravi Castellano" });
    const psychiatrist2 = await createProvider(db, { role: "psychiatrist", name: "Dr. Imani Shah" });
    const outsider = await createProvider(db, { role: "psychiatrist", name: "Dr. Sam Outside" });
    const revoked = await createProvider(db, { role: "therapist", name: "Riley Revoked, LMFT" });
    const patient = await insertPatient(db, { firstName: "Quillon", lastName: "Zephyrine" });
    const otherPatient = await insertPatient(db, { firstName: "Orla", lastName: "Vantongeren" });
    await giveAccess(db, { patientId: patient.id, providerId: therapist.id, by: coordinator, now: NOW });
    await giveAccess(db, {
      patientId: patient.id,
      providerId: psychiatrist.id,
      by: coordinator,
      now: NOW,
      teamRole: "psychiatrist",
    });
    await giveAccess(db, {
      patientId: patient.id,
      providerId: psychiatrist2.id,
      by: coordinator,
      now: NOW,
      teamRole: "psychiatrist",
    });
    // The outsider is a provider in good standing, on another patient's team only.
    await giveAccess(db, {
      patientId: otherPatient.id,
      providerId: outsider.id,
      by: coordinator,
      now: NOW,
      teamRole: "psychiatrist",
    });
    const { releaseId } = await giveAccess(db, {
      patientId: patient.id,
      providerId: revoked.id,
      by: coordinator,
      now: NOW,
      teamRole: "other",
    });
    await revokeRelease(db, auditContextFor(coordinator), {
      patientId: patient.id,
      releaseId: releaseId!,
      reason: "patient withdrew consent",
      now: NOW,
    });
    return {
      db,
      coordinator,
      coordinator2,
      formerCoordinator,
      clinician,
      admin,
      therapist,
      psychiatrist,
      psychiatrist2,
      outsider,
      revoked,
      patient,
      otherPatient,
    };
  }

  function post(
    author: TestUser,
    patientId: string,
    kind: NoteKind,
    body: string,
    options: { now?: Date; requestReview?: boolean } = {},
  ) {
    const now = options.now ?? NOW;
    return postNote(getDb(), actorFor(author), auditContextFor(author), {
      patientId,
      kind,
      body,
      requestReview: options.requestReview ?? false,
      now,
      today: clinicToday(now),
      appUrl: APP_URL,
    });
  }

  const thread = (reader: TestUser, patientId: string, filter: ThreadFilter = {}, page = 1, now = NOW) =>
    openAs(getDb(), reader, patientId, now, "care_notes").then((patient) =>
      readThread(getDb(), actorFor(reader), { patient, filter, page, now }),
    );
  const noteRow = (id: string) =>
    getDb().selectFrom("care_notes").selectAll().where("id", "=", id).executeTakeFirstOrThrow();
  const outbox = () => getDb().selectFrom("email_outbox").selectAll().orderBy("created_at").orderBy("id").execute();

  it("stores a note with script tags, markup and 20,000 characters byte for byte, and reads it back unchanged", async () => {
    const { therapist, psychiatrist, patient } = await setUp();
    const head = `<script>alert("x")</script><img src=x onerror="alert(1)"> **bold** <b>markup</b> &amp; &lt;not an entity&gt; 'quotes' "double" \\ back\\slash\n\ttabbed line\nemoji 🧠 é combining é ${"\u202e"}rtl`;
    // 20,000 characters as PostgreSQL and the schema count them (code points; the emoji is two UTF-16 units).
    const body = [...(head + " lorem ipsum".repeat(2000))].slice(0, 20_000 - 1).join("") + "!";
    expect([...body]).toHaveLength(20_000);
    // The same path a form post takes: the schema keeps it as typed (it only trims the ends and normalises CRLF).
    const parsed = postNoteSchema.parse({ kind: "progress_update", body });
    expect(parsed.body).toBe(body);
    expect(postNoteSchema.safeParse({ kind: "progress_update", body: body + "x" }).success).toBe(false);

    const { id } = await post(therapist, patient.id, parsed.kind, parsed.body);
    const stored = await noteRow(id);
    expect(stored.body).toBe(body);
    expect(Buffer.from(stored.body, "utf8").equals(Buffer.from(body, "utf8"))).toBe(true);
    const { rows } = await sql<{
      chars: number;
      bytes: number;
    }>`select char_length(body) as chars, octet_length(body) as bytes from care_notes where id = ${id}`.execute(
      getDb(),
    );
    expect(Number(rows[0]!.chars)).toBe(20_000);
    expect(Number(rows[0]!.bytes)).toBe(Buffer.byteLength(body, "utf8"));

    const read = await thread(psychiatrist, patient.id);
    expect(read.notes[0]!.body).toBe(body);
  });

  it("refuses UPDATE and DELETE on every permanent table, leaving the rows as they were", async () => {
    const { db, therapist, psychiatrist, clinician, patient } = await setUp();
    const note = await post(therapist, patient.id, "session_summary", "Session 2 of WET held.", {
      requestReview: true,
    });
    const concern = await post(therapist, patient.id, "safety_concern", "Patient reported passive ideation.");
    await addAddendum(db, actorFor(therapist), auditContextFor(therapist), {
      patientId: patient.id,
      noteId: note.id,
      body: "Correction: session 3.",
      now: at(1),
    });
    await signOffNote(db, actorFor(psychiatrist), auditContextFor(psychiatrist), {
      patientId: patient.id,
      noteId: note.id,
      now: at(2),
      today: TODAY,
      appUrl: APP_URL,
    });
    await acknowledgeSafetyConcern(db, actorFor(clinician), auditContextFor(clinician), {
      patientId: patient.id,
      noteId: concern.id,
      response: "Called the patient.",
      now: at(3),
    });
    const snapshot = async () => ({
      notes: await db.selectFrom("care_notes").selectAll().orderBy("id").execute(),
      addenda: await db.selectFrom("note_addenda").selectAll().execute(),
      signOffs: await db.selectFrom("note_sign_offs").selectAll().execute(),
      acks: await db.selectFrom("safety_acknowledgements").selectAll().execute(),
    });
    const before = await snapshot();
    expect(before.notes).toHaveLength(2);
    expect(before.addenda).toHaveLength(1);
    expect(before.signOffs).toHaveLength(1);
    expect(before.acks).toHaveLength(1);

    const permanent = /permanent record/;
    await expect(
      db.updateTable("care_notes").set({ body: "rewritten" }).where("id", "=", note.id).execute(),
    ).rejects.toThrow(permanent);
    await expect(db.updateTable("care_notes").set({ review_requested: false }).execute()).rejects.toThrow(permanent);
    await expect(db.deleteFrom("care_notes").where("id", "=", note.id).execute()).rejects.toThrow(permanent);
    await expect(sql`delete from care_notes`.execute(db)).rejects.toThrow(permanent);
    await expect(db.updateTable("note_addenda").set({ body: "rewritten" }).execute()).rejects.toThrow(permanent);
    await expect(db.deleteFrom("note_addenda").execute()).rejects.toThrow(permanent);
    await expect(db.updateTable("note_sign_offs").set({ comment: "never mind" }).execute()).rejects.toThrow(permanent);
    await expect(db.deleteFrom("note_sign_offs").execute()).rejects.toThrow(permanent);
    await expect(db.updateTable("safety_acknowledgements").set({ response: "rewritten" }).execute()).rejects.toThrow(
      permanent,
    );
    await expect(db.deleteFrom("safety_acknowledgements").execute()).rejects.toThrow(permanent);

    expect(await snapshot()).toEqual(before);
  });

  it("lets only Ember clinicians write infusion summaries, and always sends those to review", async () => {
    const { db, therapist, psychiatrist, coordinator, clinician, patient } = await setUp();
    for (const author of [therapist, psychiatrist, coordinator]) {
      const error = await thrown(() => post(author, patient.id, "infusion_summary", "Infusion 1 of 6 tolerated well."));
      expect(error).toBeInstanceOf(NoteError);
      expect(error).toMatchObject({
        field: "kind",
        status: 400,
        message: "Only Ember infusion clinicians write infusion summaries.",
      });
    }
    expect(await db.selectFrom("care_notes").select("id").execute()).toEqual([]);

    const summary = await post(
      clinician,
      patient.id,
      "infusion_summary",
      "Infusion 1 of 6: 0.5 mg/kg over 40 minutes, no dissociation beyond expected.",
      { requestReview: false },
    );
    expect(await noteRow(summary.id)).toMatchObject({
      kind: "infusion_summary",
      review_requested: true,
      author_id: clinician.id,
      author_role: "clinician",
      author_organisation: "Ember Health",
    });

    const plain = await post(therapist, patient.id, "progress_update", "Engaged and hopeful.", {
      requestReview: false,
    });
    const asked = await post(therapist, patient.id, "question", "Should we move session 3 into the window?", {
      requestReview: true,
    });
    expect(await noteRow(plain.id)).toMatchObject({
      review_requested: false,
      author_role: "therapist",
      author_organisation: "Test Practice",
    });
    expect((await noteRow(asked.id)).review_requested).toBe(true);
    // The author has read what they wrote: only the clinician's summary is unread for the therapist.
    expect(await unreadByPatient(db, actorFor(therapist), TODAY)).toEqual(new Map([[patient.id, 1]]));
  });

  it("emails a safety concern at once to every active Ember clinician, every team member with access and every active coordinator, without the patient's name", async () => {
    const { db, therapist, psychiatrist, psychiatrist2, coordinator, coordinator2, clinician, patient } = await setUp();
    const formerClinician = await createUser(db, {
      role: "clinician",
      name: "Former Clinician",
      status: "deactivated",
    });
    const body = "Quillon Zephyrine said she has thought about ending her life; safety plan reviewed.";
    const result = await post(therapist, patient.id, "safety_concern", body);

    const mail = await outbox();
    // The Ember clinicians, who alone can acknowledge it; not the author, not the provider whose
    // release was revoked, not a provider off the team, not deactivated staff, not admins.
    const expected = [clinician, psychiatrist, psychiatrist2, coordinator, coordinator2].map((u) => u.email).sort();
    expect(mail.map((m) => m.to_address).sort()).toEqual(expected);
    expect(mail.some((m) => m.to_address === formerClinician.email)).toBe(false);
    expect(result.urgentNotices).toBe(5);
    for (const m of mail) {
      expect(m).toMatchObject({
        template: "safety-concern",
        status: "pending",
        subject: "Urgent: a safety concern was posted for one of your Ember patients",
      });
      expect(m.next_attempt_at.getTime()).toBeLessThanOrEqual(Date.now() + SECOND);
      expect(m.html).toContain(`${APP_URL}/patients/${patient.id}/notes`);
      for (const part of [m.subject, m.html, m.text]) {
        for (const secret of [
          patient.first_name,
          patient.last_name,
          patient.record_number,
          "ending her life",
          "Dana Whitfield",
        ]) {
          expect(part, `${m.to_address} must not carry "${secret}"`).not.toContain(secret);
        }
      }
    }
    const auditRow = await db
      .selectFrom("audit_events")
      .selectAll()
      .where("action", "=", "note.post")
      .executeTakeFirstOrThrow();
    expect(auditRow).toMatchObject({ entity_id: result.id, patient_id: patient.id, actor_id: therapist.id });
    expect(auditRow.detail).toEqual({ kind: "safety_concern", reviewRequested: false, urgentNotices: 5 });
    const alert = await db.selectFrom("safety_alerts").selectAll().executeTakeFirstOrThrow();
    expect(alert).toMatchObject({
      patient_id: patient.id,
      note_id: result.id,
      measure_id: null,
      raised_at: NOW,
      acknowledged_at: null,
      escalated_at: null,
    });
    expect(JSON.stringify(auditRow.detail)).not.toContain("Quillon");
  });

  it("notifies the author's colleagues but not the author when a coordinator raises the concern, and no one for other kinds", async () => {
    const { therapist, psychiatrist, psychiatrist2, coordinator, coordinator2, clinician, patient } = await setUp();
    await post(therapist, patient.id, "question", "Anything I should know before Friday?");
    expect(await outbox()).toEqual([]);
    const { urgentNotices } = await post(
      coordinator,
      patient.id,
      "safety_concern",
      "Patient called the front desk in distress.",
    );
    expect(urgentNotices).toBe(5);
    expect((await outbox()).map((m) => m.to_address).sort()).toEqual(
      [clinician, therapist, psychiatrist, psychiatrist2, coordinator2].map((u) => u.email).sort(),
    );
  });

  it("commits a safety concern and its emails together or not at all", async () => {
    const { db, therapist, patient } = await setUp();
    // Make the audit row, the last write of postNote, fail after the emails were queued.
    await sql`create function fail_note_audit() returns trigger language plpgsql as $$
      begin
        if new.action = 'note.post' then raise exception 'audit store unavailable'; end if;
        return new;
      end $$`.execute(db);
    await sql`create trigger fail_note_audit before insert on audit_events for each row execute function fail_note_audit()`.execute(
      db,
    );
    try {
      await expect(post(therapist, patient.id, "safety_concern", "Concern that must not half-post.")).rejects.toThrow(
        /audit store unavailable/,
      );
    } finally {
      await sql`drop trigger fail_note_audit on audit_events`.execute(db);
      await sql`drop function fail_note_audit()`.execute(db);
    }
    expect(await db.selectFrom("care_notes").select("id").execute()).toEqual([]);
    expect(await db.selectFrom("note_reads").select("note_id").execute()).toEqual([]);
    expect(await db.selectFrom("safety_alerts").select("id").execute()).toEqual([]);
    expect(await outbox()).toEqual([]);
    // With the audit store back, the same post goes through with all of its emails.
    expect((await post(therapist, patient.id, "safety_concern", "Concern, posted.")).urgentNotices).toBe(5);
    expect(await outbox()).toHaveLength(5);
  });

  it("takes an addendum from the note's author only and shows it with the note", async () => {
    const { db, therapist, psychiatrist, coordinator, clinician, patient, otherPatient } = await setUp();
    const note = await post(therapist, patient.id, "session_summary", "Session 2 of 5 (WET) held on Monday.");
    for (const other of [psychiatrist, coordinator, clinician]) {
      await expectNoteError(
        () =>
          addAddendum(db, actorFor(other), auditContextFor(other), {
            patientId: patient.id,
            noteId: note.id,
            body: "Not mine to correct.",
            now: at(1),
          }),
        403,
        /Only the note's author/,
      );
    }
    // A note id under another patient's thread is not found there.
    await expectNoteError(
      () =>
        addAddendum(db, actorFor(therapist), auditContextFor(therapist), {
          patientId: otherPatient.id,
          noteId: note.id,
          body: "Wrong thread.",
          now: at(1),
        }),
      404,
      /not in this thread/,
    );
    expect(await db.selectFrom("note_addenda").select("id").execute()).toEqual([]);

    const { id } = await addAddendum(db, actorFor(therapist), auditContextFor(therapist), {
      patientId: patient.id,
      noteId: note.id,
      body: "Correction: it was Tuesday.",
      now: at(2),
    });
    const shown = await thread(psychiatrist, patient.id);
    expect(shown.notes).toHaveLength(1);
    expect(shown.notes[0]!.addenda).toEqual([
      {
        id,
        note_id: note.id,
        body: "Correction: it was Tuesday.",
        created_at: at(2),
        author_name: "Dana Whitfield, LCSW",
      },
    ]);
    expect((await noteRow(note.id)).body).toBe("Session 2 of 5 (WET) held on Monday.");
  });

  it("lets only a psychiatrist on the patient's team with access sign off, never their own note, and only once", async () => {
    const { db, therapist, psychiatrist, psychiatrist2, outsider, clinician, coordinator, patient } = await setUp();
    const note = await post(therapist, patient.id, "session_summary", "CPT session 4 held.", { requestReview: true });
    const sign = (who: TestUser, noteId = note.id, comment?: string) =>
      signOffNote(db, actorFor(who), auditContextFor(who), {
        patientId: patient.id,
        noteId,
        comment,
        now: at(5),
        today: TODAY,
        appUrl: APP_URL,
      });

    for (const who of [therapist, clinician, coordinator, outsider])
      await expectNoteError(() => sign(who), 403, /Only a psychiatrist on this patient's care team/);
    // A psychiatrist whose release is revoked is off the team for this (one whose membership ended, below, too).
    const release = await db
      .selectFrom("releases_of_information")
      .select("id")
      .where("provider_id", "=", psychiatrist2.id)
      .executeTakeFirstOrThrow();
    await revokeRelease(db, auditContextFor(coordinator), {
      patientId: patient.id,
      releaseId: release.id,
      reason: "expired consent",
      now: NOW,
    });
    await expectNoteError(() => sign(psychiatrist2), 403, /Only a psychiatrist/);

    const own = await post(psychiatrist, patient.id, "progress_update", "Sertraline unchanged.", {
      requestReview: true,
    });
    await expectNoteError(() => sign(psychiatrist, own.id), 403, /other than its author/);
    const notForReview = await post(therapist, patient.id, "progress_update", "No review needed.");
    await expectNoteError(() => sign(psychiatrist, notForReview.id), 409, /not sent for review/);
    expect(await db.selectFrom("note_sign_offs").select("note_id").execute()).toEqual([]);

    expect(await sign(psychiatrist, note.id, "Agree with the plan.")).toBe(true);
    await expectNoteError(() => sign(psychiatrist, note.id, "Twice?"), 409, /already signed off/);
    expect(await db.selectFrom("note_sign_offs").selectAll().execute()).toEqual([
      { note_id: note.id, psychiatrist_id: psychiatrist.id, comment: "Agree with the plan.", signed_at: at(5) },
    ]);
    const shown = (await thread(therapist, patient.id)).notes.find((n) => n.id === note.id)!;
    expect(shown).toMatchObject({
      signed_by: "Dr. Ravi Castellano",
      sign_off_comment: "Agree with the plan.",
      signed_at: at(5),
    });

    const member = await db
      .selectFrom("care_team_members")
      .select("id")
      .where("user_id", "=", psychiatrist.id)
      .executeTakeFirstOrThrow();
    await endCareTeamMembership(db, auditContextFor(coordinator), {
      patientId: patient.id,
      memberId: member.id,
      reason: "moved away",
      now: at(6),
    });
    const later = await post(therapist, patient.id, "session_summary", "CPT session 5 held.", { requestReview: true });
    await expectNoteError(() => sign(psychiatrist, later.id), 403, /Only a psychiatrist/);
  });

  it("keeps the review queue to unsigned notes on the psychiatrist's visible patients, oldest first", async () => {
    const { db, therapist, psychiatrist, outsider, clinician, patient, otherPatient, coordinator } = await setUp();
    const second = await post(therapist, patient.id, "question", "Dose question.", {
      requestReview: true,
      now: at(10),
    });
    const first = await post(clinician, patient.id, "infusion_summary", "Infusion 1 tolerated.", { now: at(0) });
    const third = await post(therapist, patient.id, "session_summary", "Session held.", {
      requestReview: true,
      now: at(20),
    });
    await post(therapist, patient.id, "progress_update", "Not for review.", { now: at(5) });
    await post(psychiatrist, patient.id, "progress_update", "My own note.", { requestReview: true, now: at(1) });
    await giveAccess(db, { patientId: otherPatient.id, providerId: therapist.id, by: coordinator, now: NOW });
    await post(therapist, otherPatient.id, "question", "Other patient question.", { requestReview: true, now: at(2) });

    expect((await reviewQueue(db, actorFor(psychiatrist), TODAY)).map((n) => n.id)).toEqual([
      first.id,
      second.id,
      third.id,
    ]);
    await signOffNote(db, actorFor(psychiatrist), auditContextFor(psychiatrist), {
      patientId: patient.id,
      noteId: second.id,
      now: at(30),
      today: TODAY,
      appUrl: APP_URL,
    });
    const queue = await reviewQueue(db, actorFor(psychiatrist), TODAY);
    expect(queue.map((n) => n.id)).toEqual([first.id, third.id]);
    expect(queue[0]).toMatchObject({
      patient_id: patient.id,
      kind: "infusion_summary",
      author_name: "Dr. Lena Brooks, MD",
    });
    // The outsider sees only the other patient's note; therapists and staff have no review queue.
    expect((await reviewQueue(db, actorFor(outsider), TODAY)).map((n) => n.patient_id)).toEqual([otherPatient.id]);
    expect(await reviewQueue(db, actorFor(therapist), TODAY)).toEqual([]);
    expect(await reviewQueue(db, actorFor(coordinator), TODAY)).toEqual([]);
  });

  it("lets only an Ember clinician acknowledge a safety concern, once, which clears it from the dashboards", async () => {
    const { db, therapist, psychiatrist, coordinator, admin, clinician, outsider, patient } = await setUp();
    const concern = await post(therapist, patient.id, "safety_concern", "Expressed hopelessness today.", {
      now: at(0),
    });
    const ordinary = await post(therapist, patient.id, "progress_update", "Otherwise stable.", { now: at(1) });
    const acknowledge = (who: TestUser, noteId = concern.id) =>
      acknowledgeSafetyConcern(db, actorFor(who), auditContextFor(who), {
        patientId: patient.id,
        noteId,
        response: "Called the patient; safety plan in place; next visit moved up.",
        now: at(15),
      });

    expect((await openSafetyConcerns(db, actorFor(psychiatrist), TODAY)).map((n) => n.id)).toEqual([concern.id]);
    expect((await openSafetyConcerns(db, actorFor(coordinator), TODAY)).map((n) => n.id)).toEqual([concern.id]);
    expect(await openSafetyConcerns(db, actorFor(outsider), TODAY)).toEqual([]);

    for (const who of [therapist, psychiatrist, coordinator, admin])
      await expectNoteError(() => acknowledge(who), 403, /Only an Ember clinician/);
    await expectNoteError(() => acknowledge(clinician, ordinary.id), 409, /Only safety concerns/);
    expect(await acknowledge(clinician)).toBe(true);
    await expectNoteError(() => acknowledge(clinician), 409, /already acknowledged/);

    expect(await db.selectFrom("safety_acknowledgements").selectAll().execute()).toEqual([
      {
        note_id: concern.id,
        clinician_id: clinician.id,
        response: "Called the patient; safety plan in place; next visit moved up.",
        acknowledged_at: at(15),
      },
    ]);
    expect(await openSafetyConcerns(db, actorFor(psychiatrist), TODAY)).toEqual([]);
    expect(await openSafetyConcerns(db, actorFor(coordinator), TODAY)).toEqual([]);
    // Everyone on the team reads who acknowledged it, when, and what they wrote.
    for (const reader of [therapist, psychiatrist, coordinator]) {
      expect((await thread(reader, patient.id)).notes.find((n) => n.id === concern.id)).toMatchObject({
        acknowledged_by: "Dr. Lena Brooks, MD",
        acknowledged_at: at(15),
        acknowledgement: "Called the patient; safety plan in place; next visit moved up.",
      });
    }
    // Its alert is answered with it, so it never escalates.
    expect(
      await db.selectFrom("safety_alerts").select(["note_id", "acknowledged_by", "acknowledged_at"]).execute(),
    ).toEqual([{ note_id: concern.id, acknowledged_by: clinician.id, acknowledged_at: at(15) }]);
  });

  it("pages the thread 20 at a time, newest first, and marks read only the notes shown", async () => {
    const { db, therapist, psychiatrist, patient } = await setUp();
    const ids: string[] = [];
    for (let i = 0; i < 25; i++)
      ids.push((await post(therapist, patient.id, "progress_update", `Update ${i + 1}`, { now: at(i) })).id);
    const newestFirst = [...ids].reverse();
    expect(await unreadByPatient(db, actorFor(psychiatrist), TODAY)).toEqual(new Map([[patient.id, 25]]));

    const page1 = await thread(psychiatrist, patient.id, {}, 1, at(30));
    expect(THREAD_PAGE_SIZE).toBe(20);
    expect(page1.notes.map((n) => n.id)).toEqual(newestFirst.slice(0, 20));
    expect(page1.notes.every((n) => n.unread)).toBe(true);
    expect(page1.hasNext).toBe(true);
    expect(page1.authors).toEqual([{ id: therapist.id, name: "Dana Whitfield, LCSW" }]);
    expect(await unreadByPatient(db, actorFor(psychiatrist), TODAY)).toEqual(new Map([[patient.id, 5]]));

    const again = await thread(psychiatrist, patient.id, {}, 1, at(31));
    expect(again.notes.some((n) => n.unread)).toBe(false);
    const page2 = await thread(psychiatrist, patient.id, {}, 2, at(32));
    expect(page2.notes.map((n) => n.id)).toEqual(newestFirst.slice(20));
    expect(page2.notes.every((n) => n.unread)).toBe(true);
    expect(page2.hasNext).toBe(false);
    expect(await unreadByPatient(db, actorFor(psychiatrist), TODAY)).toEqual(new Map());
    expect((await thread(psychiatrist, patient.id, {}, 3)).notes).toEqual([]);

    const reads = await db.selectFrom("note_reads").selectAll().where("user_id", "=", psychiatrist.id).execute();
    expect(reads).toHaveLength(25);
    // Read once: the first reading's time stays.
    expect(reads.filter((r) => r.read_at.getTime() === at(30).getTime())).toHaveLength(20);
    // Reading is per reader: the author's own count was never affected.
    expect(await unreadByPatient(db, actorFor(therapist), TODAY)).toEqual(new Map());
  });

  it("filters the thread by kind, author and New York calendar days (both ends inclusive)", async () => {
    const { therapist, psychiatrist, clinician, coordinator, patient } = await setUp();
    // 23:30 in New York on Oct 18 is already Oct 19 in UTC.
    const lateOct18 = await post(therapist, patient.id, "progress_update", "Late evening update.", {
      now: new Date("2026-10-19T03:30:00Z"),
    });
    const oct19 = await post(clinician, patient.id, "infusion_summary", "Infusion 1.", {
      now: new Date("2026-10-19T14:00:00Z"),
    });
    const lateOct19 = await post(therapist, patient.id, "question", "Question.", {
      now: new Date("2026-10-20T03:59:00Z"),
    });
    const oct20 = await post(psychiatrist, patient.id, "progress_update", "Medication review.", {
      now: new Date("2026-10-20T04:00:00Z"),
    });

    const ids = async (filter: ThreadFilter) => (await thread(coordinator, patient.id, filter)).notes.map((n) => n.id);
    expect(await ids({})).toEqual([oct20.id, lateOct19.id, oct19.id, lateOct18.id]);
    expect(await ids({ kind: "progress_update" })).toEqual([oct20.id, lateOct18.id]);
    expect(await ids({ author: therapist.id })).toEqual([lateOct19.id, lateOct18.id]);
    expect(await ids({ kind: "progress_update", author: therapist.id })).toEqual([lateOct18.id]);
    expect(await ids({ from: "2026-10-19" })).toEqual([oct20.id, lateOct19.id, oct19.id]);
    expect(await ids({ to: "2026-10-18" })).toEqual([lateOct18.id]);
    expect(await ids({ from: "2026-10-19", to: "2026-10-19" })).toEqual([lateOct19.id, oct19.id]);
    expect(await ids({ from: "2026-10-21" })).toEqual([]);
    const authors = (await thread(coordinator, patient.id)).authors.map((a) => a.name);
    expect(authors).toEqual(["Dana Whitfield, LCSW", "Dr. Lena Brooks, MD", "Dr. Ravi Castellano"]);
  });

  it("counts unread notes only on patients the reader may see, never their own", async () => {
    const { db, therapist, psychiatrist, outsider, revoked, coordinator, patient, otherPatient } = await setUp();
    await post(psychiatrist, patient.id, "progress_update", "For the team.");
    await post(outsider, otherPatient.id, "progress_update", "Other patient.");
    await post(therapist, patient.id, "question", "Mine.");
    expect(await unreadByPatient(db, actorFor(therapist), TODAY)).toEqual(new Map([[patient.id, 1]]));
    expect(await unreadByPatient(db, actorFor(outsider), TODAY)).toEqual(new Map());
    expect(await unreadByPatient(db, actorFor(revoked), TODAY)).toEqual(new Map());
    expect(await unreadByPatient(db, actorFor(coordinator), TODAY)).toEqual(
      new Map([
        [patient.id, 2],
        [otherPatient.id, 1],
      ]),
    );
  });

  it("answers 404 for the thread to a provider off the team, with a revoked release or an ended membership", async () => {
    const { db, therapist, outsider, revoked, coordinator, clinician, patient } = await setUp();
    await post(therapist, patient.id, "progress_update", "Confidential update.");
    const open = (who: TestUser) =>
      requirePatient(
        db,
        actorFor(who),
        auditContextFor(who, { requestId: "req-thread" }),
        patient.id,
        TODAY,
        "note.read",
      );

    expect((await open(therapist)).id).toBe(patient.id);
    expect((await open(coordinator)).id).toBe(patient.id);
    expect((await open(clinician)).id).toBe(patient.id);
    for (const who of [outsider, revoked]) {
      const error = await thrown(() => open(who));
      expect(error).toBeInstanceOf(PatientNotFound);
      expect((error as Response).status).toBe(404);
    }
    const member = await db
      .selectFrom("care_team_members")
      .select("id")
      .where("user_id", "=", therapist.id)
      .executeTakeFirstOrThrow();
    await endCareTeamMembership(db, auditContextFor(coordinator), {
      patientId: patient.id,
      memberId: member.id,
      reason: "discharged",
      now: at(1),
    });
    expect(await thrown(() => open(therapist))).toBeInstanceOf(PatientNotFound);

    const denied = await db
      .selectFrom("audit_events")
      .select(["actor_id", "action", "patient_id", "request_id"])
      .where("outcome", "=", "denied")
      .orderBy("id")
      .execute();
    expect(denied).toEqual(
      [outsider, revoked, therapist].map((u) => ({
        actor_id: u.id,
        action: "note.read",
        patient_id: patient.id,
        request_id: "req-thread",
      })),
    );
  });

  describeDigests();

  function describeDigests() {
    /** Users are created at the wall-clock time; the digest counts notes after that, so back-date them. */
    async function digestSetUp() {
      const fixture = await setUp();
      const { db, clinician, patient } = fixture;
      await db
        .updateTable("users")
        .set({ created_at: new Date("2026-01-01T00:00:00Z") })
        .execute();
      // The clinician supervised this patient's visit last week, so they get digests too.
      await insertCourse(db, {
        patientId: patient.id,
        clinicianId: clinician.id,
        createdBy: fixture.coordinator.id,
        starts: [at(-7 * 24 * 60)],
      });
      return fixture;
    }

    const runDigests = (now: Date) => queueNoteDigests(getDb(), { now, appUrl: APP_URL });
    const digests = async () => (await outbox()).filter((m) => m.template === "notes-digest");
    const digestsTo = async (user: TestUser) =>
      (await digests()).filter((m) => m.to_address === user.email).map((m) => m.subject);

    it("sends one digest for two notes five minutes apart, holds the next for 15 minutes, then sends a second", async () => {
      const { therapist, psychiatrist, psychiatrist2, clinician, patient } = await digestSetUp();
      await post(therapist, patient.id, "progress_update", "Note A.", { now: at(0) });
      await post(therapist, patient.id, "session_summary", "Note B.", { now: at(5) });
      // The job runs every minute; note C arrives while the next digest is held back.
      for (let minute = 5; minute < 20; minute++) {
        if (minute === 12)
          await post(therapist, patient.id, "question", "Note C, while the digest is held.", { now: at(12) });
        expect(await runDigests(at(minute)), `minute ${minute}`).toBe(minute === 5 ? 3 : 0);
      }
      for (const who of [psychiatrist, psychiatrist2, clinician])
        expect(await digestsTo(who)).toEqual(["2 new care notes on your Ember patients"]);

      await post(therapist, patient.id, "progress_update", "Note D, 15 minutes after the first digest.", {
        now: at(20),
      });
      expect(await runDigests(at(20))).toBe(3);
      for (const who of [psychiatrist, psychiatrist2, clinician]) {
        expect(await digestsTo(who)).toEqual([
          "2 new care notes on your Ember patients",
          "2 new care notes on your Ember patients",
        ]);
      }
      // Nothing new: nothing sent, however long after.
      expect(await runDigests(at(120))).toBe(0);
      // The author is never told about their own notes.
      expect(await digestsTo(therapist)).toEqual([]);
      const users = await getDb()
        .selectFrom("users")
        .select(["id", "notes_digest_sent_at", "notes_digest_cursor"])
        .where("id", "=", psychiatrist.id)
        .executeTakeFirstOrThrow();
      expect(users).toEqual({ id: psychiatrist.id, notes_digest_sent_at: at(20), notes_digest_cursor: at(20) });
    });

    it("sends none to users who turned digests off, nor to anyone who cannot see the patient", async () => {
      const { db, therapist, psychiatrist, psychiatrist2, outsider, revoked, coordinator, admin, clinician, patient } =
        await digestSetUp();
      await setNoteDigests(db, auditContextFor(psychiatrist2), {
        userId: psychiatrist2.id,
        enabled: false,
        now: at(-1),
      });
      await post(therapist, patient.id, "progress_update", "An update for the team.", { now: at(0) });
      expect(await runDigests(at(1))).toBe(2);
      expect((await digests()).map((m) => m.to_address).sort()).toEqual([psychiatrist.email, clinician.email].sort());
      for (const who of [psychiatrist2, outsider, revoked, coordinator, admin, therapist])
        expect(await digestsTo(who)).toEqual([]);

      // Turning them back on starts from that moment: no backlog.
      await setNoteDigests(db, auditContextFor(psychiatrist2), { userId: psychiatrist2.id, enabled: true, now: at(2) });
      expect(await runDigests(at(30))).toBe(0);
      await post(therapist, patient.id, "progress_update", "Another.", { now: at(31) });
      await runDigests(at(32));
      expect(await digestsTo(psychiatrist2)).toEqual(["1 new care note on your Ember patients"]);
    });

    it("never counts a safety concern in a digest: it went out at once", async () => {
      const { therapist, psychiatrist, patient } = await digestSetUp();
      await post(therapist, patient.id, "safety_concern", "Urgent concern.", { now: at(0) });
      expect(await runDigests(at(1))).toBe(0);
      expect(await digests()).toEqual([]);
      await post(therapist, patient.id, "progress_update", "Ordinary update.", { now: at(2) });
      await runDigests(at(3));
      expect(await digestsTo(psychiatrist)).toEqual(["1 new care note on your Ember patients"]);
      for (const m of await outbox()) {
        for (const part of [m.subject, m.html, m.text])
          expect(part).not.toMatch(/Quillon|Zephyrine|Urgent concern|Ordinary update/);
      }
    });
  }
});
