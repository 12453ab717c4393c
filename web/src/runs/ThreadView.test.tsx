import { fireEvent, render, screen } from "@testing-library/react";
import { ThreadView, type Thread } from "./ThreadView";
import { buildItems, summarize } from "./threadModel";

const longResult = "x".repeat(2000);
const thread: Thread = {
  repository: "octo/app",
  model: "claude-sonnet-4-5",
  entries: [
    { type: "system", system: "You are a careful engineer." },
    { type: "request", turn: 1, at: "2026-11-01T00:00:00Z", messages: [{ role: "user", content: [{ type: "text", text: "<task>Fix it</task>" }] }] },
    {
      type: "response",
      turn: 1,
      at: "2026-11-01T00:00:04.5Z",
      content: [
        { type: "text", text: "Looking **closely**.\nSecond line." },
        { type: "tool_use", id: "t1", name: "search_code", input: { pattern: "TODO" } },
        { type: "tool_use", id: "t2", name: "find_files", input: { pattern: "*.ts" } },
      ],
      stopReason: "tool_use",
      usage: { inputTokens: 1200, outputTokens: 80, cacheReadTokens: 0, cacheWriteTokens: 3000, costUsd: 0.0125 },
    },
    {
      type: "request",
      turn: 2,
      messages: [{ role: "user", content: [{ type: "tool_result", tool_use_id: "t1", content: "src/a.ts:1: TODO\nsrc/b.ts:9: TODO\n" }, { type: "tool_result", tool_use_id: "t2", content: longResult }] }],
    },
    { type: "response", turn: 2, content: [{ type: "thinking", thinking: "hmm" }, { type: "mystery_block" }], usage: { inputTokens: 1, outputTokens: 1, cacheReadTokens: 0, cacheWriteTokens: 0, costUsd: 0.0025 } },
    { type: "something_new", detail: 1 },
    { type: "result", summary: "Nothing to fix." },
  ],
};

describe("ThreadView", () => {
  it("shows markdown, each tool result under its call with a summary, time and running cost per turn", () => {
    render(<ThreadView thread={thread} />);
    expect(screen.getByText("closely").tagName).toBe("STRONG");
    expect(screen.getByText("<task>Fix it</task>")).toBeTruthy();
    expect(screen.getByText("search `TODO` → 2 matches")).toBeTruthy();
    expect(screen.getByText("find `*.ts` → 1 file")).toBeTruthy();
    expect(screen.getByText(/· 4\.5 s/)).toBeTruthy();
    expect(screen.getByText(/\$0\.0025 \(total \$0\.0150\)/)).toBeTruthy();
    expect(screen.getByText("Submitted: Nothing to fix.")).toBeTruthy();
    expect(screen.getByText(/^Thinking · 3 characters/)).toBeTruthy();
    expect(screen.getByText("something_new")).toBeTruthy();
    expect(screen.getByText(/mystery_block/)).toBeTruthy();
  });

  it("collapses long tool results until asked, and searches", () => {
    render(<ThreadView thread={thread} />);
    const shown = () => screen.getByText(/^x+…?$/).textContent!.length;
    expect(shown()).toBeLessThan(700);
    fireEvent.click(screen.getByRole("button", { name: "Show all 2,000 characters" }));
    expect(shown()).toBe(2000);
    fireEvent.change(screen.getByLabelText("Search the thread"), { target: { value: "nothing to fix" } });
    expect(screen.getByText("1 of 6 entries match")).toBeTruthy();
  });

  it("shows thinking collapsed, redacted thinking as a note, and wrap-up, context edits and an incomplete end", () => {
    render(
      <ThreadView
        thread={{
          repository: "octo/app",
          model: "claude-sonnet-4-5",
          entries: [
            {
              type: "response",
              turn: 1,
              content: [
                { type: "thinking", thinking: "The config lives in settings.py.", signature: "c2ln" },
                { type: "redacted_thinking", data: "b3BhcXVl" },
                { type: "tool_use", id: "t1", name: "repository_overview", input: {} },
              ],
              stopReason: "tool_use",
              usage: { inputTokens: 10, outputTokens: 400, cacheReadTokens: 0, cacheWriteTokens: 0, costUsd: 0.006 },
            },
            { type: "context_edit", turn: 9, clearedToolUses: 4, clearedTokens: 41000 },
            { type: "wrap_up", turn: 51, reason: "this is turn 51 of at most 60" },
            { type: "stopped", reason: "The run used its 60 turns.", incomplete: true },
          ],
        }}
      />,
    );
    const details = screen.getByText(/^Thinking · 32 characters, billed as output$/).closest("details")!;
    expect(details.open).toBe(false);
    expect(details.textContent).toContain("The config lives in settings.py.");
    expect(screen.getByText(/Thinking redacted/)).toBeTruthy();
    expect(screen.getByText(/Cleared 4 old tool results \(about 41,000 tokens\)/)).toBeTruthy();
    expect(screen.getByText("Asked Claude to wrap up: this is turn 51 of at most 60.")).toBeTruthy();
    expect(screen.getByText("Incomplete: The run used its 60 turns. The work so far is kept.").className).toContain("warning");
  });

  it("summarizes each kind of tool call in one line", () => {
    expect(summarize("str_replace_based_edit_tool", { command: "str_replace", path: "/repo/a.ts" }, "ok", false)).toBe("edit a.ts");
    expect(summarize("search_code", { pattern: "query(" }, "No matches.", false)).toBe("search `query(` → no matches");
    expect(summarize("str_replace_based_edit_tool", { command: "view", path: "/repo/x" }, "Not found", true)).toBe("view x → error: Not found");
    expect(summarize("search_code", { pattern: "q" }, undefined, false)).toBe("search `q` …");
    expect(summarize("str_replace_based_edit_tool", { command: "view", path: "/repo/src/app.ts" }, "     1\ta\n     2\tb\n", false)).toBe("view src/app.ts → 2 lines");
    expect(summarize("str_replace_based_edit_tool", { command: "view", path: "/repo" }, "src/\nREADME.md\n", false)).toBe("view / → 2 entries");
    const edit = buildItems({ repository: "o/a", model: "m", entries: [{ type: "response", turn: 1, content: [{ type: "tool_use", id: "e", name: "str_replace_based_edit_tool", input: { command: "str_replace", path: "/repo/a", old_str: "a", new_str: "b" } }] }] });
    expect(edit[0].kind === "turn" && edit[0].calls[0].edit).toEqual({ old: "a", new: "b" });
  });
});
