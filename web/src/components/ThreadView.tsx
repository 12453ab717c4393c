import { useState } from "react";

type Block = {
  type: string;
  text?: string;
  name?: string;
  input?: unknown;
  id?: string;
  tool_use_id?: string;
  content?: unknown;
  is_error?: boolean;
  thinking?: string;
  signature?: string;
  data?: string;
};
type Message = { role: string; content: string | Block[] };
type Usage = { inputTokens: number; outputTokens: number; cacheReadTokens: number; cacheWriteTokens: number; costUsd: number };
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
  incomplete?: boolean;
  clearedToolUses?: number;
  clearedTokens?: number;
};
export type Thread = { repository: string; model: string; entries: ThreadEntry[] };

const longResult = 600;

function Collapsible({ text, label }: { text: string; label: string }) {
  const [open, setOpen] = useState(text.length <= longResult);
  return (
    <div className="collapsible">
      <pre>{open ? text : `${text.slice(0, longResult)}…`}</pre>
      {text.length > longResult && (
        <button type="button" className="link" onClick={() => setOpen(!open)}>
          {open ? `Collapse ${label}` : `Show all ${text.length.toLocaleString("en-US")} characters`}
        </button>
      )}
    </div>
  );
}

function BlockView({ block }: { block: Block }) {
  switch (block.type) {
    case "text":
      return <p className="text">{block.text}</p>;
    case "tool_use":
      return (
        <div className="tool-call">
          <strong>→ {block.name}</strong>
          <pre>{JSON.stringify(block.input, null, 2)}</pre>
        </div>
      );
    case "thinking":
      // Collapsed: Claude's reasoning is long, and billed as output tokens (in the turn's "out").
      return (
        <details className="thinking">
          <summary>Thinking · {(block.thinking ?? "").length.toLocaleString("en-US")} characters, billed as output</summary>
          <pre>{block.thinking}</pre>
        </details>
      );
    case "redacted_thinking":
      return <p className="note thinking">Thinking redacted by Anthropic&apos;s safety systems (sent back to Claude unchanged).</p>;
    case "tool_result":
      return (
        <div className={`tool-result${block.is_error ? " error" : ""}`}>
          <strong>{block.is_error ? "✗ tool error" : "← tool result"}</strong>
          <Collapsible text={typeof block.content === "string" ? block.content : JSON.stringify(block.content, null, 2)} label="result" />
        </div>
      );
    default:
      return <pre>{JSON.stringify(block, null, 2)}</pre>;
  }
}

const usageLine = (u: Usage) =>
  `in ${u.inputTokens.toLocaleString("en-US")} · out ${u.outputTokens.toLocaleString("en-US")} · cache read ${u.cacheReadTokens.toLocaleString("en-US")} · cache write ${u.cacheWriteTokens.toLocaleString("en-US")} · $${Number(u.costUsd).toFixed(4)}`;

/** The conversation as Claude saw it: system prompt, messages, each turn's answer and tool results, usage per turn. */
export function ThreadView({ thread }: { thread: Thread }) {
  return (
    <ol className="thread">
      {thread.entries.map((entry, index) => (
        <li key={index} className={`entry entry-${entry.type}`}>
          {entry.type === "system" && (
            <>
              <h4>System prompt</h4>
              <Collapsible text={entry.system ?? ""} label="system prompt" />
            </>
          )}
          {entry.type === "request" &&
            entry.messages?.map((message, i) => (
              <div key={i} className={`message message-${message.role}`}>
                <h4>{message.role === "user" ? "User" : "Assistant"}{entry.turn ? ` · turn ${entry.turn}` : ""}</h4>
                {typeof message.content === "string" ? <p className="text">{message.content}</p> : message.content.map((b, j) => <BlockView key={j} block={b} />)}
              </div>
            ))}
          {entry.type === "response" && (
            <div className="message message-assistant">
              <h4>Claude · turn {entry.turn}</h4>
              {entry.content?.map((b, j) => <BlockView key={j} block={b} />)}
              {entry.usage && <p className="usage">{usageLine(entry.usage)}</p>}
            </div>
          )}
          {entry.type === "retry" && <p className="note">Retried after waiting {entry.waitSeconds}s: {entry.reason}</p>}
          {entry.type === "result" && <p className="note">Submitted: {entry.summary}</p>}
          {entry.type === "wrap_up" && <p className="note">Asked Claude to wrap up: {entry.reason}.</p>}
          {entry.type === "context_edit" && (
            <p className="note">
              Cleared {entry.clearedToolUses} old tool result{entry.clearedToolUses === 1 ? "" : "s"} (about {entry.clearedTokens?.toLocaleString("en-US")} tokens) from what is sent to Claude; they are kept here.
            </p>
          )}
          {entry.type === "stopped" && entry.incomplete && <p className="note warning">Incomplete: {entry.reason} The work so far is kept.</p>}
          {((entry.type === "stopped" && !entry.incomplete) || entry.type === "error") && <p className="note error">{entry.reason ?? entry.message}</p>}
        </li>
      ))}
    </ol>
  );
}
