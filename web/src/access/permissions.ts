import { useQuery } from "@tanstack/react-query";
import { api, ok } from "../api/client";
import type { components } from "../api/schema";

export type Me = components["schemas"]["MeResponse"];

/** Who the API key belongs to (GET /api/me); undefined while unknown. */
export function useMe(): Me | undefined {
  return useQuery({ queryKey: ["me"], queryFn: () => ok(api.GET("/api/me")), retry: false, staleTime: 60_000 }).data;
}

/** What the caller's role may change: `operate` (create, cancel, retry, re-run, publish, close, merge, saved prompts), `administer` (also keys, schedules, the audit log). */
export type Permissions = { operate: boolean; administer: boolean };

/** Until GET /api/me answers, nothing that changes state is offered: a control that appears beats one that vanishes on a 403. */
export function permissionsOf(me: Me | undefined): Permissions {
  return { operate: me?.canOperate ?? false, administer: me?.canAdminister ?? false };
}

export const usePermissions = (): Permissions => permissionsOf(useMe());
