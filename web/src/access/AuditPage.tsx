import { useQuery } from "@tanstack/react-query";
import { Link, useNavigate, useSearch } from "@tanstack/react-router";
import { useState } from "react";
import { api, ok } from "../api/client";
import type { components } from "../api/schema";
import { PageHeading } from "../ui/PageHeading";

type AuditPage = components["schemas"]["AuditPage"];


/** A `datetime-local` value (the browser's zone) as the API's instant, or undefined when empty or not a time. */
const instant = (local: string) => {
  const at = new Date(local);
  return local && !Number.isNaN(at.getTime()) ? at.toISOString() : undefined;
};
/** An instant as a `datetime-local` value in the browser's zone. */
const local = (iso?: string) => {
  if (!iso) return "";
  const at = new Date(iso);
  return Number.isNaN(at.getTime()) ? "" : new Date(at.getTime() - at.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
};

/** The audit log (admin): who did what, on which object, when, from where and how it ended; newest first, filtered, in pages. */
export function AuditPage() {
  const search = useSearch({ from: "/audit" });
  const navigate = useNavigate({ from: "/audit" });
  const [form, setForm] = useState({ actor: search.actor ?? "", action: search.action ?? "", target: search.target ?? "", since: local(search.since), until: local(search.until) });
  const page = useQuery({ queryKey: ["audit", search], queryFn: () => ok(api.GET("/api/audit", { params: { query: { ...search, limit: 50 } } })), retry: false });
  const set = (field: keyof typeof form) => (e: { target: { value: string } }) => setForm({ ...form, [field]: e.target.value });
  const filters = { actor: search.actor, action: search.action, target: search.target, since: search.since, until: search.until };

  return (
    <main className="wide">
      <PageHeading title="Audit log" />
      <p className="note">Every state-changing action: requests, schedule firings and pull request changes. Request bodies and secrets are never kept.</p>
      <form
        className="filters"
        role="search"
        aria-label="filter the audit log"
        onSubmit={(e) => {
          e.preventDefault();
          navigate({ search: { actor: form.actor.trim() || undefined, action: form.action.trim() || undefined, target: form.target.trim() || undefined, since: instant(form.since), until: instant(form.until) } });
        }}
      >
        <label>Who <input value={form.actor} onChange={set("actor")} placeholder="a key's name, schedule X, webhook" /></label>
        <label>Action <input value={form.action} onChange={set("action")} placeholder="CreateJob" /></label>
        <label>Object <input value={form.target} onChange={set("target")} placeholder="job 01k…, acme/api#12" /></label>
        <label>Since <input type="datetime-local" value={form.since} onChange={set("since")} /></label>
        <label>Until <input type="datetime-local" value={form.until} onChange={set("until")} /></label>
        <button type="submit">Filter</button>
      </form>
      {page.isPending && <p className="loading">Loading the audit log…</p>}
      {page.isError && <p className="error" role="alert">Could not load the audit log: {page.error.message}</p>}
      {page.data && page.data.items.length === 0 && <p className="empty">No entries{Object.values(filters).some(Boolean) ? " match" : " yet"}.</p>}
      {page.data && page.data.items.length > 0 && (
        <div className="table-scroll">
          <table className="results-table audit-table">
            <caption className="sr-only">Audit entries, newest first</caption>
            <thead>
              <tr><th scope="col">When</th><th scope="col">Who</th><th scope="col">Action</th><th scope="col">Object</th><th scope="col">Outcome</th><th scope="col">From</th><th scope="col">Detail</th></tr>
            </thead>
            <tbody>
              {page.data.items.map((e) => (
                <tr key={e.id}>
                  <td><time dateTime={e.at}>{new Date(e.at).toLocaleString()}</time></td>
                  <td>{e.actor}</td>
                  <td><code>{e.action}</code></td>
                  <td>{e.target ?? "–"}</td>
                  <td>{e.outcome}{e.status != null && ` (${e.status})`}</td>
                  <td>{e.address ?? "–"}</td>
                  <td>{e.detail ?? ""}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {(search.cursor || page.data?.nextCursor) && (
        <nav className="pager" aria-label="pages of the audit log">
          {search.cursor && <Link to="/audit" search={filters}>Newest</Link>}
          {page.data?.nextCursor && <Link to="/audit" search={{ ...filters, cursor: page.data.nextCursor }}>Older →</Link>}
        </nav>
      )}
    </main>
  );
}
