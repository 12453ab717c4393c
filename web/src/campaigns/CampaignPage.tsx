import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useParams } from "@tanstack/react-router";
import { usePermissions } from "../access/permissions";
import { api, ok } from "../api/client";
import { ConfirmButton } from "../ui/ConfirmButton";
import { PageHeading } from "../ui/PageHeading";
import { ProblemList } from "../ui/ProblemList";
import { BurndownChart } from "./BurndownChart";
import { CampaignMoneyChart } from "./CampaignMoneyChart";
import { CampaignRepositoriesTable } from "./CampaignRepositoriesTable";
import { budgetState, forecastText, money, outcomeText, pacingFull, pacingText, type FleetCampaign } from "./fleetFormat";

type Action = "approve" | "pause" | "resume" | "cancel";

/** Approve, pause, resume and cancel, for the roles that may change a campaign. */
function CampaignControls({ campaign }: { campaign: FleetCampaign }) {
  const client = useQueryClient();
  const act = useMutation({
    mutationFn: (action: Action) => {
      const params = { params: { path: { id: campaign.id } } };
      switch (action) {
        case "approve": return ok(api.POST("/api/campaigns/{id}/approve", params));
        case "pause": return ok(api.POST("/api/campaigns/{id}/pause", params));
        case "resume": return ok(api.POST("/api/campaigns/{id}/resume", params));
        case "cancel": return ok(api.POST("/api/campaigns/{id}/cancel", params));
      }
    },
    onSuccess: (answer) => {
      client.setQueryData(["campaign", campaign.id], answer);
      client.invalidateQueries({ queryKey: ["campaigns"] });
    },
  });
  const final = campaign.phase === "done" || campaign.phase === "cancelled" || campaign.phase === "stoppedAtBudget";
  return (
    <div className="actions" role="group" aria-label="campaign actions">
      {campaign.phase === "preview" && <button type="button" className="primary" disabled={act.isPending} onClick={() => act.mutate("approve")}>Approve and start</button>}
      {!final && !campaign.paused && campaign.phase !== "preview" && <button type="button" disabled={act.isPending} onClick={() => act.mutate("pause")}>Pause</button>}
      {!final && campaign.paused && <button type="button" disabled={act.isPending} onClick={() => act.mutate("resume")}>Resume</button>}
      {campaign.phase !== "done" && campaign.phase !== "cancelled" && (
        <ConfirmButton
          label="Cancel campaign"
          className="danger"
          disabled={act.isPending}
          question={`Cancel this campaign? Its running jobs are cancelled and the ${campaign.counts.left} repositories not started are skipped; pull requests already open stay.`}
          confirm="Cancel campaign"
          onConfirm={() => act.mutate("cancel")}
        />
      )}
      <ProblemList error={act.error} />
    </div>
  );
}

/** The canary's repositories and what they came to, with the forecast; the operator approves the fan-out here. */
function CanaryPanel({ campaign, canOperate }: { campaign: FleetCampaign; canOperate: boolean }) {
  const client = useQueryClient();
  const approve = useMutation({
    mutationFn: () => ok(api.POST("/api/campaigns/{id}/approve", { params: { path: { id: campaign.id } } })),
    onSuccess: (answer) => client.setQueryData(["campaign", campaign.id], answer),
  });
  const canary = campaign.repositories.filter((r) => r.canary);
  if (canary.length === 0 || (campaign.phase !== "canary" && campaign.phase !== "awaitingApproval")) return null;
  return (
    <section aria-labelledby="canary-heading" className="campaign-canary">
      <h2 id="canary-heading">{campaign.phase === "canary" ? "The canary runs" : "The canary's results"}</h2>
      <ul>
        {canary.map((r) => <li key={r.repository}>{r.repository}: {outcomeText(r)}{r.pullRequestState ? `, pull request ${r.pullRequestState}` : ""} · {money(r.costUsd)}</li>)}
      </ul>
      <p className="forecast">{forecastText(campaign.money, campaign.counts.left)}</p>
      {campaign.phase === "awaitingApproval" && canOperate && (
        <>
          <button type="button" className="primary" disabled={approve.isPending} onClick={() => approve.mutate()}>Approve the fan-out</button>
          <ProblemList error={approve.error} />
        </>
      )}
    </section>
  );
}

