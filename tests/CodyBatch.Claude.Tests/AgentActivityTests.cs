using System.Collections.Concurrent;
using CodyBatch.Core.Engine;
using static CodyBatch.Testing.Anthropic.FakeReply;

namespace CodyBatch.Claude.Tests;

public sealed class AgentActivityTests
{
    [Fact]
    public async Task Each_turn_and_tool_call_is_shown_as_the_runs_activity()
    {
        await using var harness = await AgentHarness.StartAsync();
        harness.Api.Enqueue(
            Message(ToolUse("search_code", new JsonObject { ["pattern"] = "query(", ["glob"] = "*.txt" })),
            Message(ToolUse("str_replace_based_edit_tool", new JsonObject { ["command"] = "view", ["path"] = "/repo/src/app.txt" })),
            Message(ToolUse("submit_result", new JsonObject { ["wereChangesNecessary"] = false, ["summary"] = "Nothing to do." })));
        var shown = new ConcurrentQueue<string?>();
        RunActivity.Current = new RunActivity(activity =>
        {
            shown.Enqueue(activity);
            return Task.CompletedTask;
        });

        var outcome = await harness.RunAsync();

        Assert.Empty(harness.Api.Problems);
        Assert.NotNull(outcome.Result);
        Assert.Equal(
            [
                "turn 1 · waiting for Claude",
                "turn 1 · search_code `query(`",
                "turn 2 · waiting for Claude",
                "turn 2 · str_replace_based_edit_tool view `/repo/src/app.txt`",
                "turn 3 · waiting for Claude",
                "turn 3 · submit_result",
            ],
            shown);
    }

    [Fact]
    public async Task Control_and_bidi_characters_claude_writes_are_shown_as_visible_escapes()
    {
        await using var harness = await AgentHarness.StartAsync();
        harness.Api.Enqueue(
            Message(ToolUse("search_code", new JsonObject { ["pattern"] = "\u001b]0;owned\u0007\u001b[2Jx\u202eyz" })),
            Message(ToolUse("submit_result", new JsonObject { ["wereChangesNecessary"] = false, ["summary"] = "Nothing to do." })));
        var shown = new ConcurrentQueue<string?>();
        RunActivity.Current = new RunActivity(activity =>
        {
            shown.Enqueue(activity);
            return Task.CompletedTask;
        });

        await harness.RunAsync();

        Assert.Contains(@"turn 1 · search_code `\u001b]0;owned\u0007\u001b[2Jx\u202eyz`", shown);
        Assert.DoesNotContain(shown, a => a!.Any(c => char.IsControl(c) || c == '\u202e'));
    }
}
