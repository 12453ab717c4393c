import type { Job, Run } from "../api/client";

/** A model as the picker shows it: name, id and list prices per million tokens (input / output). */
export const modelLabel = (m: { id: string; displayName: string; inputPerMillion?: number | string | null; outputPerMillion?: number | string | null }) =>
  m.inputPerMillion != null && m.outputPerMillion != null
    ? `${m.displayName} (${m.id}) · $${Number(m.inputPerMillion).toFixed(2)} in / $${Number(m.outputPerMillion).toFixed(2)} out per M tokens`
    : `${m.displayName} (${m.id}) · price unknown`;

export const finalRun = (status: Run["status"]) => status === "succeeded" || status === "incomplete" || status === "failed" || status === "cancelled";
export const finalJob = (status: Job["status"]) => status === "completed" || status === "failed" || status === "cancelled";

export const tokens = (usage: Run["usage"]) =>
  (Number(usage.inputTokens) + Number(usage.outputTokens) + Number(usage.cacheReadTokens) + Number(usage.cacheWriteTokens)).toLocaleString("en-US");

export const cost = (usage: Run["usage"]) => `$${Number(usage.costUsd).toFixed(4)}`;

export function elapsed(from?: string | null, to?: string | null, now = Date.now()) {
  if (!from) return "–";
  const seconds = Math.max(0, Math.round(((to ? Date.parse(to) : now) - Date.parse(from)) / 1000));
  return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, "0")}`;
}

/** What the new-job form can check before sending; the server checks again and has the last word. */
export function validateJob(prompt: string, repositories: string[], max = 5) {
  const errors: Record<string, string> = {};
  if (!prompt.trim()) errors.prompt = "Write a prompt: the instruction Claude follows in every repository.";
  if (repositories.length === 0) errors.repositories = "Pick at least one repository.";
  if (repositories.length > max) errors.repositories = `A job takes at most ${max} repositories; ${repositories.length} are picked.`;
  return errors;
}

/**
 * The meaningful part of a prompt for a one-glance list: markdown markers, tags and blank lines dropped,
 * whitespace collapsed, cut at a word near `max` characters with "…".
 */
export function promptExcerpt(prompt: string, max = 160): string {
  const text = prompt
    .split("\n")
    .map((line) => line.replace(/<\/?[A-Za-z][\w-]*>/g, " ").replace(/^\s*(?:#{1,6}\s+|[-*+>]\s+|\d+[.)]\s+)/, "").trim())
    .filter((line) => line.length > 0 && !/^[-=*_`~]{3,}$/.test(line))
    .join(" ")
    .replace(/\s+/g, " ")
    .trim();
  if (text.length <= max) return text;
  const cut = text.slice(0, max);
  const space = cut.lastIndexOf(" ");
  return `${(space > max * 0.6 ? cut.slice(0, space) : cut).replace(/[\s,;:.-]+$/, "")}…`;
}
