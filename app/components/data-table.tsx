import type { Key, ReactNode } from "react";

export interface Column<T> {
  /** The column's header; on a phone, where each row becomes a card, it also names the cell. */
  header: string;
  cell: (row: T) => ReactNode;
}

/**
 * A table of rows: a table on a wide screen, a card per row on a phone (app.css, `cards-on-phone`).
 * With no rows it shows `empty` instead, which should say what to do next.
 */
export function DataTable<T>({
  caption,
  showCaption = false,
  columns,
  rows,
  rowKey,
  empty,
}: {
  /** Names the table for screen readers; shown above it only with `showCaption`. */
  caption: string;
  showCaption?: boolean;
  /** A column given as `false` is left out, for columns only some readers get. */
  columns: (Column<T> | false)[];
  rows: readonly T[];
  rowKey: (row: T) => Key;
  empty: ReactNode;
}) {
  if (rows.length === 0) return <>{empty}</>;
  const shown = columns.filter((c): c is Column<T> => c !== false);
  return (
    <div className="table-wrap">
      <table className="cards-on-phone">
        <caption className={showCaption ? undefined : "visually-hidden"}>{caption}</caption>
        <thead>
          <tr>
            {shown.map((c) => (
              <th scope="col" key={c.header}>
                {c.header}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={rowKey(row)}>
              {shown.map((c) => (
                <td key={c.header} data-label={c.header}>
                  {c.cell(row)}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
