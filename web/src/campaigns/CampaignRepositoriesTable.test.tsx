import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import { afterEach, vi } from "vitest";
import { CampaignRepositoriesTable } from "./CampaignRepositoriesTable";
import type { CampaignRow, FleetCampaign } from "./fleetFormat";

const row = (index: number, repository: string, r: Partial<CampaignRow> = {}): CampaignRow => ({
  index, repository, phase: "pending", canary: false, triage: { necessary: true, reason: "uses the old image", confidence: 0.8 }, triageOverride: null,
  needsFix: true, triageCostUsd: 0.01, triageJobId: "t1", jobId: null, runStatus: null, wereChangesNecessary: null, verification: null,
  pullRequestUrl: null, pullRequestState: null, costUsd: 0, publishHeld: false, notice: null, ...r,
});

const campaign = {
  id: "c1",
  phase: "fanOut",
  spec: { triage: true },
  repositories: [
    row(0, "acme/api", { phase: "done", runStatus: "succeeded", wereChangesNecessary: true, costUsd: 0.4, pullRequestState: "open", pullRequestUrl: "https://github.example/acme/api/pull/1" }),
    row(1, "acme/web", { phase: "notNeeded", triage: { necessary: false, reason: "already on the new image", confidence: 0.95 } }),
    row(2, "acme/cli"),
    row(3, "acme/db", {
      phase: "done", runStatus: "succeeded", wereChangesNecessary: true, publishHeld: true,
      notice: "Open pull request touches files this change touches: #3 by mallory (README.md).",
    }),
  ],
} as unknown as FleetCampaign;

function renderTable(canOperate: boolean) {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  render(<QueryClientProvider client={client}><CampaignRepositoriesTable campaign={campaign} canOperate={canOperate} /></QueryClientProvider>);
  return client;
}

afterEach(() => vi.unstubAllGlobals());

describe("the campaign's repositories table", () => {
  it("offers an operator the triage override only where the fix has not run", () => {
    renderTable(true);
    expect(screen.getByRole("combobox", { name: "triage override for acme/web" })).toBeTruthy();
    expect(screen.getByRole("combobox", { name: "triage override for acme/cli" })).toBeTruthy();
    expect(screen.queryByRole("combobox", { name: "triage override for acme/api" })).toBeNull();
  });

  it("offers a viewer no override", () => {
    renderTable(false);
    expect(screen.queryByRole("combobox", { name: /triage override/ })).toBeNull();
    expect(screen.getByText("not necessary (95 %)")).toBeTruthy();
  });

  it("sends the override to the repository's triage route and shows the campaign that comes back", async () => {
    const requests: Request[] = [];
    const answered = { ...campaign, repositories: campaign.repositories.map((r) => (r.repository === "acme/web" ? { ...r, triageOverride: true, phase: "pending" } : r)) };
    vi.stubGlobal("fetch", async (request: Request) => {
      requests.push(request.clone());
      return new Response(JSON.stringify(answered), { status: 200, headers: { "Content-Type": "application/json" } });
    });
    const client = renderTable(true);
    fireEvent.change(screen.getByRole("combobox", { name: "triage override for acme/web" }), { target: { value: "yes" } });
    await waitFor(() => expect(client.getQueryData(["campaign", "c1"])).toEqual(answered));
    expect(requests).toHaveLength(1);
    expect(new URL(requests[0].url).pathname).toBe("/api/campaigns/c1/repositories/acme/web/triage");
    expect(await requests[0].json()).toEqual({ necessary: true });
  });

  it("shows a change held by the overlap choice as held, with why, and filters to it", () => {
    renderTable(false);
    const held = screen.getAllByRole("row").find((r) => r.getAttribute("data-repository") === "acme/db")!;
    expect(within(held).getByText("held (overlap)")).toBeTruthy();
    expect(within(held).getByText(/#3 by mallory \(README.md\)/)).toBeTruthy();
    expect(within(held).queryByRole("link", { name: /open/ })).toBeNull();
    fireEvent.change(screen.getByRole("combobox", { name: "Show" }), { target: { value: "held" } });
    const body = screen.getAllByRole("rowgroup")[1];
    expect(within(body).getAllByRole("row").map((r) => r.getAttribute("data-repository"))).toEqual(["acme/db"]);
  });

  it("sorts by a column on a click and says so", () => {
    renderTable(false);
    fireEvent.click(screen.getByRole("button", { name: "Cost" }));
    fireEvent.click(screen.getByRole("button", { name: "Cost" }));
    const body = screen.getAllByRole("rowgroup")[1];
    expect(within(body).getAllByRole("row")[0].getAttribute("data-repository")).toBe("acme/api");
    expect(screen.getByRole("columnheader", { name: "Cost" }).getAttribute("aria-sort")).toBe("descending");
  });
});
