import { sql } from "kysely";
import { queueEmail } from "~/email/outbox.server";
import type { Database } from "../../../db/engine";
import { clinicToday, plusDays } from "~/lib/time";
import { onCareTeam, releaseCurrent } from "~/modules/patients/policy.server";

export const DIGEST_EVERY_MS = 15 * 60_000;

/**
 * At most one digest notice per user per 15 minutes, counting ordinary notes posted since their
 * last digest on patients whose notes they may read (outside providers) or whose visits they supervise
 * (Ember clinicians). Users can turn these off; safety concerns are never held back for a digest.
 */
export async function queueNoteDigests(db: Database, options: { now: Date; appUrl: string }): Promise<number> {
  const now = options.now;
  const today = clinicToday(now);
  const due = await sql<{ id: string; email: string; count: string }>`
    select u.id, u.email, count(distinct n.id)::text as count
    from users u
    join care_notes n
      on n.created_at > coalesce(u.notes_digest_cursor, u.created_at)
     and n.created_at <= ${now}
     and n.author_id <> u.id
     and n.kind <> 'safety_concern'
    where u.status = 'active'
      and u.notify_notes
      and (u.notes_digest_sent_at is null or u.notes_digest_sent_at <= ${new Date(now.getTime() - DIGEST_EVERY_MS)})
      and (
        (u.role in ('therapist', 'psychiatrist')
          and ${onCareTeam(sql.ref("n.patient_id"), sql.ref("u.id"))}
          and ${releaseCurrent(sql.ref("n.patient_id"), sql.ref("u.id"), today, "care_notes")})
        or (u.role = 'clinician'
          and exists (select 1 from infusion_visits v where v.clinician_id = u.id and v.patient_id = n.patient_id
                        and v.starts_at > ${plusDays(now, -30)}))
      )
    group by u.id, u.email`.execute(db);
  let queued = 0;
  for (const row of due.rows) {
    await db.transaction().execute(async (trx) => {
      const claimed = await trx
        .updateTable("users")
        .set({ notes_digest_sent_at: now, notes_digest_cursor: now })
        .where("id", "=", row.id)
        .where((eb) =>
          eb.or([
            eb("notes_digest_sent_at", "is", null),
            eb("notes_digest_sent_at", "<=", new Date(now.getTime() - DIGEST_EVERY_MS)),
          ]),
        )
        .returning("id")
        .executeTakeFirst();
      if (!claimed) return;
      await queueEmail(trx, {
        template: "notes-digest",
        to: row.email,
        props: { count: Number(row.count), portalUrl: `${options.appUrl}/`, settingsUrl: `${options.appUrl}/settings` },
      });
      queued++;
    });
  }
  return queued;
}
