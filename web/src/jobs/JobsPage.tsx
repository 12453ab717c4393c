import { useQuery } from "@tanstack/react-query";
import { Link, useNavigate, useSearch } from "@tanstack/react-router";
import { useState } from "react";
import { api, ok, type JobStatus } from "../api/client";
import { usePermissions } from "../access/permissions";
import { CampaignCell } from "../campaigns/CampaignCell";
import { OutcomeCounts } from "./OutcomeCounts";
import { PageHeading } from "../ui/PageHeading";
import { JobStatusBadge } from "./StatusBadge";
import { finalJob, promptExcerpt } from "./format";

const statuses: JobStatus[] = ["queued", "running", "completed", "failed", "cancelled"];

export type JobsSearch = { status?: JobStatus; q?: string; cursor?: string };

export function JobsPage() {
  const search = useSearch({ from: "/" });
  const navigate = useNavigate({ from: "/" });
  const [text, setText] = useState(search.q ?? "");
  const can = usePermissions();
  const jobs = useQuery({
    queryKey: ["jobs", search.status, search.q, search.cursor],
    queryFn: () => ok(api.GET("/api/jobs", { params: { query: { limit: 20, status: search.status, q: search.q, cursor: search.cursor } } })),
    refetchInterval: (query) => (query.state.data?.items.some((j) => !finalJob(j.status)) ? 2000 : 10000),
  });

  return (
    <main>
      <div className="toolbar">
        <PageHeading title="Jobs" />
        {can.operate && <Link to="/new" className="button primary">New job</Link>}
      </div>
      <form
        className="filters"
        role="search"
        onSubmit={(e) => {
          e.preventDefault();
          navigate({ search: { status: search.status, q: text.trim() || undefined } });
        }}
      >
        <label>
          Status
          <select value={search.status ?? ""} onChange={(e) => navigate({ search: { q: search.q, status: (e.target.value || undefined) as JobStatus | undefined } })}>
            <option value="">All</option>
            {statuses.map((s) => <option key={s} value={s}>{s === "failed" ? "failed (any failed run)" : s}</option>)}
          </select>
        </label>
        <label>
          Search
          <input type="search" value={text} placeholder="prompt, title or repository" onChange={(e) => setText(e.target.value)} />
        </label>
        <button type="submit">Search</button>
      </form>
      {jobs.isPending && <p className="loading">Loading jobs…</p>}
      {jobs.isError && <p className="error" role="alert">Could not load jobs: {jobs.error.message}</p>}
      {jobs.data && jobs.data.items.length === 0 && <p className="empty">No jobs yet{search.status || search.q ? " match" : ""}.{can.operate && <> <Link to="/new">Create one</Link>.</>}</p>}
      {jobs.data && jobs.data.items.length > 0 && (
        <ul className="job-list">
          {jobs.data.items.map((job) => (
            <li key={job.id}>
              <Link to="/jobs/$id" params={{ id: job.id }} className="job-row">
                <span className="job-status"><JobStatusBadge job={job} /></span>
                <JobTitle title={job.title} prompt={job.prompt} truncated={job.promptTruncated} />
                <span className="progress">
                  {job.progress.finished} of {job.progress.total} done <small><OutcomeCounts outcomes={job.outcomes} /></small>
                </span>
                <CampaignCell job={job} />
                <time dateTime={job.createdAt}>{new Date(job.createdAt).toLocaleString()}</time>
              </Link>
            </li>
          ))}
        </ul>
      )}
      {(search.cursor || jobs.data?.nextCursor) && (
        <nav className="pager" aria-label="pages of jobs">
          {search.cursor && <Link to="/" search={{ status: search.status, q: search.q }}>Newest</Link>}
          {jobs.data?.nextCursor && <Link to="/" search={{ status: search.status, q: search.q, cursor: jobs.data.nextCursor }}>Older →</Link>}
        </nav>
      )}
    </main>
  );
}

/** The job's title, else the meaningful part of its prompt; the whole text in the tooltip and, on hover or focus, in the row. */
function JobTitle({ title, prompt, truncated }: { title: string | null; prompt: string; truncated: boolean }) {
  const excerpt = promptExcerpt(prompt);
  const full = `${title ? `${title}\n\n` : ""}${prompt}${truncated ? " (the whole prompt is on the job's page)" : ""}`;
  return (
    <span className="job-title" title={full}>
      {title ? <strong>{title}</strong> : <span className="excerpt">{excerpt}</span>}
      {title && excerpt && <span className="excerpt"> — {excerpt}</span>}
    </span>
  );
}
