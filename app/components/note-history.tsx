import { When } from "./time";

interface Addendum {
  id: string;
  body: string;
  created_at: Date | string;
  author_name: string;
}
interface Return {
  id: string;
  comments: string;
  returned_at: Date | string;
  psychiatrist_name: string;
}

/** What followed a care note, in the order it happened: its addenda and any returns with the reviewer's comments. */
export function NoteHistory({ addenda, returns }: { addenda: Addendum[]; returns: Return[] }) {
  const events = [
    ...addenda.map((d) => ({
      id: d.id,
      at: new Date(d.created_at),
      returned: false,
      who: d.author_name,
      text: d.body,
    })),
    ...returns.map((r) => ({
      id: r.id,
      at: new Date(r.returned_at),
      returned: true,
      who: r.psychiatrist_name,
      text: r.comments,
    })),
  ].sort((a, b) => a.at.getTime() - b.at.getTime());
  return events.map((e) => (
    <aside
      key={e.id}
      className={e.returned ? "addendum review-return" : "addendum"}
      aria-label={e.returned ? "Returned with comments" : "Addendum"}
    >
      <p className="muted">
        {e.returned ? "Returned with comments by" : "Addendum by"} {e.who} · <When at={e.at} />
      </p>
      <div className="note-text">{e.text}</div>
    </aside>
  ));
}
