import { api, failure, ok, type Job } from "../api/client";
import { finalRun } from "./format";
import { usePermissions } from "../access/permissions";
import { ConfirmButton } from "../ui/ConfirmButton";
import { DownloadButton } from "../ui/DownloadButton";
import { MergeGreenButton } from "../campaigns/MergeGreenButton";
import { useJobAction } from "./useJobAction";

/** What can be done with a job's runs together: cancel, retry every failed run, download every patch, export the results. */
export function JobActions({ job }: { job: Job }) {
  const path = { params: { path: { id: job.id } } };
  const cancel = useJobAction(job.id, () => ok(api.POST("/api/jobs/{id}/cancel", path)));
  const retryFailed = useJobAction(job.id, () => ok(api.POST("/api/jobs/{id}/retry-failed", path)));
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
        {can.operate && openPulls > 0 && <MergeGreenButton jobId={job.id} scope="job" />}
        {job.repositories.some((r) => r.patchUrl) && <DownloadButton path={`/api/jobs/${job.id}/patches`} fileName={`codybatch-${job.id}-patches.zip`} label="Download all patches" />}
        <DownloadButton path={`/api/jobs/${job.id}/results`} fileName={`codybatch-${job.id}-results.json`} label="Export JSON" />
        <DownloadButton path={`/api/jobs/${job.id}/results?format=csv`} fileName={`codybatch-${job.id}-results.csv`} label="Export CSV" />
      </div>
      {cancel.isError && <p className="error" role="alert">{failure("Cancel", cancel.error)}</p>}
      {retryFailed.isError && <p className="error" role="alert">{failure("Retry all failed", retryFailed.error)}</p>}
    </div>
  );
}
