import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useParams } from "@tanstack/react-router";
import { useState } from "react";
import { api, download, type Job, type Run } from "../api/client";
import { CampaignPanel } from "../components/CampaignPanel";
import { DiffView } from "../components/DiffView";
import { PublishButton } from "../components/PublishButton";
import { PullRequestBadge } from "../components/PullRequestBadge";
import { StatusBadge } from "../components/StatusBadge";
import { SummaryMarkdown } from "../components/SummaryMarkdown";
import { ThreadView, type Thread } from "../components/ThreadView";
import { VerificationBadge, VerificationView } from "../components/VerificationView";
import { cost, elapsed, finalJob, finalRun, tokens } from "../format";
import { JobNotifications } from "../schedules/JobNotifications";

function RunCard({ job, run }: { job: Job; run: Run }) {
  const client = useQueryClient();
  const [view, setView] = useState<"none" | "diff" | "thread">("none");
  const patch = useQuery({ queryKey: ["patch", job.id, run.repository], queryFn: () => api<string>(run.patchUrl!), enabled: view === "diff" && !!run.patchUrl });
  const thread = useQuery({ queryKey: ["thread", job.id, run.repository], queryFn: () => api<Thread>(run.threadUrl!), enabled: view === "thread" && !!run.threadUrl });
  const retry = useMutation({
    mutationFn: () => api<Job>(`/api/jobs/${job.id}/repositories/${run.repository}/retry`, { method: "POST" }),
    onSuccess: (updated) => client.setQueryData(["job", job.id], updated),
  });

  return (
    <article className="run-card" aria-label={run.repository}>
      <header>
        <h2>{run.repository}</h2>
        <StatusBadge status={run.status} />
        {run.verification && <VerificationBadge status={run.verification.status} />}
      </header>
      <dl className="facts">
        <div><dt>Elapsed</dt><dd>{elapsed(run.startedAt, run.finishedAt)}</dd></div>
        <div><dt>Tokens</dt><dd>{tokens(run.usage)}</dd></div>
        <div><dt>Cost</dt><dd>{cost(run.usage)}</dd></div>
        <div><dt>Changes</dt><dd>{run.wereChangesNecessary == null ? "–" : run.wereChangesNecessary ? "yes" : "no"}</dd></div>
      </dl>
      {run.activity && <p className="note">{run.activity}</p>}
      {run.error && <p className="error" role="alert">{run.error}</p>}
      {run.notice && <p className="note">{run.notice}</p>}
      {run.summary && <div className="summary"><SummaryMarkdown text={run.summary} /></div>}
      {run.verification && <VerificationView verification={run.verification} />}
      {run.pullRequest ? <p><PullRequestBadge pullRequest={run.pullRequest} /></p> : run.pullRequestUrl && <p><a href={run.pullRequestUrl} target="_blank" rel="noreferrer">Pull request</a></p>}
      <div className="actions">
        {run.patchUrl && <button type="button" onClick={() => setView(view === "diff" ? "none" : "diff")}>{view === "diff" ? "Hide diff" : "View diff"}</button>}
        {run.patchUrl && <button type="button" onClick={() => download(run.patchUrl!, `${run.repository.replace("/", "-")}.patch`)}>Download patch</button>}
        {run.threadUrl && <button type="button" onClick={() => setView(view === "thread" ? "none" : "thread")}>{view === "thread" ? "Hide thread" : "View thread"}</button>}
        {(run.status === "failed" || run.status === "cancelled" || run.status === "incomplete") && <button type="button" onClick={() => retry.mutate()} disabled={retry.isPending}>Retry</button>}
        <PublishButton job={job} run={run} />
      </div>
      {view === "diff" && (patch.isPending ? <p className="loading">Loading diff…</p> : patch.isError ? <p className="error">{patch.error.message}</p> : <DiffView patch={patch.data!} />)}
      {view === "thread" && (thread.isPending ? <p className="loading">Loading thread…</p> : thread.isError ? <p className="error">{thread.error.message}</p> : <ThreadView thread={thread.data!} />)}
    </article>
  );
}

export function JobPage() {
  const { id } = useParams({ from: "/jobs/$id" });
  const client = useQueryClient();
  const job = useQuery({
    queryKey: ["job", id],
    queryFn: () => api<Job>(`/api/jobs/${id}`),
    refetchInterval: (query) => (query.state.data && finalJob(query.state.data.status) && query.state.data.repositories.every((r) => finalRun(r.status)) ? false : 1000),
  });
  const cancel = useMutation({
    mutationFn: () => api<Job>(`/api/jobs/${id}/cancel`, { method: "POST" }),
    onSuccess: (updated) => client.setQueryData(["job", id], updated),
  });

  if (job.isPending) return <main><p className="loading">Loading job…</p></main>;
  if (job.isError) return <main><p className="error" role="alert">Could not load the job: {job.error.message}</p></main>;
  const data = job.data;
  return (
    <main>
      <div className="toolbar">
        <h1>{data.title ?? "Job"} <StatusBadge status={data.status} /></h1>
        {!finalJob(data.status) && <button type="button" onClick={() => cancel.mutate()} disabled={cancel.isPending}>Cancel job</button>}
      </div>
      <pre className="prompt">{data.prompt}</pre>
      <p className="totals">
        {data.progress.finished}/{data.progress.total} repositories done · {tokens(data.usage)} tokens · {cost(data.usage)} · {data.mode === "patch" ? "patch only" : "pull requests"} · {data.model}{data.thinkingBudgetTokens != null && ` · thinking ${data.thinkingBudgetTokens.toLocaleString("en-US")} tokens`}
      </p>
      <CampaignPanel job={data} />
      <div className="runs">
        {data.repositories.map((run) => <RunCard key={run.repository} job={data} run={run} />)}
      </div>
      <JobNotifications jobId={data.id} finished={finalJob(data.status)} />
    </main>
  );
}
