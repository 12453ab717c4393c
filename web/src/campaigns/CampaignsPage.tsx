import { useQuery } from "@tanstack/react-query";
import { Link } from "@tanstack/react-router";
import { usePermissions } from "../access/permissions";
import { api, ok } from "../api/client";
import { PageHeading } from "../ui/PageHeading";
import { ProblemList } from "../ui/ProblemList";
import { money } from "./fleetFormat";

/** Fleet campaigns, newest first, with where each stands and why it waits. */
export function CampaignsPage() {
  const can = usePermissions();
  const list = useQuery({ queryKey: ["campaigns"], queryFn: () => ok(api.GET("/api/campaigns")), refetchInterval: 5000 });
  return (
    <main className="wide">
      <PageHeading title="Campaigns" />
      {can.operate && <p><Link to="/campaigns/new">New campaign</Link></p>}
      {list.isPending && <p className="loading">Loading campaigns…</p>}
      <ProblemList error={list.error} />
      {list.data && list.data.length === 0 && <p className="empty">No campaign yet.</p>}
      {list.data && list.data.length > 0 && (
        <div className="table-scroll">
          <table className="results-table">
            <caption className="sr-only">Campaigns, newest first</caption>
            <thead><tr><th scope="col">Campaign</th><th scope="col">Phase</th><th scope="col">Repositories</th><th scope="col">Budget</th><th scope="col">Created</th><th scope="col">Waiting</th></tr></thead>
            <tbody>
              {list.data.map((c) => (
                <tr key={c.id}>
                  <th scope="row"><Link to="/campaigns/$id" params={{ id: c.id }}>{c.title ?? c.id}</Link></th>
                  <td>{c.phaseText}{c.paused ? " (paused)" : ""}</td>
                  <td>{c.repositoryCount}</td>
                  <td>{c.budgetUsd == null ? "none" : money(c.budgetUsd)}</td>
                  <td>{new Date(c.createdAt).toLocaleString()}{c.author ? ` · ${c.author}` : ""}</td>
                  <td>{c.waiting ?? "–"}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </main>
  );
}
