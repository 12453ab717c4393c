import type { components } from "../api/schema";

type Schemas = components["schemas"];
export type FleetCampaign = Schemas["FleetCampaignResponse"];
export type FleetCampaignItem = Schemas["FleetCampaignListItem"];
export type CampaignRow = Schemas["CampaignRepositoryResponse"];
export type CampaignMoney = Schemas["CampaignMoney"];
export type CampaignPacing = Schemas["CampaignPacing"];
export type CampaignPreview = Schemas["CampaignPreviewResponse"];
export type CampaignRequest = Schemas["CampaignRequest"];

/** A money amount as the API sends it (a number, or a string for large decimals), or null. */
type Amount = number | string | null | undefined;
const num = (v: Amount) => (v == null || v === "" ? null : Number(v));

/** US dollars: cents under $100, whole dollars above; "–" when unknown. */
export function money(value: Amount): string {
  const n = num(value);
  if (n == null || Number.isNaN(n)) return "–";
  if (n !== 0 && Math.abs(n) < 0.01) return `$${n.toFixed(4)}`;
  return `$${n.toLocaleString("en-US", { minimumFractionDigits: Math.abs(n) >= 100 ? 0 : 2, maximumFractionDigits: Math.abs(n) >= 100 ? 0 : 2 })}`;
}

/** Where the budget stands: what is spent, what is forecast and what is left, in words; null without a budget. */
export function budgetState(phase: FleetCampaign["phase"], m: CampaignMoney): string | null {
  const budget = num(m.budgetUsd);
  if (budget == null) return null;
  const spent = num(m.spentUsd) ?? 0;
  const left = Math.max(0, budget - spent);
  if (phase === "stoppedAtBudget") return `Stopped at budget: ${money(spent)} of ${money(budget)} spent, ${money(left)} left.`;
  const forecast = num(m.forecastUsd);
  const over = forecast != null && forecast > budget;
  return `${money(spent)} of ${money(budget)} spent, ${money(left)} left${forecast == null ? "" : over ? `; the forecast ${money(forecast)} is over the budget, so it will stop before the end` : `; the forecast ${money(forecast)} fits`}.`;
}

/** The forecast in a sentence: cost per repository × the repositories left, with triage's figure where it ran. */
export function forecastText(m: CampaignMoney, left: number | string): string {
  const forecast = num(m.forecastUsd);
  const perRepository = num(m.costPerRepositoryUsd);
  const triage = num(m.triageCostPerRepositoryUsd);
  const triagePart = triage == null ? "" : ` Triage cost ${money(triage)} a repository.`;
  if (forecast == null || perRepository == null) return `No forecast yet: it comes when the first fix run ends.${triagePart}`;
  const inFlight = num(m.inFlightEstimateUsd) ?? 0;
  return `Forecast ${money(forecast)}: ${money(m.spentUsd)} spent${inFlight > 0 ? ` + ${money(inFlight)} in flight` : ""} + ${money(perRepository)} a repository × ${Number(left)} left.${triagePart}`;
}

/** The pull request caps and where the campaign stands against them, or null when it has none. */
export function pacingText(p: CampaignPacing): string | null {
  const parts: string[] = [];
  if (p.maxOpenPullRequests != null) parts.push(`${p.openPullRequests} of at most ${p.maxOpenPullRequests} pull requests open`);
  if (p.maxPullRequestsPerHour != null) parts.push(`${p.openedLastHour} of at most ${p.maxPullRequestsPerHour} opened in the past hour`);
  if (parts.length === 0) return null;
  const pending = Number(p.pendingPullRequests);
  return `${parts.join("; ")}${pending > 0 ? `; ${pending} running may still open one` : ""}.`;
}

/** True when a cap is reached: the campaign waits for pull requests to merge or close, or for the hour to pass. */
export function pacingFull(p: CampaignPacing): boolean {
  const open = Number(p.openPullRequests) + Number(p.pendingPullRequests);
  return (p.maxOpenPullRequests != null && open >= Number(p.maxOpenPullRequests))
    || (p.maxPullRequestsPerHour != null && Number(p.openedLastHour) + Number(p.pendingPullRequests) >= Number(p.maxPullRequestsPerHour));
}

