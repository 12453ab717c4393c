import { useQuery } from "@tanstack/react-query";
import { Link } from "@tanstack/react-router";
import { api } from "../api/client";
import type { components } from "../api/schema";

export type Me = components["schemas"]["MeResponse"];

/** Who the API key belongs to (GET /api/me); undefined while unknown. */
export function useMe(): Me | undefined {
  return useQuery({ queryKey: ["me"], queryFn: () => api<Me>("/api/me"), retry: false, staleTime: 60_000 }).data;
}

/** The header's navigation and the caller's name and role; links a role cannot use are left out. */
export function SiteNav({ me }: { me: Me | undefined }) {
  // Until the answer comes, show what an operator sees: the API refuses what the role may not do anyway.
  const canOperate = me?.canOperate ?? true;
  return (
    <>
      <nav aria-label="main">
        <Link to="/">Jobs</Link>
        {canOperate && <Link to="/new">New job</Link>}
        <Link to="/prompts">Saved prompts</Link>
        <Link to="/schedules">Schedules</Link>
      </nav>
      {me && (
        <p className="identity" aria-label="signed in as">
          {me.name} <span className="badge">{me.role}</span>
        </p>
      )}
    </>
  );
}