/** A fleet campaign: where it stands, what it cost and will cost, its pull requests over time and every repository. */
export function CampaignPage() {
  const { id } = useParams({ from: "/campaigns/$id" });
  const can = usePermissions();
  const query = useQuery({
    queryKey: ["campaign", id],
    queryFn: () => ok(api.GET("/api/campaigns/{id}", { params: { path: { id } } })),
    refetchInterval: (q) => (q.state.data && (q.state.data.phase === "done" || q.state.data.phase === "cancelled") ? false : 2000),
    retry: false,
  });
  const campaign = query.data;
  if (!campaign) {
    return (
      <main className="wide">
        <PageHeading title="Campaign" />
        {query.isPending ? <p className="loading">Loading the campaign…</p> : <ProblemList error={query.error} />}
      </main>
    );
  }

  const c = campaign.counts;
  const budget = budgetState(campaign.phase, campaign.money);
  const pacing = pacingText(campaign.pacing);
  return (
    <main className="wide">
      <PageHeading title={campaign.title ?? `Campaign ${campaign.id}`} />
      <p className="campaign-state">
        <span className="badge" data-phase={campaign.phase}>{campaign.phaseText}</span>
        {campaign.paused && <> <span className="badge">paused</span></>}
        {" "}{c.total} repositories · created {new Date(campaign.createdAt).toLocaleString()}{campaign.author ? ` by ${campaign.author}` : ""}
      </p>
      {campaign.waiting && <p className="waiting" role="status">{campaign.waiting}</p>}
      {can.operate && <CampaignControls campaign={campaign} />}
      <CanaryPanel campaign={campaign} canOperate={can.operate} />
      <section aria-labelledby="counts-heading">
        <h2 id="counts-heading">Counts</h2>
        <dl className="campaign-counts">
          <dt>Pending</dt><dd>{c.pending}</dd>
          <dt>Triaging</dt><dd>{c.triaging}</dd>
          <dt>Running</dt><dd>{c.running}</dd>
          <dt>Done</dt><dd>{c.done}</dd>
          <dt>Not needed</dt><dd>{c.notNeeded}</dd>
          <dt>Skipped</dt><dd>{c.skipped}</dd>
          <dt>Succeeded</dt><dd>{c.succeeded}</dd>
          <dt>Failed</dt><dd>{c.failed}</dd>
          <dt>Pull requests</dt><dd>{c.openPullRequests} open · {c.mergedPullRequests} merged · {c.closedPullRequests} closed{Number(c.heldPullRequests) > 0 ? ` · ${c.heldPullRequests} held (overlap)` : ""}</dd>
          {campaign.spec.triage && <><dt>Triage</dt><dd>{c.triageNecessary} necessary · {c.triageNotNecessary} not necessary</dd></>}
        </dl>
      </section>
      <section aria-labelledby="money-heading">
        <h2 id="money-heading">Spent, forecast and budget</h2>
        <CampaignMoneyChart money={campaign.money} />
        <dl className="campaign-money-figures">
          <dt>Spent</dt><dd>{money(campaign.money.spentUsd)}{Number(campaign.money.triageSpentUsd) > 0 && ` (triage ${money(campaign.money.triageSpentUsd)})`}</dd>
          <dt>In flight</dt><dd>{money(campaign.money.inFlightEstimateUsd)}</dd>
          <dt>Forecast</dt><dd>{money(campaign.money.forecastUsd)}</dd>
          <dt>Budget</dt><dd>{campaign.money.budgetUsd == null ? "none" : money(campaign.money.budgetUsd)}</dd>
          <dt>Cost per merged pull request</dt><dd>{money(campaign.money.costPerMergedPullRequestUsd)}</dd>
        </dl>
        <p className="forecast">{forecastText(campaign.money, c.left)}</p>
        {budget && <p className={campaign.phase === "stoppedAtBudget" ? "budget-state stopped" : "budget-state"}>{budget}</p>}
      </section>
      <section aria-labelledby="pacing-heading">
        <h2 id="pacing-heading">Pacing</h2>
        <p>
          At most {campaign.spec.concurrency ?? 5} jobs at once.{" "}
          {pacing ?? "No pull request caps."}
          {pacing && pacingFull(campaign.pacing) && " A cap is reached: new jobs wait for pull requests to merge or close, or for the hour to pass."}
        </p>
      </section>
      <section aria-labelledby="burndown-heading">
        <h2 id="burndown-heading">Burndown</h2>
        {campaign.burndown.length === 0 ? <p className="empty">No pull request yet.</p> : <BurndownChart points={campaign.burndown} />}
      </section>
      <CampaignRepositoriesTable campaign={campaign} canOperate={can.operate} />
    </main>
  );
}
