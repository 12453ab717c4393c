import type { components } from "../api/schema";

type Point = components["schemas"]["BurndownPoint"];

const width = 480;
const height = 140;
const pad = 24;

/** Open and merged pull requests over time, as a step chart drawn by hand in SVG. */
export function BurndownChart({ points }: { points: Point[] }) {
  if (points.length === 0) return null;
  const times = points.map((p) => new Date(p.at).getTime());
  const start = times[0];
  const end = Math.max(times[times.length - 1], Date.now(), start + 1);
  const top = Math.max(1, ...points.map((p) => Number(p.open) + Number(p.merged) + Number(p.closed)));
  const x = (t: number) => pad + ((t - start) / (end - start)) * (width - 2 * pad);
  const y = (n: number) => height - pad - (n / top) * (height - 2 * pad);
  const steps = (value: (p: Point) => number) =>
    points
      .map((p, i) => `${i === 0 ? "M" : `H${x(times[i]).toFixed(1)} V`}${i === 0 ? `${x(times[i]).toFixed(1)} ${y(value(p)).toFixed(1)}` : y(value(p)).toFixed(1)}`)
      .join(" ") + ` H${x(end).toFixed(1)}`;
  const last = points[points.length - 1];
  return (
    <figure className="burndown">
      <svg viewBox={`0 0 ${width} ${height}`} role="img" aria-label={`Burndown: ${last.open} open, ${last.merged} merged, ${last.closed} closed`}>
        <line x1={pad} y1={height - pad} x2={width - pad} y2={height - pad} stroke="#d0d7de" />
        <path d={steps((p) => Number(p.open))} fill="none" stroke="#0969da" strokeWidth="2" data-series="open" />
        <path d={steps((p) => Number(p.merged))} fill="none" stroke="#1a7f37" strokeWidth="2" data-series="merged" />
        <text x={pad} y={height - 6} fontSize="10">{new Date(start).toLocaleDateString()}</text>
        <text x={width - pad} y={height - 6} fontSize="10" textAnchor="end">now</text>
        <text x={4} y={pad} fontSize="10">{top}</text>
      </svg>
      <figcaption><span className="legend-open">open</span> · <span className="legend-merged">merged</span> over time</figcaption>
    </figure>
  );
}
