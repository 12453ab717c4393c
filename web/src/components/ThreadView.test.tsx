import { fireEvent, render, screen } from "@testing-library/react";
import { ThreadView, type Thread } from "./ThreadView";

const longResult = "x".repeat(2000);
const thread: Thread = {
  repository: "octo/app",
  model: "claude-sonnet-4-5",
  entries: [
    { type: "system", system: "You are a careful engineer." },
    { type: "request", turn: 1, messages: [{ role: "user", content: [{ type: "text", text: "<task>Fix it</task>" }] }] },
    {
      type: "response",
      turn: 1,
      content: [
        { type: "text", text: "Looking." },
        { type: "tool_use", id: "t1", name: "search_code", input: { pattern: "TODO" } },
      ],
      stopReason: "tool_use",
      usage: { inputTokens: 1200, outputTokens: 80, cacheReadTokens: 0, cacheWriteTokens: 3000, costUsd: 0.0125 },
    },
    { type: "request", turn: 2, messages: [{ role: "user", content: [{ type: "tool_result", tool_use_id: "t1", content: longResult }] }] },
    { type: "result", summary: "Nothing to fix." },
  ],
};

describe("ThreadView", () => {
  it("shows the system prompt, the messages, tool calls and usage per turn", () => {
    render(<ThreadView thread={thread} />);
    expect(screen.getByText("You are a careful engineer.")).toBeTruthy();
    expect(screen.getByText("<task>Fix it</task>")).toBeTruthy();
    expect(screen.getByText("→ search_code")).toBeTruthy();
    expect(screen.getByText(/"pattern": "TODO"/)).toBeTruthy();
    expect(screen.getByText("in 1,200 · out 80 · cache read 0 · cache write 3,000 · $0.0125")).toBeTruthy();
    expect(screen.getByText("Submitted: Nothing to fix.")).toBeTruthy();
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

  it("collapses long tool results until asked", () => {
    render(<ThreadView thread={thread} />);
    const shown = () => screen.getByText(/^x+…?$/).textContent!.length;
    expect(shown()).toBeLessThan(700);
    fireEvent.click(screen.getByRole("button", { name: "Show all 2,000 characters" }));
    expect(shown()).toBe(2000);
  });
});
