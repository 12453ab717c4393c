import type { Job, JobStatus, RunStatus } from "../api/client";

const tone: Record<string, string> = {
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

/** A status as a coloured label; its text is the status itself, so it reads the same to everyone. */
export function StatusBadge({ status }: { status: JobStatus | RunStatus }) {
  return <span className={`badge badge-${tone[status] ?? "neutral"}`}>{status}</span>;
}

/** A job's status, with "completed with failures" when some runs failed or were cancelled. */
export function JobStatusBadge({ job }: { job: Pick<Job, "status" | "outcomes"> }) {
  const failed = Number(job.outcomes.failed);
  const cancelled = Number(job.outcomes.cancelled);
  if (job.status === "completed" && failed > 0) return <span className="badge badge-warn">completed with failures</span>;
  if (job.status === "completed" && Number(job.outcomes.incomplete ?? 0) > 0) return <span className="badge badge-warn">completed, some incomplete</span>;
  if (job.status === "completed" && cancelled > 0) return <span className="badge badge-warn">completed, some cancelled</span>;
  return <StatusBadge status={job.status} />;
}
