import { useMutation, useQueryClient } from "@tanstack/react-query";
import { api, failure, ok } from "../api/client";
import { ConfirmButton } from "../ui/ConfirmButton";

/**
 * "Merge all green" over a job's or a campaign's open pull requests: merged where checks pass and the review allows it
 * (or GitHub's auto-merge turned on where checks are pending), and why not for each other one.
 */
export function MergeGreenButton({ jobId, scope }: { jobId: string; scope: "job" | "campaign" }) {
  const client = useQueryClient();
  const path = { params: { path: { id: jobId } } };
  const merge = useMutation({
    mutationFn: () => scope === "job"
      ? ok(api.POST("/api/jobs/{id}/pull-requests/merge", path))
      : ok(api.POST("/api/campaigns/{id}/pull-requests/merge", path)),
    onSuccess: () => client.invalidateQueries({ queryKey: ["job", jobId] }),
  });
  const label = scope === "job" ? "Merge all green" : "Merge all green in the campaign";
  return (
    <>
      <ConfirmButton
        label={label}
        question={`Merge every open pull request of this ${scope} whose checks pass and whose review allows it (or turn on GitHub's auto-merge where checks are pending)? The others stay open and say why.`}
        confirm={label}
        onConfirm={() => merge.mutate()}
        disabled={merge.isPending}
      />
      {merge.isError && <p className="error" role="alert">{failure(label, merge.error)}</p>}
      {merge.data && (
        <div role="status" className="merge-results">
          <p>
            Merged {String(merge.data.merged)}, auto-merge turned on for {String(merge.data.autoMergeEnabled)}, not merged {String(merge.data.notMerged)}.
          </p>
          <ul>
            {merge.data.pullRequests.map((p) => (
              <li key={`${p.repository}#${String(p.number)}`}>
                {p.repository} #{String(p.number)}: {p.outcome === "merged" ? "merged" : p.outcome === "autoMergeEnabled" ? "auto-merge on" : "not merged"} — {p.reason}
              </li>
            ))}
          </ul>
        </div>
      )}
    </>
  );
}
