import type { Job, JobList } from "../api/client";
import { PullRequestBadge } from "./PullRequestBadge";

/** In the jobs list: the job's pull requests in words, or the one pull request's badges. */
export function CampaignCell({ job }: { job: Job | JobList["items"][number] }) {
  const pulls = job.repositories.flatMap((r) => (r.pullRequest ? [r.pullRequest] : []));
  if (pulls.length === 0) return <span className="campaign-cell" />;
  return (
    <span className="campaign-cell" aria-label="pull requests">
      {pulls.length === 1 ? <PullRequestBadge pullRequest={pulls[0]} compact /> : job.campaign.summary}
    </span>
  );
}
