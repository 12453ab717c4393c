import { useMutation, useQueryClient } from "@tanstack/react-query";
import { Link } from "@tanstack/react-router";
import { useState } from "react";
import { api, failure, ok } from "../api/client";
import {
  money, outcomeText, phaseLabels, rowFilters, triageText, visibleRows,
  type CampaignRow, type FleetCampaign, type RowFilter, type RowSort,
} from "./fleetFormat";

const columns: { key: RowSort; label: string }[] = [
  { key: "index", label: "#" },
  { key: "repository", label: "Repository" },
  { key: "phase", label: "Phase" },
  { key: "triage", label: "Triage" },
  { key: "outcome", label: "Run" },
  { key: "pullRequest", label: "Pull request" },
  { key: "cost", label: "Cost" },
];

/** The hand override of triage's answer: follow triage, or force the fix to run or to be skipped. */
function TriageOverride({ campaignId, row }: { campaignId: string; row: CampaignRow }) {
  const client = useQueryClient();
  const [owner, name] = row.repository.split("/");
  const change = useMutation({
    mutationFn: (necessary: boolean | null) =>
      ok(api.POST("/api/campaigns/{id}/repositories/{owner}/{name}/triage", { params: { path: { id: campaignId, owner, name } }, body: { necessary } })),
    onSuccess: (campaign) => client.setQueryData(["campaign", campaignId], campaign),
  });
  const value = row.triageOverride == null ? "" : row.triageOverride ? "yes" : "no";
  return (
    <>
      <select
        aria-label={`triage override for ${row.repository}`}
        value={value}
        disabled={change.isPending}
        onChange={(e) => change.mutate(e.target.value === "" ? null : e.target.value === "yes")}
      >
        <option value="">follow triage</option>
        <option value="yes">run the fix</option>
        <option value="no">skip it</option>
      </select>
      {change.isError && <span className="field-error" role="alert">{failure("The override", change.error)}</span>}
    </>
  );
}

/** The campaign's repositories: phase, triage answer (with the override for operators), run, verification, pull request, cost. */
export function CampaignRepositoriesTable({ campaign, canOperate }: { campaign: FleetCampaign; canOperate: boolean }) {
  const [filter, setFilter] = useState<RowFilter>("all");
  const [search, setSearch] = useState("");
  const [sort, setSort] = useState<{ key: RowSort; descending: boolean }>({ key: "index", descending: false });
  const rows = visibleRows(campaign.repositories, filter, search, sort.key, sort.descending);
  const final = campaign.phase === "done" || campaign.phase === "cancelled";
  const overridable = (row: CampaignRow) => canOperate && !final && (campaign.spec.triage ?? false) && (row.phase === "pending" || row.phase === "notNeeded");

  return (
    <section aria-labelledby="repositories-heading">
      <h2 id="repositories-heading">Repositories</h2>
      <div className="filters" role="group" aria-label="filter the repositories">
        <label>Show <select value={filter} onChange={(e) => setFilter(e.target.value as RowFilter)}>
          {rowFilters.map((f) => <option key={f.value} value={f.value}>{f.label}</option>)}
        </select></label>
        <label>Name <input type="search" value={search} onChange={(e) => setSearch(e.target.value)} placeholder="part of a name" /></label>
        <span className="note" role="status">{rows.length} of {campaign.repositories.length}</span>
      </div>
      <div className="table-scroll">
        <table className="results-table campaign-repositories">
          <caption className="sr-only">The campaign's repositories</caption>
          <thead>
            <tr>
              {columns.map((c) => (
                <th key={c.key} scope="col" aria-sort={sort.key === c.key ? (sort.descending ? "descending" : "ascending") : undefined}>
                  <button type="button" className="link" onClick={() => setSort({ key: c.key, descending: sort.key === c.key && !sort.descending })}>{c.label}</button>
                </th>
              ))}
              <th scope="col">Checks</th>
            </tr>
          </thead>
          <tbody>
            {rows.length === 0 && <tr><td colSpan={columns.length + 1}>None.</td></tr>}
            {rows.map((row) => (
              <tr key={row.repository} data-repository={row.repository}>
                <td>{Number(row.index) + 1}</td>
                <th scope="row">{row.repository}{row.canary && <> <span className="badge">canary</span></>}</th>
                <td>{phaseLabels[row.phase]}</td>
                <td>
                  <span title={row.triage?.reason ?? undefined}>{triageText(row)}</span>
                  {row.triage?.reason && <span className="note"> {row.triage.reason}</span>}
                  {overridable(row) && <div><TriageOverride campaignId={campaign.id} row={row} /></div>}
                </td>
                <td>{row.jobId ? <Link to="/jobs/$id" params={{ id: row.jobId }}>{outcomeText(row)}</Link> : outcomeText(row)}</td>
                <td>
                  {row.pullRequestUrl ? <a href={row.pullRequestUrl}>{row.pullRequestState ?? "opened"}</a>
                    : row.publishHeld ? <span className="badge badge-neutral">held (overlap)</span> : row.pullRequestState ?? "–"}
                  {row.notice && <span className="note"> {row.notice}</span>}
                </td>
                <td>{money(Number(row.costUsd) + Number(row.triageCostUsd))}</td>
                <td>{row.verification ?? "–"}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
