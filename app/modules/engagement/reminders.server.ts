import { sql } from "kysely";
import { queueEmail } from "~/email/outbox.server";
import { clinicToday, plusDays, elapsedDays } from "~/lib/time";
import type { Database } from "../../../db/engine";
import { recordAudit } from "~/audit/audit.server";
import { confirmerStillOnTeam, laterConfirmation, releaseCurrent } from "~/modules/patients/policy.server";

const REMINDERS = [
  { days: 14, column: "reminded_14_at" },
  { days: 3, column: "reminded_3_at" },
] as const;

/**
 * Queues renewal reminders 14 and 3 days before a confirmation expires, each at most once, to the
 * provider who signed it, and only while that provider can act on it: the account is active, they
 * are still on the patient's care team under a current release, and they have not confirmed again
 * since (a newer confirmation of theirs gets its own reminders).
 */
export async function queueEngagementReminders(db: Database, options: { now: Date; appUrl: string }): Promise<number> {
  let queued = 0;
  for (const reminder of REMINDERS) {
    const due = await db
      .selectFrom("engagement_confirmations as e")
      .innerJoin("users as u", "u.id", "e.provider_id")
      .select(["e.id", "e.patient_id", "e.expires_at", "u.email", "u.id as provider_id"])
      .where(`e.${reminder.column}`, "is", null)
      .where("e.expires_at", ">", options.now)
      .where("e.expires_at", "<=", plusDays(options.now, reminder.days))
      .where("u.status", "=", "active")
      // Only providers who can still open the patient: a renewal link must not lead to "not found".
      .where(confirmerStillOnTeam())
      .where(
        releaseCurrent(sql.ref<string>("e.patient_id"), sql.ref<string>("e.provider_id"), clinicToday(options.now)),
      )
      .where((eb) => eb.not(eb.exists(laterConfirmation(db))))
      .execute();
    for (const row of due) {
      await db.transaction().execute(async (trx) => {
        const claimed = await trx
          .updateTable("engagement_confirmations")
          .set({ [reminder.column]: options.now })
          .where("id", "=", row.id)
          .where(reminder.column, "is", null)
          .returning("id")
          .executeTakeFirst();
        if (!claimed) return;
        const daysLeft = Math.max(1, Math.ceil(elapsedDays(options.now, row.expires_at)));
        await queueEmail(trx, {
          template: "engagement-reminder",
          to: row.email,
          props: { daysLeft, renewUrl: `${options.appUrl}/patients/${row.patient_id}/engagement` },
        });
        await recordAudit(
          trx,
          { actorId: null, actorRole: "system", ip: null, requestId: null },
          {
            action: "engagement.reminder",
            entityType: "engagement_confirmation",
            entityId: row.id,
            patientId: row.patient_id,
            detail: { daysBefore: reminder.days },
          },
        );
        queued++;
      });
    }
  }
  return queued;
}
