import { useParams } from "@tanstack/react-router";
import { useState } from "react";
import { JobActions } from "./JobActions";
import { matches, ResultsTable, type RunFilter } from "./ResultsTable";
import { RunCard } from "../runs/RunCard";
import { OutcomeCounts } from "./OutcomeCounts";
import { PageHeading } from "../ui/PageHeading";
import { JobStatusBadge } from "./StatusBadge";
import { cost, elapsed, finalJob, finalRun, tokens } from "./format";
import { useJobLive } from "./useJobLive";
import { useNow } from "../ui/useNow";
import { JobNotifications } from "./JobNotifications";
import { CampaignPanel } from "../campaigns/CampaignPanel";

export function JobPage() {
  const { id } = useParams({ from: "/jobs/$id" });
  const { job, mode } = useJobLive(id);
  const [filter, setFilter] = useState<RunFilter>("all");
  const working = !!job.data?.repositories.some((r) => !finalRun(r.status));
  const now = useNow(working);

  if (job.isPending) return <main><PageHeading title="Job" /><p className="loading">Loading job…</p></main>;
  if (job.isError) return <main><PageHeading title="Job" /><p className="error" role="alert">Could not load the job: {job.error.message}</p></main>;
  const data = job.data;
  const runs = data.repositories.filter((r) => matches(r, filter));
  return (
    <main className="wide">
      <div className="toolbar">
        <div className="heading-row">
          <PageHeading title={data.title ?? "Job"} />
          <JobStatusBadge job={data} />
        </div>
      </div>
      <p className="totals">
        <OutcomeCounts outcomes={data.outcomes} /> · {tokens(data.usage)} tokens · {cost(data.usage)} · <span className="clock">{elapsed(data.startedAt, data.finishedAt, now)}</span> ·{" "}
        {data.mode === "patch" ? "patch only" : data.mode === "triage" ? "triage only" : "pull requests"} · {data.model}
        {data.budgetUsd != null && ` · budget $${Number(data.budgetUsd).toFixed(2)}`}
        {data.thinkingBudgetTokens != null && ` · thinking ${data.thinkingBudgetTokens.toLocaleString("en-US")} tokens`}
        {working && <span className="live"> · {mode === "stream" ? "live" : "updating every second"}</span>}
      </p>
      <pre className="prompt">{data.prompt}</pre>
      <JobActions job={data} />
      <CampaignPanel job={data} />
      <ResultsTable job={data} now={now} filter={filter} onFilter={setFilter} />
      <div className="runs">
        {runs.map((run) => <RunCard key={run.repository} job={data} run={run} now={now} />)}
      </div>
      <JobNotifications jobId={data.id} finished={finalJob(data.status)} />
    </main>
  );
}
