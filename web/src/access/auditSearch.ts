/** The audit page's filters as its address keeps them (instants in ISO 8601). */
export type AuditSearch = { actor?: string; action?: string; target?: string; since?: string; until?: string; cursor?: string };

export const auditFields = ["actor", "action", "target", "since", "until", "cursor"] as const;

export const validateAuditSearch = (search: Record<string, unknown>): AuditSearch =>
  Object.fromEntries(auditFields.flatMap((f) => (typeof search[f] === "string" && search[f] ? [[f, search[f]]] : []))) as AuditSearch;
