import { useVirtualizer } from "@tanstack/react-virtual";
import { useId, useMemo, useRef, useState } from "react";
import Markdown from "../ui/Markdown";
import { buildItems, itemText, shellOutcome, type Block, type Item, type ShellRun, type Thread, type ToolCall } from "./threadModel";

export type { Thread, ThreadEntry } from "./threadModel";

const longText = 600;
const money = (n: number) => `$${n.toFixed(4)}`;

function Collapsible({ text, label }: { text: string; label: string }) {
  const [open, setOpen] = useState(text.length <= longText);
  return (
    <div className="collapsible">
      <pre>{open ? text : `${text.slice(0, longText)}…`}</pre>
      {text.length > longText && (
        <button type="button" className="link" onClick={() => setOpen(!open)}>
          {open ? `Collapse ${label}` : `Show all ${text.length.toLocaleString("en-US")} characters`}
        </button>
      )}
    </div>
  );
}

function EditDiff({ edit }: { edit: { old: string; new: string } }) {
  return (
    <pre className="edit-diff" aria-label="the edit">
      {edit.old.split("\n").map((l, i) => <span key={`o${i}`} className="del">- {l}{"\n"}</span>)}
      {edit.new.split("\n").map((l, i) => <span key={`n${i}`} className="ins">+ {l}{"\n"}</span>)}
    </pre>
  );
}

/** A shell command as a terminal shows it: the command line, then its output; all of it plain text (the repository's and Claude's words, never markup). */
function ShellView({ shell, result }: { shell?: ShellRun; result?: string }) {
  const output = shell?.output ?? result;
  return (
    <>
      {shell?.command !== undefined && <pre className="shell-command">$ {shell.command}</pre>}
      {shell && shellOutcome(undefined, shell) && <p className="shell-outcome">{shellOutcome(undefined, shell)}{shell.cutChars ? ` · ${Number(shell.cutChars).toLocaleString("en-US")} characters of output cut from the middle` : ""}</p>}
      {output !== undefined && output !== "" && <Collapsible text={output} label="output" />}
    </>
  );
}

function CallView({ call }: { call: ToolCall }) {
  if (call.name === "bash") {
    const command = typeof call.input.command === "string" ? call.input.command : undefined;
    return (
      <details className={`tool-call shell${call.isError ? " error" : ""}`}>
        <summary><span className="tool-name">shell</span> <span className="tool-summary">{call.summary}</span></summary>
        {call.shell ? <ShellView shell={call.shell} /> : (
          <>
            {command !== undefined && <pre className="shell-command">$ {command}</pre>}
            {call.result !== undefined && <Collapsible text={call.result} label="output" />}
          </>
        )}
      </details>
    );
  }
  return (
    <details className={`tool-call${call.isError ? " error" : ""}`}>
      <summary><span className="tool-name">{call.name}</span> <span className="tool-summary">{call.summary}</span></summary>
      {call.edit ? <EditDiff edit={call.edit} /> : <pre>{JSON.stringify(call.input, null, 2)}</pre>}
      {call.result !== undefined && <Collapsible text={call.result} label="result" />}
    </details>
  );
}

function BlockView({ block }: { block: Block }) {
  if (block.type === "text") return <Markdown text={block.text ?? ""} />;
  if (block.type === "thinking")
    // Collapsed: Claude's reasoning is long, and billed as output tokens (in the turn's "out").
    return (
      <details className="thinking">
        <summary>Thinking · {(block.thinking ?? "").length.toLocaleString("en-US")} characters, billed as output</summary>
        <pre>{block.thinking}</pre>
      </details>
    );
  if (block.type === "redacted_thinking") return <p className="note thinking">Thinking redacted by Anthropic&apos;s safety systems (sent back to Claude unchanged).</p>;
  // Content this page does not know yet is shown as it is.
  return <Collapsible text={JSON.stringify(block, null, 2)} label={block.type} />;
}

