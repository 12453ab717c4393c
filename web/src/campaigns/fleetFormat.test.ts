import { describe, expect, it } from "vitest";
import { budgetState, forecastText, money, outcomeText, pacingFull, pacingText, splitList, triageText, visibleRows, type CampaignMoney, type CampaignRow } from "./fleetFormat";

const moneyOf = (m: Partial<CampaignMoney>): CampaignMoney => ({
  spentUsd: 0, triageSpentUsd: 0, triageCostPerRepositoryUsd: null, costPerRepositoryUsd: null, inFlightEstimateUsd: 0,
  forecastUsd: null, budgetUsd: null, costPerMergedPullRequestUsd: null, ...m,
});

const row = (index: number, repository: string, r: Partial<CampaignRow> = {}): CampaignRow => ({
  index, repository, phase: "pending", canary: false, triage: null, triageOverride: null, needsFix: true, triageCostUsd: 0, triageJobId: null,
  jobId: null, runStatus: null, wereChangesNecessary: null, verification: null, pullRequestUrl: null, pullRequestState: null, costUsd: 0, publishHeld: false, notice: null, ...r,
});

describe("money", () => {
  it("shows cents under $100, whole dollars above, and tiny amounts to four places", () => {
    expect(money(12.5)).toBe("$12.50");
    expect(money("1234.4")).toBe("$1,234");
    expect(money(0.004)).toBe("$0.0040");
    expect(money(0)).toBe("$0.00");
    expect(money(null)).toBe("–");
  });
});

describe("forecastText", () => {
  it("says there is none before a fix run ended, with triage's figure when it ran", () => {
    expect(forecastText(moneyOf({ triageCostPerRepositoryUsd: 0.02 }), 40)).toBe("No forecast yet: it comes when the first fix run ends. Triage cost $0.02 a repository.");
  });

  it("shows the arithmetic: spent, in flight, cost per repository × left", () => {
    const m = moneyOf({ spentUsd: 2.5, inFlightEstimateUsd: 1, costPerRepositoryUsd: 0.5, forecastUsd: 13.5 });
    expect(forecastText(m, 20)).toBe("Forecast $13.50: $2.50 spent + $1.00 in flight + $0.50 a repository × 20 left.");
  });
});

describe("budgetState", () => {
  it("is null without a budget", () => expect(budgetState("fanOut", moneyOf({ spentUsd: 3 }))).toBeNull());

  it("says stopped at budget with what is left", () => {
    expect(budgetState("stoppedAtBudget", moneyOf({ spentUsd: 9.2, budgetUsd: 10 }))).toBe("Stopped at budget: $9.20 of $10.00 spent, $0.80 left.");
  });

  it("warns when the forecast is over the budget and never shows a negative remainder", () => {
    expect(budgetState("fanOut", moneyOf({ spentUsd: 4, budgetUsd: 10, forecastUsd: 25 }))).toContain("the forecast $25.00 is over the budget");
    expect(budgetState("fanOut", moneyOf({ spentUsd: 12, budgetUsd: 10 }))).toBe("$12.00 of $10.00 spent, $0.00 left.");
    expect(budgetState("canary", moneyOf({ spentUsd: 1, budgetUsd: 10, forecastUsd: 8 }))).toContain("the forecast $8.00 fits");
  });
});

describe("pacing", () => {
  const pacing = { maxOpenPullRequests: 3, maxPullRequestsPerHour: null, openPullRequests: 2, openedLastHour: 5, pendingPullRequests: 1 };

  it("describes the caps and counts runs that may still open one", () => {
    expect(pacingText(pacing)).toBe("2 of at most 3 pull requests open; 1 running may still open one.");
    expect(pacingText({ ...pacing, maxOpenPullRequests: null })).toBeNull();
  });

  it("is full when open plus pending reach a cap", () => {
    expect(pacingFull(pacing)).toBe(true);
    expect(pacingFull({ ...pacing, pendingPullRequests: 0 })).toBe(false);
    expect(pacingFull({ ...pacing, maxOpenPullRequests: null, maxPullRequestsPerHour: 6, pendingPullRequests: 0 })).toBe(false);
    expect(pacingFull({ ...pacing, maxOpenPullRequests: null, maxPullRequestsPerHour: 6 })).toBe(true);
  });
});

describe("the table's words", () => {
  it("prefers the hand override to triage's answer", () => {
    expect(triageText(row(0, "a/b", { triage: { necessary: false, reason: "already done", confidence: 0.9 } }))).toBe("not necessary (90 %)");
    expect(triageText(row(0, "a/b", { triage: { necessary: false, reason: null, confidence: null }, triageOverride: true }))).toBe("necessary (by hand)");
    expect(triageText(row(0, "a/b"))).toBe("–");
  });

  it("names the outcome", () => {
    expect(outcomeText({ runStatus: "succeeded", wereChangesNecessary: false })).toBe("no change needed");
    expect(outcomeText({ runStatus: "succeeded", wereChangesNecessary: true })).toBe("changed");
    expect(outcomeText({ runStatus: "failed", wereChangesNecessary: null })).toBe("failed");
  });
});

describe("visibleRows", () => {
  const rows = [
    row(0, "acme/zeta", { phase: "done", runStatus: "succeeded", wereChangesNecessary: true, costUsd: 0.3, pullRequestState: "open", canary: true }),
    row(1, "acme/alpha", { phase: "done", runStatus: "failed", costUsd: 0.9 }),
    row(2, "acme/beta", { phase: "running", costUsd: 0.1, triageCostUsd: 0.05 }),
    row(3, "other/api", { phase: "notNeeded", triageCostUsd: 0.02 }),
  ];
  const names = (r: CampaignRow[]) => r.map((x) => x.repository);

  it("filters by what happened", () => {
    expect(names(visibleRows(rows, "changed", "", "index", false))).toEqual(["acme/zeta"]);
    expect(names(visibleRows(rows, "failed", "", "index", false))).toEqual(["acme/alpha"]);
    expect(names(visibleRows(rows, "running", "", "index", false))).toEqual(["acme/beta"]);
    expect(names(visibleRows(rows, "notNeeded", "", "index", false))).toEqual(["other/api"]);
    expect(names(visibleRows(rows, "canary", "", "index", false))).toEqual(["acme/zeta"]);
    expect(names(visibleRows(rows, "openPullRequest", "", "index", false))).toEqual(["acme/zeta"]);
  });

  it("searches by part of the name, case-insensitively", () => {
    expect(names(visibleRows(rows, "all", " ACME/", "index", false))).toEqual(["acme/zeta", "acme/alpha", "acme/beta"]);
  });

  it("sorts by name, by cost with triage's share, and by phase with running first", () => {
    expect(names(visibleRows(rows, "all", "", "repository", false))).toEqual(["acme/alpha", "acme/beta", "acme/zeta", "other/api"]);
    expect(names(visibleRows(rows, "all", "", "cost", true))).toEqual(["acme/alpha", "acme/zeta", "acme/beta", "other/api"]);
    expect(names(visibleRows(rows, "all", "", "phase", false))).toEqual(["acme/beta", "acme/zeta", "acme/alpha", "other/api"]);
  });

  it("does not reorder the rows it was given", () => {
    visibleRows(rows, "all", "", "repository", true);
    expect(names(rows)).toEqual(["acme/zeta", "acme/alpha", "acme/beta", "other/api"]);
  });
});

describe("splitList", () => {
  it("takes lines, commas and spaces, without blanks or repeats", () => {
    expect(splitList("acme/a, acme/b\nacme/a  acme/c\n\n")).toEqual(["acme/a", "acme/b", "acme/c"]);
  });
});
