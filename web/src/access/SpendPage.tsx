import { useQuery } from "@tanstack/react-query";
import { Link, useNavigate, useSearch } from "@tanstack/react-router";
import { useState } from "react";
import { api, ok } from "../api/client";
import type { components } from "../api/schema";
import { PageHeading } from "../ui/PageHeading";
import { SpendChart, usd } from "./SpendChart";

type Line = components["schemas"]["Line"];


const nextDay = (d: string) => new Date(Date.parse(d) + 86_400_000).toISOString().slice(0, 10);

function Lines({ caption, lines, name }: { caption: string; lines: Line[]; name: (l: Line) => React.ReactNode }) {
  return (
    <div className="table-scroll">
      <table className="results-table">
        <caption>{caption}</caption>
        <thead><tr><th scope="col">{caption.replace(/^Per /, "").replace(/^./, (c) => c.toUpperCase())}</th><th scope="col">Jobs</th><th scope="col">Cost</th></tr></thead>
        <tbody>
          {lines.length === 0 && <tr><td colSpan={3}>None.</td></tr>}
          {lines.map((l) => <tr key={l.name}><th scope="row">{name(l)}</th><td>{l.jobs}</td><td>{usd(Number(l.costUsd))}</td></tr>)}
        </tbody>
      </table>
    </div>
  );
}

/** What jobs cost, per key, campaign and day (GET /api/spend), with the server's monthly cap. */
export function SpendPage() {
  const search = useSearch({ from: "/spend" });
  const navigate = useNavigate({ from: "/spend" });
  const [form, setForm] = useState({ from: search.from ?? "", to: search.to ?? "" });
  const spend = useQuery({ queryKey: ["spend", search.from, search.to], queryFn: () => ok(api.GET("/api/spend", { params: { query: { from: search.from && `${search.from}T00:00:00Z`, to: search.to && `${nextDay(search.to)}T00:00:00Z` } } })), retry: false });
  const report = spend.data;
  const cap = report?.serverMonthlyCapUsd == null ? null : Number(report.serverMonthlyCapUsd);

  return (
    <main className="wide">
      <PageHeading title="Spend" />
      <form className="filters" aria-label="choose the days" onSubmit={(e) => { e.preventDefault(); navigate({ search: { from: form.from || undefined, to: form.to || undefined } }); }}>
        <label>From <input type="date" value={form.from} onChange={(e) => setForm({ ...form, from: e.target.value })} /></label>
        <label>To <input type="date" value={form.to} onChange={(e) => setForm({ ...form, to: e.target.value })} /></label>
        <button type="submit">Show</button>
      </form>
      {spend.isPending && <p className="loading">Loading spend…</p>}
      {spend.isError && <p className="error" role="alert">Could not load spend: {spend.error.message}</p>}
      {report && (
        <>
          <p className="totals">
            {usd(Number(report.totalUsd))} from {report.from.slice(0, 10)} to {new Date(Date.parse(report.to) - 1).toISOString().slice(0, 10)} (UTC days the jobs were created)
            {cap != null ? ` · server cap ${usd(cap)} a month` : " · no server cap"}
          </p>
          <SpendChart report={report} />
          <div className="spend-tables">
            <Lines caption="Per key" lines={report.byAuthor} name={(l) => l.name} />
            <Lines caption="Per campaign" lines={report.byCampaign} name={(l) => <Link to="/jobs/$id" params={{ id: l.name }}>{l.name}</Link>} />
            <Lines caption="Per day" lines={report.byDay} name={(l) => l.name} />
          </div>
        </>
      )}
    </main>
  );
}
