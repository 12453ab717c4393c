import type { components } from "../api/schema";

type SpendReport = components["schemas"]["SpendReport"];

const width = 720;
const height = 220;
const left = 56;
const bottom = 28;
const top = 12;
// Distinct hues, each at least 3:1 against white (WCAG non-text contrast).
const palette = ["#0969da", "#1a7f37", "#bc4c00", "#8250df", "#cf222e", "#0a3069", "#953800", "#57606a"];
const maxSeries = palette.length;

export const usd = (n: number) => `$${n.toFixed(n >= 100 ? 0 : 2)}`;

/** Every UTC day (yyyy-MM-dd) in [from, to), or only the days with spend when the range is longer than three months. */
export function spendDays(report: Pick<SpendReport, "from" | "to" | "byDay">): string[] {
  const days: string[] = [];
  const end = Date.parse(report.to);
  for (let at = Date.parse(report.from.slice(0, 10)); at < end && days.length <= 92; at += 86_400_000) days.push(new Date(at).toISOString().slice(0, 10));
  return days.length > 92 ? report.byDay.map((d) => d.name).sort() : days;
}

/** The authors that get their own colour (the costliest first); the rest are summed as "others". */
export function spendSeries(report: Pick<SpendReport, "byAuthor">): string[] {
  const authors = [...report.byAuthor].sort((a, b) => Number(b.costUsd) - Number(a.costUsd)).map((a) => a.name);
  return authors.length <= maxSeries ? authors : [...authors.slice(0, maxSeries - 1), "others"];
}

/** Cost per day as bars stacked by key (author), drawn in SVG; the tables beside it hold the same figures as text. */
export function SpendChart({ report }: { report: SpendReport }) {
  const days = spendDays(report);
  const series = spendSeries(report);
  const cell = new Map<string, number>();
  for (const d of report.byAuthorAndDay) {
    const author = series.includes(d.author) ? d.author : "others";
    const key = `${d.day}|${author}`;
    cell.set(key, (cell.get(key) ?? 0) + Number(d.costUsd));
  }
  const totals = days.map((day) => series.reduce((sum, a) => sum + (cell.get(`${day}|${a}`) ?? 0), 0));
  const peak = Math.max(0.01, ...totals);
  const plot = width - left - 8;
  const slot = plot / Math.max(1, days.length);
  const bar = Math.max(2, slot * 0.7);
  const y = (usdValue: number) => height - bottom - (usdValue / peak) * (height - bottom - top);
  const busiest = days[totals.indexOf(Math.max(...totals))];

  return (
    <figure className="spend-chart">
      <svg viewBox={`0 0 ${width} ${height}`} role="img" aria-label={`Cost per day from ${days[0] ?? "–"} to ${days[days.length - 1] ?? "–"}: ${usd(Number(report.totalUsd))} in all${busiest && peak > 0.01 ? `, most on ${busiest} (${usd(peak)})` : ""}. The tables below list the figures.`}>
        {[0, 0.5, 1].map((f) => (
          <g key={f}>
            <line x1={left} x2={width - 8} y1={y(peak * f)} y2={y(peak * f)} stroke="#d0d7de" />
            <text x={left - 6} y={y(peak * f) + 4} fontSize="11" textAnchor="end">{usd(peak * f)}</text>
          </g>
        ))}
        {days.map((day, i) => {
          let base = 0;
          return (
            <g key={day} data-day={day}>
              {series.map((author, s) => {
                const value = cell.get(`${day}|${author}`) ?? 0;
                if (value <= 0) return null;
                const rect = <rect key={author} x={left + i * slot + (slot - bar) / 2} y={y(base + value)} width={bar} height={Math.max(1, y(base) - y(base + value))} fill={palette[s]} data-author={author} />;
                base += value;
                return rect;
              })}
            </g>
          );
        })}
        {days.length > 0 && [0, Math.floor((days.length - 1) / 2), days.length - 1].filter((v, i, a) => a.indexOf(v) === i).map((i) => (
          <text key={i} x={left + i * slot + slot / 2} y={height - 8} fontSize="11" textAnchor="middle">{days[i].slice(5)}</text>
        ))}
      </svg>
      <figcaption>
        <ul className="legend">
          {series.map((author, s) => <li key={author}><span className="swatch" style={{ background: palette[s] }} aria-hidden="true" /> {author}</li>)}
        </ul>
      </figcaption>
    </figure>
  );
}
