import { sql } from "kysely";
import { queueEmail } from "~/email/outbox.server";
import type { Database, Executor } from "../../../db/engine";
import { recordAudit } from "~/audit/audit.server";
import { confirmationCounts } from "~/modules/patients/policy.server";

const SYSTEM = { actorId: null, actorRole: "system", ip: null, requestId: null } as const;
/** Patients claimed per pass: a backlog drains over the next ticks instead of one long pass. */
const PASS_LIMIT = 200;

/**
 * For a query over `patients as p`: no confirmation of theirs counts at `now`. The probe runs per
 * patient (`offset 0` keeps PostgreSQL from turning it into an anti-join, which would work out every
 * counting confirmation in the clinic to answer for a page of ten patients).
 */
function noCountingConfirmation(now: Date) {
  return sql<boolean>`not exists (select 1 from engagement_confirmations e where e.patient_id = p.id and ${confirmationCounts(now)} offset 0)`;
}

/** For a query over `infusion_visits as v`: no booked visit of the same patient comes before it. */
const soonestBooked = sql<boolean>`not exists (select 1 from infusion_visits s where s.patient_id = v.patient_id
  and s.status = 'scheduled' and (s.starts_at, s.id) < (v.starts_at, v.id) offset 0)`;

/**
 * Patients with visits booked (scheduled, not yet recorded) and no confirmation that counts now,
 * soonest booked visit first: the work list's "engagement lapsed with visits booked". Read live, so
 * it follows a revocation, a membership end or a deactivation at once. Booked visits are walked in
 * time order and each patient is probed at their soonest one, so a page stops after its first rows,
 * however many visits the clinic has booked.
 */
export function lapsedWithVisitsQuery(db: Executor, now: Date) {
  return db
    .selectFrom("infusion_visits as v")
    .innerJoin("patients as p", "p.id", "v.patient_id")
    .select((eb) => [
      "p.id",
      "p.first_name",
      "p.last_name",
      "p.record_number",
      "v.starts_at as next_visit_at",
      eb
        .selectFrom("infusion_visits as b")
        .select((c) => c.fn.countAll<string>().as("n"))
        .whereRef("b.patient_id", "=", "v.patient_id")
        .where("b.status", "=", "scheduled")
        .as("booked"),
    ])
    .where("v.status", "=", "scheduled")
    .where(soonestBooked)
    .where(noCountingConfirmation(now))
    .orderBy("v.starts_at")
    .orderBy("p.id");
}

/**
 * Tells the coordinators and the patient's Ember clinicians (those supervising their booked visits),
 * once per lapse, that a patient with visits booked has no counting confirmation any more, whatever
 * the cause: expiry, a licence or release running out, a revocation, a membership ended, a
 * deactivation. Runs from the scheduler. The open `engagement_lapses` row is the claim: a conditional
 * insert that only one process wins, in the same transaction as the emails and the audit row. A lapse
 * closes when a confirmation counts again, so a later lapse is told again.
 */
export async function queueEngagementLapseNotices(
  db: Database,
  options: { now: Date; appUrl: string },
): Promise<number> {
  await db
    .updateTable("engagement_lapses as l")
    .set({ resolved_at: options.now })
    .where("l.resolved_at", "is", null)
    .where(({ exists, selectFrom }) =>
      exists(
        selectFrom("engagement_confirmations as e")
          .select("e.id")
          .whereRef("e.patient_id", "=", "l.patient_id")
          .where(confirmationCounts(options.now)),
      ),
    )
    .execute();
  const lapsed = await lapsedWithVisitsQuery(db, options.now)
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom("engagement_lapses as open")
            .select("open.id")
            .whereRef("open.patient_id", "=", "p.id")
            .where("open.resolved_at", "is", null),
        ),
      ),
    )
    .limit(PASS_LIMIT)
    .execute();
  let queued = 0;
  for (const patient of lapsed) {
    await db.transaction().execute(async (trx) => {
      const claimed = await trx
        .insertInto("engagement_lapses")
        .values({ patient_id: patient.id, detected_at: options.now })
        .onConflict((oc) => oc.column("patient_id").where("resolved_at", "is", null).doNothing())
        .returning("id")
        .executeTakeFirst();
      if (!claimed) return;
      const recipients = await trx
        .selectFrom("users as u")
        .select("u.email")
        .where("u.status", "=", "active")
        .where(({ or, eb, exists, selectFrom }) =>
          or([
            eb("u.role", "=", "coordinator"),
            exists(
              selectFrom("infusion_visits as v")
                .select("v.id")
                .whereRef("v.clinician_id", "=", "u.id")
                .where("v.patient_id", "=", patient.id)
                .where("v.status", "=", "scheduled"),
            ),
          ]),
        )
        .orderBy("u.email")
        .execute();
      for (const r of recipients) {
        await queueEmail(trx, {
          template: "engagement-lapsed",
          to: r.email,
          props: { url: `${options.appUrl}/patients/${patient.id}/infusions` },
        });
      }
      await recordAudit(trx, SYSTEM, {
        action: "engagement.lapse_notice",
        entityType: "engagement_lapse",
        entityId: claimed.id,
        patientId: patient.id,
        detail: { recipients: recipients.length },
      });
      queued += recipients.length;
    });
  }
  return queued;
}
