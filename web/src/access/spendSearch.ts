/** Days as yyyy-MM-dd, both included; absent means the API's default (this UTC month). */
export type SpendSearch = { from?: string; to?: string };

const day = /^\d{4}-\d{2}-\d{2}$/;
export const validateSpendSearch = (search: Record<string, unknown>): SpendSearch => ({
  from: typeof search.from === "string" && day.test(search.from) ? search.from : undefined,
  to: typeof search.to === "string" && day.test(search.to) ? search.to : undefined,
});
