import { fireEvent, render, screen } from "@testing-library/react";
import { ThreadView, type Thread } from "./ThreadView";
import { buildItems, shellOutcome, summarize } from "./threadModel";

const hostile = "npm warn <img src=/x onerror=alert(1)> **deprecated**\nadded 1 package\n";
const shellThread: Thread = {
  repository: "octo/app",
  model: "claude-sonnet-4-5",
  entries: [
    {
      type: "response",
      turn: 1,
      content: [{ type: "tool_use", id: "b1", name: "bash", input: { command: "npm install lodash@4" } }],
      usage: { inputTokens: 1, outputTokens: 1, cacheReadTokens: 0, cacheWriteTokens: 0, costUsd: 0.001 },
    },
    { type: "shell", command: "npm install lodash@4", exitCode: 0, durationMs: 3200, limit: null, cutChars: 1500, output: hostile },
    { type: "request", turn: 2, messages: [{ role: "user", content: [{ type: "tool_result", tool_use_id: "b1", content: `${hostile}[exit code 0 · 3.2 s]` }] }] },
    {
      type: "response",
      turn: 2,
      content: [
        { type: "tool_use", id: "b2", name: "bash", input: { command: "sleep 999" } },
        { type: "tool_use", id: "b3", name: "bash", input: { restart: true } },
      ],
      usage: { inputTokens: 1, outputTokens: 1, cacheReadTokens: 0, cacheWriteTokens: 0, costUsd: 0.001 },
    },
    { type: "request", turn: 3, messages: [{ role: "user", content: [{ type: "tool_result", tool_use_id: "b2", content: "(no output)\n[no exit code · 180.0 s]\nstopped at the time limit of 3 min (CodyBatch:Shell:CommandTimeout)" }, { type: "tool_result", tool_use_id: "b3", content: "The shell was restarted." }] }] },
    { type: "shell", restart: true },
    { type: "shell", unavailable: "the check sandbox needs bubblewrap" },
  ],
};

describe("the shell in the thread", () => {
  it("says each command with how it ended, from its shell entry or the result's trailer", () => {
    const calls = buildItems(shellThread).flatMap((i) => (i.kind === "turn" ? i.calls : []));
    expect(calls.map((c) => c.summary)).toEqual([
      "$ npm install lodash@4 → exit 0 · 3.2 s",
      "$ sleep 999 → stopped · 180.0 s: stopped at the time limit of 3 min (CodyBatch:Shell:CommandTimeout)",
      "restart the shell",
    ]);
    expect(calls[0].shell?.cutChars).toBe(1500);
    // A command of several lines shows its first; the second "…" says it is still running.
    expect(summarize("bash", { command: "make\ntest" }, undefined, false)).toBe("$ make … …");
    expect(shellOutcome("out\n[exit code 2 · 0.4 s]")).toBe("exit 2 · 0.4 s");
  });

  it("shows the command line and its output as plain text, never as markup", () => {
    const { container } = render(<ThreadView thread={shellThread} />);
    fireEvent.click(screen.getByText("$ npm install lodash@4 → exit 0 · 3.2 s"));
    expect(container.querySelector("pre.shell-command")?.textContent).toBe("$ npm install lodash@4");
    expect(screen.getByText("exit 0 · 3.2 s · 1,500 characters of output cut from the middle")).toBeTruthy();
    expect(screen.getByText(/<img src=\/x onerror=alert\(1\)> \*\*deprecated\*\*/).tagName).toBe("PRE");
    expect(container.querySelector("img")).toBeNull();
    expect(container.querySelector("strong")).toBeNull();
    expect(screen.getByText("No shell in this run: the check sandbox needs bubblewrap")).toBeTruthy();
    // The restart's entry belongs to its call, so it is not said twice.
    expect(screen.queryByText("The shell was restarted.", { selector: "p" })).toBeNull();
  });
});
