// The thread artifact (see the README) turned into what a reader follows: turns, each with Claude's
// text, its tool calls with their results underneath and a one-line summary, time and running cost.

export type Block = { type: string; text?: string; name?: string; input?: unknown; id?: string; tool_use_id?: string; content?: unknown; is_error?: boolean; thinking?: string; signature?: string; data?: string };
export type Message = { role: string; content: string | Block[] };
export type Usage = { inputTokens: number; outputTokens: number; cacheReadTokens: number; cacheWriteTokens: number; costUsd: number };
export type ThreadEntry = {
  type: string;
  at?: string;
  turn?: number;
  system?: string;
  messages?: Message[];
  content?: Block[];
  stopReason?: string;
  usage?: Usage;
  reason?: string;
  message?: string;
  summary?: string;
  waitSeconds?: number;
  attempt?: number;
  status?: number;
  incomplete?: boolean;
  clearedToolUses?: number;
  clearedTokens?: number;
  [field: string]: unknown;
};
export type Thread = { repository: string; model: string; entries: ThreadEntry[] };

export type ToolCall = { id: string; name: string; input: Record<string, unknown>; result?: string; isError: boolean; summary: string; edit?: { old: string; new: string } };
export type Item =
  | { kind: "system"; key: string; text: string }
  | { kind: "user"; key: string; turn?: number; text: string }
  | { kind: "turn"; key: string; turn: number; at?: string; seconds?: number; blocks: Block[]; calls: ToolCall[]; usage?: Usage; totalCost: number; stopReason?: string }
  | { kind: "note"; key: string; entry: ThreadEntry };

/** A tool result's content as text, whether a string or text blocks. */
export function resultText(content: unknown): string {
  if (typeof content === "string") return content;
  if (Array.isArray(content)) return content.map((b) => (typeof b === "object" && b && "text" in b ? String((b as Block).text ?? "") : JSON.stringify(b))).join("\n");
  return content == null ? "" : JSON.stringify(content, null, 2);
}

const repoPath = (path: unknown) => (typeof path === "string" ? path.replace(/^\/repo\/?/, "") || "/" : "");
const plural = (n: number, one: string, many = `${one}s`) => `${n.toLocaleString("en-US")} ${n === 1 ? one : many}`;
const lines = (text: string) => (text === "" ? 0 : text.replace(/\n$/, "").split("\n").length);

/** One line that says what a tool call did, e.g. "view src/app.ts → 180 lines" or "search `query(` → 12 matches". */
export function summarize(name: string, input: Record<string, unknown>, result: string | undefined, isError: boolean): string {
  const outcome = (what: string) => (result === undefined ? " …" : isError ? ` → error: ${result.split("\n")[0].slice(0, 120)}` : what);
  const command = typeof input.command === "string" ? input.command : "";
  const path = repoPath(input.path);
  switch (name) {
    case "str_replace_based_edit_tool":
      if (command === "view") {
        const listing = result !== undefined && !/^\s*\d+\t/.test(result);
        return `view ${path}${outcome(listing ? ` → ${plural(lines(result ?? ""), "entry", "entries")}` : ` → ${plural(lines(result ?? ""), "line")}`)}`;
      }
      if (command === "create") return `create ${path}${outcome(` → ${plural(lines(String(input.file_text ?? "")), "line")}`)}`;
      if (command === "insert") return `insert after line ${String(input.insert_line ?? "?")} of ${path}${outcome("")}`;
      if (command === "str_replace") return `edit ${path}${outcome("")}`;
      return `${command || name} ${path}${outcome("")}`.trim();
    case "search_code": {
      const matches = (result ?? "").split("\n").filter((l) => /^[^\s:][^:]*:\d+:/.test(l)).length;
      return `search \`${String(input.pattern ?? "")}\`${path ? ` in ${path}` : ""}${outcome(` → ${matches === 0 ? "no matches" : plural(matches, "match", "matches")}`)}`;
    }
    case "find_files":
      return `find \`${String(input.pattern ?? "")}\`${outcome(` → ${plural(lines(result ?? ""), "file")}`)}`;
    case "submit_result":
      return `submit result${outcome("")}`;
    default: {
      const first = Object.values(input).find((v) => typeof v === "string") as string | undefined;
      return `${name}${first ? ` ${repoPath(first)}` : ""}${outcome("")}`;
    }
  }
}

/** The entries as items: the system prompt, the task, one item per turn (tool results under their calls), and notes. */
export function buildItems(thread: Thread): Item[] {
  const results = new Map<string, { text: string; isError: boolean }>();
  for (const entry of thread.entries) {
    for (const message of entry.type === "request" ? entry.messages ?? [] : []) {
      if (typeof message.content === "string") continue;
      for (const block of message.content) {
        if (block.type === "tool_result" && block.tool_use_id) results.set(block.tool_use_id, { text: resultText(block.content), isError: !!block.is_error });
      }
    }
  }

  const items: Item[] = [];
  const requestAt = new Map<number, string>();
  let totalCost = 0;
  thread.entries.forEach((entry, index) => {
    const key = `${index}`;
    switch (entry.type) {
      case "system":
        items.push({ kind: "system", key, text: entry.system ?? "" });
        break;
      case "request":
        if (entry.turn !== undefined && entry.at) requestAt.set(entry.turn, entry.at);
        for (const message of entry.messages ?? []) {
          const texts = typeof message.content === "string" ? [message.content] : message.content.filter((b) => b.type === "text").map((b) => b.text ?? "");
          if (texts.length > 0) items.push({ kind: "user", key: `${key}-${items.length}`, turn: entry.turn, text: texts.join("\n\n") });
        }
        break;
      case "response": {
        const turn = entry.turn ?? 0;
        totalCost += Number(entry.usage?.costUsd ?? 0);
        const started = requestAt.get(turn);
        const seconds = started && entry.at ? Math.max(0, (Date.parse(entry.at) - Date.parse(started)) / 1000) : undefined;
        const calls = (entry.content ?? [])
          .filter((b) => b.type === "tool_use")
          .map((b): ToolCall => {
            const input = (b.input && typeof b.input === "object" ? b.input : {}) as Record<string, unknown>;
            const result = results.get(b.id ?? "");
            const edit = input.command === "str_replace" ? { old: String(input.old_str ?? ""), new: String(input.new_str ?? "") } : undefined;
            return { id: b.id ?? "", name: b.name ?? "", input, result: result?.text, isError: result?.isError ?? false, summary: summarize(b.name ?? "", input, result?.text, result?.isError ?? false), edit };
          });
        items.push({ kind: "turn", key, turn, at: entry.at, seconds, blocks: (entry.content ?? []).filter((b) => b.type !== "tool_use"), calls, usage: entry.usage, totalCost, stopReason: entry.stopReason });
        break;
      }
      default:
        items.push({ kind: "note", key, entry });
    }
  });
  return items;
}

/** All the text of an item, for search. */
export function itemText(item: Item): string {
  switch (item.kind) {
    case "system":
    case "user":
      return item.text;
    case "turn":
      return [...item.blocks.map((b) => b.text ?? b.thinking ?? ""), ...item.calls.flatMap((c) => [c.summary, JSON.stringify(c.input), c.result ?? ""])].join("\n");
    case "note":
      return JSON.stringify(item.entry);
  }
}
