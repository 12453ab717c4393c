import type { components } from "../api/schema";

// The thread artifact (see the README) turned into what a reader follows: turns, each with Claude's
// text, its tool calls with their results underneath and a one-line summary, time and running cost.

type Schemas = components["schemas"];
export type Block = Schemas["ThreadBlock"];
export type Message = Schemas["ThreadMessage"];
export type Usage = Schemas["UsageResponse"];
export type ThreadEntry = Schemas["ThreadEntry"];
export type Thread = Schemas["ThreadResponse"];

/** One command of Claude's shell as the thread's `shell` entry records it (or a restart). */
export type ShellRun = Pick<ThreadEntry, "command" | "restart" | "exitCode" | "durationMs" | "limit" | "cutChars" | "output">;
export type ToolCall = { id: string; name: string; input: Record<string, unknown>; result?: string; isError: boolean; summary: string; edit?: { old: string; new: string }; shell?: ShellRun };
export type Item =
  | { kind: "system"; key: string; text: string }
  | { kind: "user"; key: string; turn?: number; text: string }
  | { kind: "turn"; key: string; turn: number; at?: string | null; seconds?: number; blocks: Block[]; calls: ToolCall[]; usage?: Usage | null; totalCost: number; stopReason?: string | null }
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

const firstLine = (text: string) => {
  const line = text.trim().split("\n")[0];
  return text.trim().includes("\n") ? `${line} …` : line;
};

/** How a shell command ended, from its `shell` entry or else from the trailer the bash tool puts on its result ("[exit code 1 · 2.5 s]"). */
export function shellOutcome(result: string | undefined, shell?: ShellRun): string | undefined {
  if (shell && shell.command != null) {
    const seconds = `${(Number(shell.durationMs ?? 0) / 1000).toFixed(1)} s`;
    if (shell.limit) return `stopped · ${seconds}: ${shell.limit}`;
    return shell.exitCode == null ? `no exit code · ${seconds}` : `exit ${shell.exitCode} · ${seconds}`;
  }
  const trailer = /\[(?:exit code (-?\d+)|no exit code) · ([\d.]+ s)\](?:\n(.+))?\s*$/.exec(result ?? "");
  if (!trailer) return undefined;
  if (trailer[3]) return `stopped · ${trailer[2]}: ${trailer[3]}`;
  return trailer[1] === undefined ? `no exit code · ${trailer[2]}` : `exit ${trailer[1]} · ${trailer[2]}`;
}

/** A message's content as blocks: a plain string has none. */
const blocksOf = (content: unknown): Block[] => (Array.isArray(content) ? (content as Block[]) : []);

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
    case "bash": {
      if (input.restart === true) return `restart the shell${outcome("")}`;
      const ended = shellOutcome(result);
      return `$ ${firstLine(command)}${outcome(ended ? ` → ${ended}` : "")}`;
    }
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
      for (const block of blocksOf(message.content)) {
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
        if (entry.turn != null && entry.at) requestAt.set(Number(entry.turn), entry.at);
        for (const message of entry.messages ?? []) {
          const texts = typeof message.content === "string" ? [message.content] : blocksOf(message.content).filter((b) => b.type === "text").map((b) => b.text ?? "");
          if (texts.length > 0) items.push({ kind: "user", key: `${key}-${items.length}`, turn: entry.turn == null ? undefined : Number(entry.turn), text: texts.join("\n\n") });
        }
        break;
      case "response": {
        const turn = Number(entry.turn ?? 0);
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
      case "shell":
        // A command's record goes under the bash call that ran it; one with no call (or "no shell") stays a note.
        if (!attachShell(items, entry)) items.push({ kind: "note", key, entry });
        break;
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

/** Puts a `shell` entry on the latest bash call of the thread that has none yet and ran the same command (or a restart). */
function attachShell(items: Item[], shell: ShellRun): boolean {
  if (shell.command == null && shell.restart !== true) return false;
  for (let i = items.length - 1; i >= 0; i--) {
    const item = items[i];
    if (item.kind !== "turn") continue;
    const call = item.calls.find((c) => c.name === "bash" && !c.shell && (shell.restart === true ? c.input.restart === true : c.input.command === shell.command));
    if (!call) return false;
    call.shell = shell;
    if (shell.command != null) call.summary = `$ ${firstLine(shell.command)} → ${shellOutcome(call.result, shell)}`;
    return true;
  }
  return false;
}
