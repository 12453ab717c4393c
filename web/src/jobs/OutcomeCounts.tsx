import type { Outcomes } from "../api/client";

/** "2 succeeded (1 changed, 1 no change needed) · 1 failed · 1 running", leaving out what is zero. */
export function outcomeText(o: Outcomes) {
  const n = (v: number | string) => Number(v);
  const parts: string[] = [];
  if (n(o.succeeded) > 0) {
    const split = [n(o.changed) > 0 && `${n(o.changed)} changed`, n(o.noChangeNeeded) > 0 && `${n(o.noChangeNeeded)} no change needed`].filter(Boolean);
    parts.push(`${n(o.succeeded)} succeeded${split.length > 0 ? ` (${split.join(", ")})` : ""}`);
  }
  if (n(o.incomplete ?? 0) > 0) parts.push(`${n(o.incomplete)} incomplete`);
  if (n(o.failed) > 0) parts.push(`${n(o.failed)} failed`);
  if (n(o.cancelled) > 0) parts.push(`${n(o.cancelled)} cancelled`);
  if (n(o.running) > 0) parts.push(`${n(o.running)} running`);
  if (n(o.queued) > 0) parts.push(`${n(o.queued)} queued`);
  return parts.join(" · ") || "no runs";
}

export function OutcomeCounts({ outcomes }: { outcomes: Outcomes }) {
  return <span className="outcomes">{outcomeText(outcomes)}</span>;
}
