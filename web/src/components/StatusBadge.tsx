import type { JobStatus, RunStatus } from "../api/client";

const tone: Record<JobStatus | RunStatus, string> = {
  queued: "neutral",
  running: "active",
  fetching: "active",
  analyzing: "active",
  publishing: "active",
  completed: "good",
  succeeded: "good",
  failed: "bad",
  cancelled: "muted",
  incomplete: "warn",
};

export function StatusBadge({ status }: { status: JobStatus | RunStatus }) {
  return (
    <span className={`badge badge-${tone[status]}`} role="status" aria-label={`status ${status}`}>
      {status}
    </span>
  );
}