export const phaseLabels: Record<CampaignRow["phase"], string> = {
  pending: "pending",
  triaging: "triaging",
  notNeeded: "not needed",
  running: "running",
  done: "done",
  skipped: "skipped",
};

/** Triage's answer (or the hand override) for the table. */
export function triageText(row: Pick<CampaignRow, "triage" | "triageOverride">): string {
  if (row.triageOverride != null) return row.triageOverride ? "necessary (by hand)" : "not necessary (by hand)";
  if (!row.triage) return "–";
  const confidence = num(row.triage.confidence);
  return `${row.triage.necessary ? "necessary" : "not necessary"}${confidence == null ? "" : ` (${Math.round(confidence * 100)} %)`}`;
}

/** The run's outcome in words. */
export function outcomeText(row: Pick<CampaignRow, "runStatus" | "wereChangesNecessary">): string {
  if (!row.runStatus) return "–";
  if (row.runStatus === "succeeded") return row.wereChangesNecessary === false ? "no change needed" : "changed";
  return row.runStatus;
}

export type RowFilter = "all" | "canary" | "running" | "changed" | "failed" | "notNeeded" | "pending" | "openPullRequest" | "held";
export type RowSort = "index" | "repository" | "phase" | "triage" | "outcome" | "pullRequest" | "cost";

export const rowFilters: { value: RowFilter; label: string }[] = [
  { value: "all", label: "All" },
  { value: "canary", label: "Canary" },
  { value: "pending", label: "Pending" },
  { value: "running", label: "Running" },
  { value: "changed", label: "Changed" },
  { value: "failed", label: "Failed" },
  { value: "notNeeded", label: "Not needed" },
  { value: "openPullRequest", label: "Open pull request" },
  { value: "held", label: "Held (overlap)" },
];

export function rowMatches(row: CampaignRow, filter: RowFilter): boolean {
  switch (filter) {
    case "canary": return row.canary;
    case "pending": return row.phase === "pending";
    case "running": return row.phase === "running" || row.phase === "triaging";
    case "changed": return row.runStatus === "succeeded" && row.wereChangesNecessary !== false;
    case "failed": return row.runStatus === "failed";
    case "notNeeded": return row.phase === "notNeeded";
    case "openPullRequest": return row.pullRequestState === "open";
    case "held": return row.publishHeld;
    default: return true;
  }
}

const phaseOrder: CampaignRow["phase"][] = ["running", "triaging", "pending", "done", "notNeeded", "skipped"];
const sortValue = (row: CampaignRow, key: RowSort): string | number => {
  switch (key) {
    case "index": return Number(row.index);
    case "repository": return row.repository.toLowerCase();
    case "phase": return phaseOrder.indexOf(row.phase);
    case "triage": return triageText(row);
    case "outcome": return outcomeText(row);
    case "pullRequest": return row.pullRequestState ?? (row.publishHeld ? "held" : "~");
    case "cost": return Number(row.costUsd) + Number(row.triageCostUsd);
  }
};

/** The rows that pass the filter and the search (part of the name), sorted; ties keep the campaign's order. */
export function visibleRows(rows: CampaignRow[], filter: RowFilter, search: string, sort: RowSort, descending: boolean): CampaignRow[] {
  const needle = search.trim().toLowerCase();
  return rows
    .filter((r) => rowMatches(r, filter) && (!needle || r.repository.toLowerCase().includes(needle)))
    .sort((a, b) => {
      const x = sortValue(a, sort);
      const y = sortValue(b, sort);
      const order = x < y ? -1 : x > y ? 1 : 0;
      return (descending ? -order : order) || Number(a.index) - Number(b.index);
    });
}

/** A list typed as lines, commas or spaces, without blanks or repeats. */
export const splitList = (text: string) => [...new Set(text.split(/[\s,]+/).map((s) => s.trim()).filter(Boolean))];

/** An optional number field: undefined when empty, so the server's default applies. */
export const optionalNumber = (text: string) => (text.trim() === "" ? undefined : Number(text));
