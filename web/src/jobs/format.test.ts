import { cost, elapsed, modelLabel, promptExcerpt, tokens, validateJob } from "./format";

describe("validateJob", () => {
  it("asks for a prompt and at least one repository", () => {
    expect(validateJob("  ", [])).toEqual({
      prompt: "Write a prompt: the instruction Claude follows in every repository.",
      repositories: "Pick at least one repository.",
    });
  });

  it("names the limit when more than five repositories are picked", () => {
    expect(validateJob("Fix", ["a/1", "a/2", "a/3", "a/4", "a/5", "a/6"]).repositories).toBe("A job takes at most 5 repositories; 6 are picked.");
  });

  it("accepts a prompt with one to five repositories", () => {
    expect(validateJob("Fix", ["a/1"])).toEqual({});
  });
});

describe("figures", () => {
  it("adds every kind of token and shows cost to a hundredth of a cent", () => {
    const usage = { inputTokens: 1000, outputTokens: 200, cacheReadTokens: 50, cacheWriteTokens: 10, costUsd: 0.006 };
    expect(tokens(usage)).toBe("1,260");
    expect(cost(usage)).toBe("$0.0060");
  });

  it("shows elapsed time as minutes and seconds", () => {
    expect(elapsed("2026-01-01T00:00:00Z", "2026-01-01T00:01:05Z")).toBe("1:05");
    expect(elapsed(null, null)).toBe("–");
  });
});

describe("modelLabel", () => {
  it("shows the name, the id and the list prices, or says the price is unknown", () => {
    expect(modelLabel({ id: "claude-sonnet-4-5-20250929", displayName: "Claude Sonnet 4.5", inputPerMillion: 3, outputPerMillion: 15 })).toBe(
      "Claude Sonnet 4.5 (claude-sonnet-4-5-20250929) · $3.00 in / $15.00 out per M tokens",
    );
    expect(modelLabel({ id: "claude-x", displayName: "Claude X", inputPerMillion: null, outputPerMillion: null })).toBe("Claude X (claude-x) · price unknown");
  });
});

describe("promptExcerpt", () => {
  it("keeps the words of a prompt, not its markdown, tags or blank lines", () => {
    expect(promptExcerpt("## Upgrade\n\n<task>\n- Move every package to lodash 4\n</task>\n---\n")).toBe("Upgrade Move every package to lodash 4");
  });

  it("cuts a long prompt at a word with an ellipsis, far past 18 characters", () => {
    const excerpt = promptExcerpt(`Replace the deprecated request library with the built-in fetch in every service ${"and more words ".repeat(20)}`, 60);
    expect(excerpt).toBe("Replace the deprecated request library with the built-in…");
    expect(excerpt.length).toBeLessThanOrEqual(61);
  });
});
