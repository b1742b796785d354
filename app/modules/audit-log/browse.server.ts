import { z } from "zod";
import type { Executor } from "../../../db/engine";
import { addDays, startOfDayInZone } from "~/lib/time";

export const auditFilterSchema = z.object({
  action: z
    .string()
    .trim()
    .max(80)
    .regex(/^[a-z_.]*$/)
    .optional()
    .catch(undefined),
  outcome: z.enum(["success", "failure", "denied"]).optional().catch(undefined),
  actorEmail: z.string().trim().max(254).optional().catch(undefined),
  patientId: z.uuid().optional().catch(undefined),
  from: z.iso.date().optional().catch(undefined),
  to: z.iso.date().optional().catch(undefined),
  requestId: z.uuid().optional().catch(undefined),
});
export type AuditFilter = z.infer<typeof auditFilterSchema>;

/**
 * Audit rows, newest first, filtered, each with the patient it concerns (name and record number,
 * for the administrator's eyes only); `from`/`to` are New York calendar dates, `to` inclusive, as
 * the table shows its times.
 */
export async function browseAudit(db: Executor, filter: AuditFilter, options: { page: number; pageSize: number }) {
  let query = db
    .selectFrom("audit_events as a")
    .leftJoin("users as u", "u.id", "a.actor_id")
    .leftJoin("patients as p", "p.id", "a.patient_id")
    .select([
      "a.id",
      "a.at",
      "a.actor_id",
      "a.action",
      "a.outcome",
      "a.actor_role",
      "a.entity_type",
      "a.entity_id",
      "a.patient_id",
      "a.ip",
      "a.request_id",
      "a.detail",
      "u.email as actor_email",
      "u.name as actor_name",
      "p.first_name as patient_first_name",
      "p.last_name as patient_last_name",
      "p.record_number as patient_record_number",
    ]);
  if (filter.action) query = query.where("a.action", "like", `${filter.action}%`);
  if (filter.outcome) query = query.where("a.outcome", "=", filter.outcome);
  if (filter.actorEmail)
    query = query.where((eb) => eb(eb.fn("lower", ["u.email"]), "=", filter.actorEmail!.toLowerCase()));
  if (filter.patientId) query = query.where("a.patient_id", "=", filter.patientId);
  if (filter.requestId) query = query.where("a.request_id", "=", filter.requestId);
  if (filter.from) query = query.where("a.at", ">=", startOfDayInZone(filter.from));
  if (filter.to) query = query.where("a.at", "<", startOfDayInZone(addDays(filter.to, 1)));
  const rows = await query
    .orderBy("a.at", "desc")
    .orderBy("a.id", "desc")
    .limit(options.pageSize + 1)
    .offset((options.page - 1) * options.pageSize)
    .execute();
  return { rows: rows.slice(0, options.pageSize), hasNext: rows.length > options.pageSize };
}

/** The patient an access history is shown for, as the page names them; null when there is none. */
export async function auditedPatient(db: Executor, patientId: string) {
  return (
    (await db
      .selectFrom("patients")
      .select(["id", "first_name", "last_name", "record_number"])
      .where("id", "=", patientId)
      .executeTakeFirst()) ?? null
  );
}
