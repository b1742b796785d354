import { sql } from "kysely";

// Where a note sent for review stands, as SQL over `care_notes as n`: asked by the queue, the
// review decisions and the addendum that answers a return.

/**
 * The note was returned to its author and they have not answered yet: some return has no addendum
 * after it. Such a note waits for its author, not for a psychiatrist.
 */
export function awaitingAuthor() {
  return sql<boolean>`exists (select 1 from note_returns review_r where review_r.note_id = n.id
    and not exists (select 1 from note_addenda review_d where review_d.note_id = n.id and review_d.created_at > review_r.returned_at))`;
}

/** When the note (re)entered the queue: posted, or answered with an addendum after its last return. */
export function queuedAt() {
  return sql<Date>`coalesce((select min(review_d.created_at) from note_addenda review_d where review_d.note_id = n.id
    and review_d.created_at > (select max(review_r.returned_at) from note_returns review_r where review_r.note_id = n.id)), n.created_at)`;
}
