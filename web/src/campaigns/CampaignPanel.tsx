import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useNavigate } from "@tanstack/react-router";
import { api, ok, type Job } from "../api/client";
import type { components } from "../api/schema";
import { usePermissions } from "../access/permissions";
import { BurndownChart } from "./BurndownChart";
import { MergeGreenButton } from "./MergeGreenButton";

type ActionResult = components["schemas"]["PullRequestActionResponse"];

/** The job as a campaign: its pull requests in words, the burndown, and what can be done with them. */
export function CampaignPanel({ job }: { job: Job }) {
  const client = useQueryClient();
  const navigate = useNavigate();
  const { campaign } = job;
  const can = usePermissions();
  const hasPulls = job.repositories.some((r) => r.pullRequest);
  const anyOpen = job.repositories.some((r) => r.pullRequest?.state === "open");
  const anyBranch = job.repositories.some((r) => r.pullRequest && r.pullRequest.state !== "open" && !r.pullRequest.branchDeleted);
  const path = { params: { path: { id: job.id } } };
  const onActed = (result: ActionResult) => client.setQueryData(["job", job.id], result.job);
  const rerun = useMutation({
    mutationFn: () => ok(api.POST("/api/jobs/{id}/rerun", path)),
    onSuccess: (created) => navigate({ to: "/jobs/$id", params: { id: created.id } }),
  });
  const refresh = useMutation({ mutationFn: () => ok(api.POST("/api/jobs/{id}/refresh", path)), onSuccess: onActed });
  const close = useMutation({ mutationFn: (comment: string) => ok(api.POST("/api/jobs/{id}/pull-requests/close", { ...path, body: { comment } })), onSuccess: onActed });
  const deleteBranches = useMutation({ mutationFn: () => ok(api.POST("/api/jobs/{id}/pull-requests/delete-branches", path)), onSuccess: onActed });
  const problems = [refresh, close, deleteBranches].flatMap((m) => m.data?.problems ?? []);
  const failed = [rerun, refresh, close, deleteBranches].find((m) => m.isError)?.error;

  return (
    <section className="campaign" aria-label="campaign">
      <div className="toolbar">
        <p className="campaign-summary">{campaign.summary || (hasPulls ? "" : "No pull requests yet.")}{campaign.id !== job.id && <span className="note"> · re-run in campaign {campaign.id}</span>}</p>
        {can.operate && <div className="actions">
          <button type="button" onClick={() => rerun.mutate()} disabled={rerun.isPending}>Run again</button>
          {anyOpen && <button type="button" onClick={() => refresh.mutate()} disabled={refresh.isPending}>Refresh pull requests</button>}
          {anyOpen && (
            <button
              type="button"
              disabled={close.isPending}
              onClick={() => {
                const comment = window.prompt("Close every open pull request of this job. Comment to leave on each:", "Closed: this change is no longer pursued.");
                if (comment !== null) close.mutate(comment);
              }}
            >
              Close open pull requests
            </button>
          )}
          {anyOpen && <MergeGreenButton jobId={campaign.id} scope="campaign" />}
          {anyBranch && <button type="button" onClick={() => deleteBranches.mutate()} disabled={deleteBranches.isPending}>Delete branches of closed</button>}
        </div>}
      </div>
      {failed && <p className="error" role="alert">{failed.message}</p>}
      {problems.map((p) => <p key={p} className="error">{p}</p>)}
      <BurndownChart points={campaign.burndown} />
    </section>
  );
}
