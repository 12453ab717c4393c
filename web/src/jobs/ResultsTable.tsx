import { useState } from "react";
import type { Job, Run } from "../api/client";
import { elapsed, finalRun } from "./format";
import { StatusBadge } from "./StatusBadge";
import { runAnchor } from "../runs/RunCard";

export type RunFilter = "all" | "changed" | "unchanged" | "incomplete" | "failed" | "cancelled" | "working";
type SortKey = "repository" | "status" | "changes" | "attempts" | "cost" | "time";

export const filters: { value: RunFilter; label: string }[] = [
  { value: "all", label: "All" },
  { value: "changed", label: "Changed" },
  { value: "unchanged", label: "No change needed" },
  { value: "incomplete", label: "Incomplete" },
  { value: "failed", label: "Failed" },
  { value: "cancelled", label: "Cancelled" },
  { value: "working", label: "Working" },
];

export const matches = (run: Run, filter: RunFilter) => {
  switch (filter) {
    case "changed": return run.status === "succeeded" && run.wereChangesNecessary === true;
    case "unchanged": return run.status === "succeeded" && run.wereChangesNecessary === false;
    case "incomplete": return run.status === "incomplete";
    case "failed": return run.status === "failed";
    case "cancelled": return run.status === "cancelled";
    case "working": return !finalRun(run.status);
    default: return true;
  }
};

const seconds = (run: Run, now: number) => (run.startedAt ? ((run.finishedAt ? Date.parse(run.finishedAt) : now) - Date.parse(run.startedAt)) / 1000 : -1);
const size = (run: Run) => (run.changes ? Number(run.changes.additions) + Number(run.changes.deletions) : -1);
const value = (run: Run, key: SortKey, now: number): string | number => {
  switch (key) {
    case "repository": return run.repository;
    case "status": return run.status;
    case "changes": return size(run);
    case "attempts": return run.attempts;
    case "cost": return Number(run.usage.costUsd);
    case "time": return seconds(run, now);
  }
};

const columns: { key: SortKey; label: string }[] = [
  { key: "repository", label: "Repository" },
  { key: "status", label: "Status" },
  { key: "changes", label: "Diff" },
  { key: "attempts", label: "Attempts" },
  { key: "time", label: "Time" },
  { key: "cost", label: "Cost" },
];

/** The job's runs as a table: filter by outcome, sort by any column, diff stat, attempts, commit, time and cost. */
export function ResultsTable({ job, now, filter, onFilter }: { job: Job; now: number; filter: RunFilter; onFilter: (f: RunFilter) => void }) {
  const [sort, setSort] = useState<{ key: SortKey; descending: boolean } | null>(null);
  const runs = job.repositories.filter((r) => matches(r, filter));
  if (sort) {
    runs.sort((a, b) => {
      const x = value(a, sort.key, now);
      const y = value(b, sort.key, now);
      const order = typeof x === "number" && typeof y === "number" ? x - y : String(x).localeCompare(String(y));
      return sort.descending ? -order : order;
    });
  }

  return (
    <section aria-labelledby="results-heading" className="results">
      <div className="toolbar">
        <h2 id="results-heading">Results</h2>
        <fieldset className="segmented">
          <legend className="sr-only">Show runs</legend>
          {filters.map((f) => {
            const count = job.repositories.filter((r) => matches(r, f.value)).length;
            return (
              <label key={f.value} className={filter === f.value ? "selected" : undefined}>
                <input type="radio" name="run-filter" value={f.value} checked={filter === f.value} onChange={() => onFilter(f.value)} />
                {f.label} ({count})
              </label>
            );
          })}
        </fieldset>
      </div>
      <div className="table-scroll">
        <table className="results-table">
          <thead>
            <tr>
              {columns.map((c) => (
                <th key={c.key} scope="col" aria-sort={sort?.key === c.key ? (sort.descending ? "descending" : "ascending") : undefined}>
                  <button type="button" className="sort" onClick={() => setSort({ key: c.key, descending: sort?.key === c.key ? !sort.descending : false })}>
                    {c.label}
                    <span aria-hidden="true">{sort?.key === c.key ? (sort.descending ? " ▼" : " ▲") : ""}</span>
                  </button>
                </th>
              ))}
              <th scope="col">Commit</th>
            </tr>
          </thead>
          <tbody>
            {runs.length === 0 && (
              <tr><td colSpan={columns.length + 1} className="empty">No run matches this filter.</td></tr>
            )}
            {runs.map((run) => (
              <tr key={run.repository}>
                <th scope="row"><a href={`#${runAnchor(run.repository)}`}>{run.repository}</a></th>
                <td>
                  <StatusBadge status={run.status} />
                  {run.status === "succeeded" && run.wereChangesNecessary === false && <small> no change needed</small>}
                  {run.activity && <div className="activity small">{run.activity}</div>}
                </td>
                <td>
                  {run.changes ? (
                    <>
                      <span className="ins-count">+{run.changes.additions}</span> <span className="del-count">−{run.changes.deletions}</span>{" "}
                      <small>{run.changes.files} {Number(run.changes.files) === 1 ? "file" : "files"}</small>
                    </>
                  ) : "–"}
                </td>
                <td>{run.attempts}</td>
                <td className="clock">{elapsed(run.startedAt, run.finishedAt, now)}</td>
                <td>${Number(run.usage.costUsd).toFixed(4)}</td>
                <td>{run.commitSha ? <code title={run.commitSha}>{run.commitSha.slice(0, 7)}</code> : "–"}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
