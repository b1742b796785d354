import { formatDate, daysBetween } from "~/lib/time";

export interface ChartPoint {
  date: string;
  total: number;
}

const W = 720;
const H = 200;
const PAD = { left: 44, right: 16, top: 16, bottom: 36 };

/**
 * One instrument's scores over time, with the infusion visits marked on the same time axis.
 * Server-rendered SVG: no script, readable by screen readers through its title and description,
 * and always accompanied by the data table on the page.
 */
export function TrendChart({
  id,
  label,
  max,
  points,
  visitDays,
  domain,
  threshold,
}: {
  id: string;
  label: string;
  max: number;
  points: ChartPoint[];
  visitDays: string[];
  domain: [string, string];
  threshold?: { value: number; label: string };
}) {
  const span = Math.max(daysBetween(domain[0], domain[1]), 1);
  const x = (date: string) => PAD.left + (daysBetween(domain[0], date) / span) * (W - PAD.left - PAD.right);
  const y = (value: number) => PAD.top + (1 - value / max) * (H - PAD.top - PAD.bottom);
  const ticks = [0, Math.round(max / 4), Math.round(max / 2), Math.round((3 * max) / 4), max];
  const first = points[0];
  const last = points.at(-1);
  const description = points.length
    ? `${points.length} ${label} score${points.length === 1 ? "" : "s"} from ${formatDate(first!.date)} (${first!.total}) to ${formatDate(last!.date)} (${last!.total}). ${visitDays.length} infusion visit${visitDays.length === 1 ? "" : "s"}${visitDays.length ? ` from ${formatDate(visitDays[0]!)} to ${formatDate(visitDays.at(-1)!)}` : ""}, shown as vertical lines.`
    : `No ${label} scores yet.`;
  return (
    <figure className="chart">
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-labelledby={`${id}-title ${id}-desc`} className="trend">
        <title id={`${id}-title`}>{`${label} over time`}</title>
        <desc id={`${id}-desc`}>{description}</desc>
        {ticks.map((t) => (
          <g key={t}>
            <line x1={PAD.left} x2={W - PAD.right} y1={y(t)} y2={y(t)} className="grid-line" />
            <text x={PAD.left - 6} y={y(t) + 4} textAnchor="end" className="axis-label">
              {t}
            </text>
          </g>
        ))}
        {threshold ? (
          <g>
            <line
              x1={PAD.left}
              x2={W - PAD.right}
              y1={y(threshold.value)}
              y2={y(threshold.value)}
              className="threshold-line"
            />
            <text x={W - PAD.right} y={y(threshold.value) - 4} textAnchor="end" className="axis-label">
              {threshold.label}
            </text>
          </g>
        ) : null}
        {visitDays.map((d, i) => (
          <line key={`${d}-${i}`} x1={x(d)} x2={x(d)} y1={PAD.top} y2={H - PAD.bottom} className="visit-line" />
        ))}
        {points.length > 1 ? (
          <polyline points={points.map((p) => `${x(p.date)},${y(p.total)}`).join(" ")} className="series-line" />
        ) : null}
        {points.map((p, i) => (
          <circle key={`${p.date}-${i}`} cx={x(p.date)} cy={y(p.total)} r={4} className="series-point" />
        ))}
        <text x={PAD.left} y={H - 10} className="axis-label">
          {formatDate(domain[0])}
        </text>
        <text x={W - PAD.right} y={H - 10} textAnchor="end" className="axis-label">
          {formatDate(domain[1])}
        </text>
      </svg>
      <figcaption>
        {label}: dots are scores; dashed vertical lines are infusion visits
        {threshold ? `; the horizontal line is ${threshold.label.toLowerCase()}` : ""}.
      </figcaption>
    </figure>
  );
}
