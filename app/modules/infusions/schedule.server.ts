import { jsonArrayFrom, jsonObjectFrom } from "kysely/helpers/postgres";
import type { Actor } from "~/auth/actor";
import type { Executor } from "../../../db/engine";
import { openBoosterReviewsQuery } from "./boosters.server";
import { activeFeedQuery } from "./calendar.server";
import { sessionsOutsideWindowsQuery, upcomingForProviderQuery } from "./sessions.server";

export const SCHEDULE_PAGE_SIZE = 25;

/**
 * Everything on a provider's "upcoming infusions" page, read in one statement: the visits with
 * their windows and sessions, their sessions outside every window, open booster reviews and
 * their calendar feed. Times arrive as ISO strings. Visits come a page at a time, soonest first.
 */
export async function providerSchedule(db: Executor, actor: Actor, input: { now: Date; today: string; page: number }) {
  const offset = (input.page - 1) * SCHEDULE_PAGE_SIZE;
  const { visits, ...rest } = await db
    .selectNoFrom([
      jsonArrayFrom(upcomingForProviderQuery(db, actor, { ...input, limit: SCHEDULE_PAGE_SIZE + 1, offset })).as(
        "visits",
      ),
      jsonArrayFrom(sessionsOutsideWindowsQuery(db, actor, input)).as("outside"),
      jsonArrayFrom(openBoosterReviewsQuery(db, actor, input.today)).as("boosters"),
      jsonObjectFrom(activeFeedQuery(db, actor.id)).as("feed"),
    ])
    .executeTakeFirstOrThrow();
  return { ...rest, visits: visits.slice(0, SCHEDULE_PAGE_SIZE), hasNext: visits.length > SCHEDULE_PAGE_SIZE };
}
