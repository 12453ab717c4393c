import { useMutation, useQueryClient } from "@tanstack/react-query";
import { api, failure, ok, type Job } from "../api/client";
import { finalRun } from "./format";
import { usePermissions } from "../access/permissions";
import { ConfirmButton } from "../ui/ConfirmButton";
import { DownloadButton } from "../ui/DownloadButton";
import { useJobAction } from "./useJobAction";

/** What can be done with a job's runs together: cancel, retry every failed run, download every patch, export the results. */
export function JobActions({ job }: { job: Job }) {
  const path = { params: { path: { id: job.id } } };
  const cancel = useJobAction(job.id, () => ok(api.POST("/api/jobs/{id}/cancel", path)));
  const retryFailed = useJobAction(job.id, () => ok(api.POST("/api/jobs/{id}/retry-failed", path)));
  const client = useQueryClient();
  const mergeGreen = useMutation({
    mutationFn: () => ok(api.POST("/api/jobs/{id}/pull-requests/merge", path)),
    onSuccess: () => client.invalidateQueries({ queryKey: ["job", job.id] }),
  });
  const openPulls = job.repositories.filter((r) => r.pullRequest?.state === "open").length;
  const working = job.repositories.some((r) => !finalRun(r.status) && !r.cancelRequested);
  const failed = Number(job.outcomes.failed);
  const can = usePermissions();
  return (
    <div className="job-actions">
      <div className="actions">
        {can.operate && working && (
          <ConfirmButton
            label="Cancel job"
            question="Cancel every run that has not finished? Running runs stop now and keep their threads; finished runs keep their results."
            confirm="Cancel job"
            onConfirm={() => cancel.mutate()}
            disabled={cancel.isPending}
          />
        )}
        {can.operate && failed > 0 && (
          <button type="button" onClick={() => retryFailed.mutate()} disabled={retryFailed.isPending}>
            Retry all failed ({failed})
          </button>
        )}
        {can.operate && openPulls > 0 && (
          <ConfirmButton
            label="Merge all green"
            question="Merge every open pull request of this job whose checks pass and whose review allows it (or turn on GitHub's auto-merge where checks are pending)? The others stay open and say why."
            confirm="Merge all green"
            onConfirm={() => mergeGreen.mutate()}
            disabled={mergeGreen.isPending}
          />
        )}
        {job.repositories.some((r) => r.patchUrl) && <DownloadButton path={`/api/jobs/${job.id}/patches`} fileName={`codybatch-${job.id}-patches.zip`} label="Download all patches" />}
        <DownloadButton path={`/api/jobs/${job.id}/results`} fileName={`codybatch-${job.id}-results.json`} label="Export JSON" />
        <DownloadButton path={`/api/jobs/${job.id}/results?format=csv`} fileName={`codybatch-${job.id}-results.csv`} label="Export CSV" />
      </div>
      {cancel.isError && <p className="error" role="alert">{failure("Cancel", cancel.error)}</p>}
      {mergeGreen.isError && <p className="error" role="alert">{failure("Merge all green", mergeGreen.error)}</p>}
      {mergeGreen.data && (
        <div role="status" className="merge-results">
          <p>
            Merged {String(mergeGreen.data.merged)}, auto-merge turned on for {String(mergeGreen.data.autoMergeEnabled)}, not merged {String(mergeGreen.data.notMerged)}.
          </p>
          <ul>
            {mergeGreen.data.pullRequests.map((p) => (
              <li key={`${p.repository}#${String(p.number)}`}>
                {p.repository} #{String(p.number)}: {p.outcome === "merged" ? "merged" : p.outcome === "autoMergeEnabled" ? "auto-merge on" : "not merged"} — {p.reason}
              </li>
            ))}
          </ul>
        </div>
      )}
      {retryFailed.isError && <p className="error" role="alert">{failure("Retry all failed", retryFailed.error)}</p>}
    </div>
  );
}
