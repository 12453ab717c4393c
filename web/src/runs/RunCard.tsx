import { useQuery } from "@tanstack/react-query";
import { Link } from "@tanstack/react-router";
import { lazy, Suspense, useState } from "react";
import { api, failure, ok, runParams, type Job, type Run } from "../api/client";
import { cost, elapsed, finalRun, tokens } from "../jobs/format";
import { usePermissions } from "../access/permissions";
import { ConfirmButton } from "../ui/ConfirmButton";
import { PublishButton } from "./PublishButton";
import { PullRequestBadge } from "../campaigns/PullRequestBadge";
import { StatusBadge } from "../jobs/StatusBadge";
import { VerificationBadge, VerificationView } from "./VerificationView";
import { DownloadButton } from "../ui/DownloadButton";
import { useJobAction } from "../jobs/useJobAction";

// The renderers are the heaviest code of the app; they load when first opened.
const SummaryMarkdown = lazy(() => import("./SummaryMarkdown").then((m) => ({ default: m.SummaryMarkdown })));
const DiffView = lazy(() => import("./DiffView"));
const ThreadView = lazy(() => import("./ThreadView").then((m) => ({ default: m.ThreadView })));

export const runAnchor = (repository: string) => `run-${repository.replace(/[^A-Za-z0-9_-]/g, "-")}`;

export function RunCard({ job, run, now }: { job: Job; run: Run; now: number }) {
  const [view, setView] = useState<"none" | "diff" | "thread">("none");
  const path = { params: { path: runParams(job.id, run.repository) } };
  const patch = useQuery({
    queryKey: ["patch", job.id, run.repository, run.attempts],
    queryFn: () => ok(api.GET("/api/jobs/{id}/repositories/{owner}/{name}/patch", { ...path, parseAs: "text" })),
    enabled: view === "diff" && !!run.patchUrl,
  });
  const thread = useQuery({
    queryKey: ["thread", job.id, run.repository, run.attempts],
    queryFn: () => ok(api.GET("/api/jobs/{id}/repositories/{owner}/{name}/thread", path)),
    enabled: view === "thread" && !!run.threadUrl,
  });
  const retry = useJobAction(job.id, () => ok(api.POST("/api/jobs/{id}/repositories/{owner}/{name}/retry", path)));
  const cancel = useJobAction(job.id, () => ok(api.POST("/api/jobs/{id}/repositories/{owner}/{name}/cancel", path)));
  const working = !finalRun(run.status);
  const can = usePermissions();
  const headingId = `${runAnchor(run.repository)}-heading`;

  return (
    <article className="run-card" id={runAnchor(run.repository)} aria-labelledby={headingId}>
      <header>
        <h2 id={headingId}>{run.repository}</h2>
        <span className="badges">
          <StatusBadge status={run.status} />
          {run.verification && <VerificationBadge status={run.verification.status} />}
        </span>
      </header>
      <dl className="facts">
        <div><dt>Elapsed</dt><dd className="clock">{elapsed(run.startedAt, run.finishedAt, now)}</dd></div>
        <div><dt>Tokens</dt><dd>{tokens(run.usage)}</dd></div>
        <div><dt>Cost</dt><dd>{cost(run.usage)}</dd></div>
        <div><dt>Changes</dt><dd>{run.wereChangesNecessary == null ? "–" : run.wereChangesNecessary ? "yes" : "no change needed"}</dd></div>
        {run.triage && <div><dt>Triage</dt><dd>{run.triage.necessary ? "change necessary" : "no change necessary"}, confidence {Math.round(Number(run.triage.confidence) * 100)}%</dd></div>}
        {run.changes && <div><dt>Diff</dt><dd><span className="ins-count">+{run.changes.additions}</span> <span className="del-count">−{run.changes.deletions}</span> in {run.changes.files} {Number(run.changes.files) === 1 ? "file" : "files"}</dd></div>}
        <div><dt>Attempts</dt><dd>{run.attempts}</dd></div>
      </dl>
      {run.round && (
        <p className="note">
          Follow-up round {String(run.round.number)} on pull request #{String(run.round.pullRequest)} of{" "}
          <Link to="/jobs/$id" params={{ id: run.round.originJobId }}>its run</Link>: {run.round.reason}
        </p>
      )}
      {run.activity && <p className="activity"><span className="sr-only">Now: </span>{run.activity}</p>}
      {run.cancelRequested && working && <p className="note">Cancelling…</p>}
      {run.error && <p className="error">{run.error}</p>}
      {run.notice && <p className="note">{run.notice}</p>}
      {run.summary && <Suspense fallback={<p className="loading">…</p>}><div className="summary"><SummaryMarkdown text={run.summary} /></div></Suspense>}
      {run.verification && <VerificationView verification={run.verification} repository={run.repository} />}
      {run.pullRequest ? <p><PullRequestBadge pullRequest={run.pullRequest} /></p> : run.pullRequestUrl && <p><a href={run.pullRequestUrl} target="_blank" rel="noreferrer">Pull request</a></p>}
      <div className="actions">
        {run.patchUrl && <button type="button" aria-expanded={view === "diff"} onClick={() => setView(view === "diff" ? "none" : "diff")}>{view === "diff" ? "Hide diff" : "View diff"}</button>}
        {run.patchUrl && <DownloadButton path={run.patchUrl} fileName={`${run.repository.replace("/", "-")}.patch`} label="Download patch" />}
        {run.threadUrl && <button type="button" aria-expanded={view === "thread"} onClick={() => setView(view === "thread" ? "none" : "thread")}>{view === "thread" ? "Hide thread" : working ? "Watch thread" : "View thread"}</button>}
        {can.operate && (run.status === "failed" || run.status === "cancelled" || run.status === "incomplete") && <button type="button" onClick={() => retry.mutate()} disabled={retry.isPending}>Retry</button>}
        {can.operate && <PublishButton job={job} run={run} />}
        {can.operate && working && !run.cancelRequested && (
          <ConfirmButton label="Cancel run" question={`Cancel the run for ${run.repository}? It stops now and keeps its thread; the other repositories go on.`} confirm="Cancel run" onConfirm={() => cancel.mutate()} disabled={cancel.isPending} />
        )}
      </div>
      {retry.isError && <p className="error" role="alert">{failure("Retry", retry.error)}</p>}
      {cancel.isError && <p className="error" role="alert">{failure("Cancel", cancel.error)}</p>}
      <Suspense fallback={<p className="loading">Loading…</p>}>
        {view === "diff" && (patch.isPending ? <p className="loading">Loading diff…</p> : patch.isError ? <p className="error" role="alert">{failure("Loading the diff", patch.error)}</p> : <DiffView patch={patch.data!} />)}
        {view === "thread" && (thread.isPending ? <p className="loading">Loading thread…</p> : thread.isError ? <p className="error" role="alert">{failure("Loading the thread", thread.error)}</p> : <ThreadView thread={thread.data!} />)}
      </Suspense>
    </article>
  );
}
