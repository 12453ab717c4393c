import { money, type CampaignMoney } from "./fleetFormat";

const width = 480;
const height = 64;
const pad = 8;

/** Spent, forecast and budget as horizontal bars on one scale (plain SVG); the figures beside it say the same in text. */
export function CampaignMoneyChart({ money: m }: { money: CampaignMoney }) {
  const spent = Number(m.spentUsd);
  const forecast = m.forecastUsd == null ? null : Number(m.forecastUsd);
  const budget = m.budgetUsd == null ? null : Number(m.budgetUsd);
  const top = Math.max(0.01, spent, forecast ?? 0, budget ?? 0);
  const x = (v: number) => pad + (v / top) * (width - 2 * pad);
  const label = `Spent ${money(spent)}${forecast == null ? ", no forecast yet" : `, forecast ${money(forecast)}`}${budget == null ? ", no budget" : `, budget ${money(budget)}`}.`;
  return (
    <svg className="campaign-money" viewBox={`0 0 ${width} ${height}`} role="img" aria-label={label}>
      {forecast != null && <rect x={pad} y={12} width={Math.max(1, x(forecast) - pad)} height={20} fill="#ddf4ff" stroke="#0969da" data-series="forecast" />}
      <rect x={pad} y={16} width={Math.max(1, x(spent) - pad)} height={12} fill="#0969da" data-series="spent" />
      {budget != null && (
        <g data-series="budget">
          <line x1={x(budget)} x2={x(budget)} y1={4} y2={40} stroke="#cf222e" strokeWidth="2" />
          <text x={Math.min(x(budget), width - pad)} y={56} fontSize="11" textAnchor="end">budget {money(budget)}</text>
        </g>
      )}
      <text x={pad} y={56} fontSize="11">$0</text>
    </svg>
  );
}