function ItemView({ item }: { item: Item }) {
  switch (item.kind) {
    case "system":
      return (
        <details className="entry-system">
          <summary>System prompt</summary>
          <Collapsible text={item.text} label="system prompt" />
        </details>
      );
    case "user":
      return (
        <div className="message message-user">
          <h4>User{item.turn ? ` · turn ${item.turn}` : ""}</h4>
          <pre className="task">{item.text}</pre>
        </div>
      );
    case "turn":
      return (
        <div className="message message-assistant">
          <h4>
            Claude · turn {item.turn}
            {item.seconds !== undefined && <span className="turn-time"> · {item.seconds.toFixed(1)} s</span>}
            <span className="turn-cost"> · {money(Number(item.usage?.costUsd ?? 0))} (total {money(item.totalCost)})</span>
          </h4>
          {item.blocks.map((b, j) => <BlockView key={j} block={b} />)}
          {item.calls.map((c) => <CallView key={c.id} call={c} />)}
          {item.usage && (
            <p className="usage">
              in {Number(item.usage.inputTokens).toLocaleString("en-US")} · out {Number(item.usage.outputTokens).toLocaleString("en-US")} · cache read{" "}
              {Number(item.usage.cacheReadTokens).toLocaleString("en-US")} · cache write {Number(item.usage.cacheWriteTokens).toLocaleString("en-US")}
            </p>
          )}
        </div>
      );
    case "note": {
      const e = item.entry;
      if (e.type === "retry") return <p className="note">Turn {e.turn}: retried after waiting {e.waitSeconds}s: {e.reason}</p>;
      if (e.type === "result") return <p className="note">Submitted: {e.summary}</p>;
      if (e.type === "wrap_up") return <p className="note">Asked Claude to wrap up: {e.reason}.</p>;
      if (e.type === "context_edit")
        return (
          <p className="note">
            Cleared {e.clearedToolUses} old tool result{e.clearedToolUses === 1 ? "" : "s"} (about {e.clearedTokens?.toLocaleString("en-US")} tokens) from what is sent to Claude; they are kept here.
          </p>
        );
      if (e.type === "stopped" && e.incomplete) return <p className="note warning">Incomplete: {e.reason} The work so far is kept.</p>;
      if (e.type === "stopped" || e.type === "error") return <p className="note error">{e.reason ?? e.message}</p>;
      if (e.type === "shell" && typeof e.unavailable === "string") return <p className="note">No shell in this run: {e.unavailable}</p>;
      if (e.type === "shell" && e.restart === true) return <p className="note">The shell was restarted.</p>;
      if (e.type === "shell" && typeof e.command === "string")
        return (
          <details className="note tool-call shell">
            <summary>shell: $ {e.command.split("\n")[0]} → {shellOutcome(undefined, e as ShellRun)}</summary>
            <ShellView shell={e as ShellRun} />
          </details>
        );
      return (
        <details className="note">
          <summary>{e.type}</summary>
          <pre>{JSON.stringify(e, null, 2)}</pre>
        </details>
      );
    }
  }
}

/** How many items a thread may have before it is virtualized (only what is on screen is built). */
export const virtualizeAbove = 40;

/** The conversation as Claude saw it: turns with markdown, tool calls with their results and summaries, time and cost per turn; searchable, with a jump to any turn. */
export function ThreadView({ thread }: { thread: Thread }) {
  const items = useMemo(() => buildItems(thread), [thread]);
  const [query, setQuery] = useState("");
  const searchId = useId();
  const shown = useMemo(() => {
    const q = query.trim().toLowerCase();
    return q ? items.filter((i) => itemText(i).toLowerCase().includes(q)) : items;
  }, [items, query]);
  const turns = items.filter((i) => i.kind === "turn").map((i) => (i as { turn: number }).turn);
  const scroller = useRef<HTMLDivElement>(null);
  const virtual = shown.length > virtualizeAbove;
  const virtualizer = useVirtualizer({ count: virtual ? shown.length : 0, getScrollElement: () => scroller.current, estimateSize: () => 160, overscan: 6 });

  const jump = (turn: number) => {
    const index = shown.findIndex((i) => i.kind === "turn" && i.turn === turn);
    if (index < 0) return;
    if (virtual) virtualizer.scrollToIndex(index, { align: "start" });
    else scroller.current?.querySelector(`[data-index="${index}"]`)?.scrollIntoView({ block: "start" });
  };

  return (
    <div className="thread-view">
      <div className="thread-tools">
        <label htmlFor={searchId}>Search the thread</label>
        <input id={searchId} type="search" value={query} onChange={(e) => setQuery(e.target.value)} />
        {turns.length > 0 && (
          <label>
            Jump to turn{" "}
            <select defaultValue="" onChange={(e) => e.target.value && jump(Number(e.target.value))}>
              <option value="">–</option>
              {turns.map((t) => <option key={t} value={t}>{t}</option>)}
            </select>
          </label>
        )}
        <span className="note" aria-live="polite">{query.trim() ? `${shown.length} of ${items.length} entries match` : `${items.length} entries`}</span>
      </div>
      <div className={`thread${virtual ? " virtual" : ""}`} ref={scroller} tabIndex={virtual ? 0 : undefined} aria-label={virtual ? "thread entries" : undefined} role={virtual ? "region" : undefined}>
        {virtual ? (
          <ol style={{ height: virtualizer.getTotalSize(), position: "relative" }}>
            {virtualizer.getVirtualItems().map((row) => (
              <li key={shown[row.index].key} data-index={row.index} ref={virtualizer.measureElement} className="entry" style={{ position: "absolute", top: 0, left: 0, width: "100%", transform: `translateY(${row.start}px)` }}>
                <ItemView item={shown[row.index]} />
              </li>
            ))}
          </ol>
        ) : (
          <ol>
            {shown.map((item, index) => (
              <li key={item.key} data-index={index} className="entry">
                <ItemView item={item} />
              </li>
            ))}
          </ol>
        )}
      </div>
    </div>
  );
}
