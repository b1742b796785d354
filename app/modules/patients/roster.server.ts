import type { ExpressionBuilder } from "kysely";
import type { DB } from "../../../db/schema";
import type { Actor } from "~/auth/actor";
import type { Executor } from "../../../db/engine";
import { recordAudit, type AuditContext } from "~/audit/audit.server";
import { containsPattern } from "~/lib/search";
import { confirmerStillOnTeam } from "./policy.server";
import { confirmationCounts, patientVisibleTo } from "./policy.server";

export const PAGE_SIZE = 25;

export interface RosterRow {
  id: string;
  record_number: string;
  first_name: string;
  last_name: string;
  date_of_birth: string;
  location_name: string;
  engagement: "engaged" | "lapsed" | "none";
}

/**
 * The patients this actor may see, a page at a time, optionally narrowed by name or record
 * number. The view is audited with the ids shown.
 */
export async function listPatients(
  db: Executor,
  actor: Actor,
  audit: AuditContext,
  options: { page: number; query?: string; today: string; now: Date },
): Promise<{ rows: RosterRow[]; hasNext: boolean }> {
  const page = Math.max(1, options.page);
  const confirmations = (eb: ExpressionBuilder<DB, "patients">) =>
    eb
      .selectFrom("engagement_confirmations as e")
      .select("e.id")
      .whereRef("e.patient_id", "=", "patients.id")
      .where(confirmerStillOnTeam());
  let query = db
    .selectFrom("patients")
    .innerJoin("locations", "locations.id", "patients.preferred_location_id")
    .select([
      "patients.id",
      "patients.record_number",
      "patients.first_name",
      "patients.last_name",
      "patients.date_of_birth",
      "locations.name as location_name",
      (eb) => eb.exists(confirmations(eb).where(confirmationCounts(options.now))).as("engaged"),
      (eb) => eb.exists(confirmations(eb)).as("had_engagement"),
    ])
    .where(patientVisibleTo(actor, options.today));
  const term = options.query?.trim();
  if (term) {
    const like = containsPattern(term);
    query = query.where((eb) =>
      eb.or([
        eb(eb.fn("lower", ["patients.last_name"]), "like", like),
        eb(eb.fn("lower", ["patients.first_name"]), "like", like),
        eb(eb.fn("lower", ["patients.record_number"]), "like", like),
        eb(
          eb.fn("lower", [
            eb.fn("concat", ["patients.first_name", eb.cast(eb.val(" "), "text"), "patients.last_name"]),
          ]),
          "like",
          like,
        ),
      ]),
    );
  }
  const rows = await query
    .orderBy("patients.last_name")
    .orderBy("patients.first_name")
    .orderBy("patients.id")
    .limit(PAGE_SIZE + 1)
    .offset((page - 1) * PAGE_SIZE)
    .execute();
  const shown = rows.slice(0, PAGE_SIZE).map(({ engaged, had_engagement, ...row }) => ({
    ...row,
    engagement: engaged ? ("engaged" as const) : had_engagement ? ("lapsed" as const) : ("none" as const),
  }));
  await recordAudit(db, audit, {
    action: "patient.list",
    entityType: "patient",
    detail: { page, searched: Boolean(term), patientIds: shown.map((r) => r.id) },
  });
  return { rows: shown, hasNext: rows.length > PAGE_SIZE };
}
