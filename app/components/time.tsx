import { formatDateTime } from "~/lib/time";

/** A moment shown in New York time with its zone, and machine-readable for assistive tech. */
export function When({ at }: { at: Date | string }) {
  const d = new Date(at);
  return <time dateTime={d.toISOString()}>{formatDateTime(d)}</time>;
}

/** A therapy window: opens when the visit ends, closes a fixed number of hours later. */
export function WindowRange({ opens, closes }: { opens: Date | string; closes: Date | string }) {
  return (
    <span className="window-range">
      <When at={opens} /> → <When at={closes} />
    </span>
  );
}
