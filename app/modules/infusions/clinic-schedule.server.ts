import { sql } from "kysely";
import { jsonArrayFrom } from "kysely/helpers/postgres";
import { z } from "zod";
import type { Actor } from "~/auth/actor";
import { CLINIC_TIME_ZONE } from "~/lib/time";
import type { Executor } from "../../../db/engine";
import { clinicDaysSpan, mondayOf, parseDay } from "./clinic-day";
import { DEFAULT_VISIT_SETTINGS } from "./windows";

/** A week at one clinic holds far fewer visits than this; the cap keeps a runaway row count off the page. */
export const CLINIC_SCHEDULE_LIMIT = 400;

/**
 * What the schedule's address asks for: a clinic, a day and a day or week view. Anything odd falls
 * back to the default (the viewer's clinic, today, the day view) rather than failing: these are
 * links people bookmark and edit.
 */
const scheduleQuery = z.object({
  clinic: z
    .string()
    .regex(/^[a-z-]{1,40}$/)
    .nullable()
    .catch(null),
  day: z.string().nullable().transform(parseDay).catch(null),
  view: z.enum(["day", "week"]).catch("day"),
});

export function clinicScheduleQuery(request: Request, today: string) {
  const params = new URL(request.url).searchParams;
  const query = scheduleQuery.parse({
    clinic: params.get("clinic"),
    day: params.get("day"),
    view: params.get("view") ?? "day",
  });
  const day = query.day ?? today;
  const week = query.view === "week";
  return { clinicId: query.clinic, day, view: query.view, firstDay: week ? mondayOf(day) : day, days: week ? 7 : 1 };
}

export interface ClinicScheduleInput {
  /** The clinic asked for, or null for the viewer's home clinic (the first clinic by name without one). */
  clinicId: string | null;
  firstDay: string;
  days: number;
}

/**
 * One clinic's visits over whole New York days, with each visit's patient, clinician and status,
 * plus every clinic's opening hours and the visit length: the clinic schedule, read in one
 * statement. Ember staff see every patient, so nothing here is scoped by care team; the page is
 * refused to outside providers before this runs.
 */
export async function clinicSchedule(db: Executor, actor: Actor, input: ClinicScheduleInput) {
  const { from, to } = clinicDaysSpan(input.firstDay, input.days, CLINIC_TIME_ZONE);
  const clinicId = sql<string>`coalesce(
    (select id from locations where id = ${input.clinicId}),
    (select home_location_id from users where id = ${actor.id}),
    (select id from locations order by name limit 1))`;
  const row = await db
    .selectNoFrom((eb) => [
      clinicId.as("clinic_id"),
      jsonArrayFrom(
        eb.selectFrom("locations").select(["id", "name", "opens_at", "closes_at", "time_zone"]).orderBy("name"),
      ).as("clinics"),
      eb.selectFrom("clinic_settings").select("visit_minutes").limit(1).as("visit_minutes"),
      jsonArrayFrom(
        eb
          .selectFrom("infusion_visits as v")
          .innerJoin("patients as p", "p.id", "v.patient_id")
          .innerJoin("users as c", "c.id", "v.clinician_id")
          .select([
            "v.id",
            "v.patient_id",
            "v.kind",
            "v.starts_at",
            "v.ends_at",
            "v.status",
            "p.first_name",
            "p.last_name",
            "c.name as clinician_name",
            "v.checked_at",
            sql<number>`coalesce(cardinality(v.check_findings), 0)`.as("findings"),
          ])
          .where("v.location_id", "=", clinicId)
          .where("v.starts_at", ">=", from)
          .where("v.starts_at", "<", to)
          .orderBy("v.starts_at")
          .orderBy("c.name")
          .limit(CLINIC_SCHEDULE_LIMIT),
      ).as("visits"),
    ])
    .executeTakeFirstOrThrow();
  return { ...row, visit_minutes: row.visit_minutes ?? DEFAULT_VISIT_SETTINGS.visitMinutes };
}
