import { useMutation, useQueryClient } from "@tanstack/react-query";
import { api, ok, runParams, type Job, type Run } from "../api/client";

/** "Publish" on a finished run of a patch-only job, or one held for overlapping pull requests: its patch becomes a pull request, without running the agent again. */
export function PublishButton({ job, run }: { job: Job; run: Run }) {
  const client = useQueryClient();
  const publish = useMutation({
    mutationFn: () => ok(api.POST("/api/jobs/{id}/repositories/{owner}/{name}/publish", { params: { path: runParams(job.id, run.repository) } })),
    onSuccess: (updated) => client.setQueryData(["job", job.id], updated),
  });
  if ((job.mode !== "patch" && !run.publishHeld) || run.status !== "succeeded" || !run.patchUrl || run.pullRequest || run.source) return null;
  return (
    <>
      <button type="button" onClick={() => publish.mutate()} disabled={publish.isPending}>Publish as pull request</button>
      {publish.isError && <span className="error" role="alert">{publish.error.message}</span>}
    </>
  );
}
