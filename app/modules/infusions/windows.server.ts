import { sql, type Expression, type RawBuilder } from "kysely";

/**
 * The therapy-window rule of `isInWindow` for a query: `moment` falls after the visit `visit` (a
 * table alias of infusion_visits) has ended and before its window closes.
 */
export function inTherapyWindow(moment: Expression<Date> | Date, visit = "v"): RawBuilder<boolean> {
  return sql<boolean>`(${sql.ref(`${visit}.ends_at`)} <= ${moment} and ${moment} < ${sql.ref(`${visit}.window_closes_at`)})`;
}
