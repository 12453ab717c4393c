import { Link } from "@tanstack/react-router";
import type { components } from "../api/schema";

export type PullRequest = components["schemas"]["PullRequestResponse"];

const stateTone = { open: "active", merged: "good", closed: "muted" } as const;
const checksTone = { success: "good", failure: "bad", pending: "active", none: "neutral" } as const;
const checksText = { success: "checks passing", failure: "checks failing", pending: "checks running", none: "no checks" } as const;
const reviewTone = { approved: "good", changes_requested: "bad", review_required: "neutral" } as const;
const reviewText = { approved: "approved", changes_requested: "changes requested", review_required: "review required" } as const;

/** A pull request's number, state, checks and review, as small badges; the text is the API's, rendered inertly. */
export function PullRequestBadge({ pullRequest, compact = false }: { pullRequest: PullRequest; compact?: boolean }) {
  const { state, checks, review, draft } = pullRequest;
  return (
    <span className="pull-request" aria-label={`pull request #${pullRequest.number} ${state}`}>
      {compact ? <span>#{pullRequest.number}</span> : <a href={pullRequest.url} target="_blank" rel="noreferrer">Pull request #{pullRequest.number}</a>}{" "}
      <span className={`badge badge-${stateTone[state]}`}>{draft && state === "open" ? "draft" : state}</span>{" "}
      {state === "open" && <span className={`badge badge-${checksTone[checks]}`}>{checksText[checks]}</span>}{" "}
      {state === "open" && review && <span className={`badge badge-${reviewTone[review]}`}>{reviewText[review]}</span>}
      {!compact && pullRequest.branchDeleted && <span className="note"> · branch deleted</span>}
      {state === "open" && pullRequest.mergeable === false && <span className="badge badge-bad">in conflict</span>}{" "}
      {state === "open" && pullRequest.autoMergeEnabled && <span className="badge badge-active">auto-merge on</span>}{" "}
      {pullRequest.shepherd?.needsAttention && <span className="badge badge-bad">needs attention</span>}
      {!compact && state === "open" && pullRequest.mergeNote && <span className="note"> · {pullRequest.mergeNote}</span>}
      {!compact && pullRequest.shepherd?.started && pullRequest.shepherd.started.length > 0 && (
        <span className="rounds">
          <span className="note"> · Follow-up rounds:</span>
          <ul aria-label="follow-up rounds">
            {pullRequest.shepherd.started.map((r) => (
              <li key={r.jobId}>
                <Link to="/jobs/$id" params={{ id: r.jobId }}>Round {String(r.number)}</Link>: {r.reason}
              </li>
            ))}
          </ul>
        </span>
      )}
      {!compact && pullRequest.shepherd?.decisions && pullRequest.shepherd.decisions.length > 0 && (
        <details className="shepherd">
          <summary>Follow-up decisions ({pullRequest.shepherd.decisions.length})</summary>
          <ul>
            {pullRequest.shepherd.decisions.map((d) => (
              <li key={`${d.cause}-${d.at}`}>{d.due ? "Round due" : "No round"}: {d.reason}</li>
            ))}
          </ul>
        </details>
      )}
    </span>
  );
}
