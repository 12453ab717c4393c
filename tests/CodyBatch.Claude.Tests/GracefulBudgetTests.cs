using CodyBatch.Core.Agent;
using static CodyBatch.Testing.Anthropic.FakeReply;

namespace CodyBatch.Claude.Tests;

/// <summary>Budgets end a run gracefully: one wrap-up request near the limit, and an incomplete run that keeps its edits.</summary>
public sealed class GracefulBudgetTests
{
    private static bool HasWrapUp(FakeRequest request) =>
        request.Body["messages"]!.AsArray()[^1]!["content"]!.AsArray().Any(b => b!["text"]?.GetValue<string>().StartsWith("Budget notice from Cody Batch", StringComparison.Ordinal) == true);

    [Fact]
    public async Task The_wrap_up_message_is_sent_once_at_the_turn_threshold_and_a_run_that_still_runs_out_is_incomplete_with_its_edits()
    {
        await using var harness = await AgentHarness.StartAsync(options: new ClaudeOptions { MaxTurns = 10, WrapUpShare = 0.85 });
        var edits = 0;
        harness.Api.Fallback = _ => Message(ToolUse("str_replace_based_edit_tool", new JsonObject
        {
            ["command"] = "insert", ["path"] = "/repo/src/app.txt", ["insert_line"] = 0, ["insert_text"] = $"edit {++edits}",
        }));

        var outcome = await harness.RunAsync();

        Assert.Empty(harness.Api.Problems);
        Assert.Equal(10, harness.Api.Requests.Count);
        Assert.Equal([9], harness.Api.Requests.Select((r, i) => (r, i)).Where(p => HasWrapUp(p.r)).Select(p => p.i + 1));
        var notice = harness.Api.Requests[8].Body["messages"]!.AsArray()[^1]!["content"]!.AsArray()[^1]!["text"]!.GetValue<string>();
        Assert.Contains("this is turn 9 of at most 10", notice, StringComparison.Ordinal);
        Assert.Contains("call submit_result", notice, StringComparison.Ordinal);

        Assert.True(outcome.IsIncomplete);
        Assert.Null(outcome.Result);
        Assert.Equal("The run used its 10 turns (CodyBatch:Agent:MaxTurns) without Claude submitting a result.", outcome.FailureReason);
        Assert.StartsWith("edit 10\nedit 9\n", await File.ReadAllTextAsync(harness.Path("src/app.txt")), StringComparison.Ordinal);
        Assert.Contains("+edit 10", await harness.Workspace.CreatePatchAsync(CancellationToken.None), StringComparison.Ordinal);

        var entries = harness.ThreadJson()["entries"]!.AsArray();
        Assert.Single(entries, e => e!["type"]!.GetValue<string>() == "wrap_up");
        Assert.True(entries[^1]!["incomplete"]!.GetValue<bool>());
    }

    [Fact]
    public async Task A_run_that_wraps_up_in_time_submits_normally()
    {
        await using var harness = await AgentHarness.StartAsync(options: new ClaudeOptions { MaxTurns = 4, WrapUpShare = 0.5 });
        harness.Api.Enqueue(
            Message(ToolUse("repository_overview", [])),
            Message(ToolUse("str_replace_based_edit_tool", new JsonObject { ["command"] = "view", ["path"] = "/repo/src/app.txt" })),
            Message(ToolUse("submit_result", new JsonObject { ["wereChangesNecessary"] = false, ["summary"] = "Stopped early as asked." })));

        var outcome = await harness.RunAsync();

        Assert.NotNull(outcome.Result);
        Assert.False(outcome.IsIncomplete);
        Assert.False(HasWrapUp(harness.Api.Requests[0]));
        Assert.True(HasWrapUp(harness.Api.Requests[1]));
        Assert.False(HasWrapUp(harness.Api.Requests[2]));
    }

    [Fact]
    public async Task The_token_budget_share_asks_for_the_wrap_up_and_the_cap_ends_the_run_incomplete()
    {
        await using var harness = await AgentHarness.StartAsync(options: new ClaudeOptions { MaxTokens = 9_000, WrapUpShare = 0.6 });
        harness.Api.Fallback = _ => Message(ToolUse("str_replace_based_edit_tool", new JsonObject { ["command"] = "view", ["path"] = "/repo/src/app.txt" }));

        var outcome = await harness.RunAsync();

        Assert.True(outcome.IsIncomplete);
        Assert.Matches(@"^The run used [\d,]+ tokens, its budget of 9,000 \(CodyBatch:Agent:MaxTokens\)", outcome.FailureReason);
        var wrapUps = harness.Api.Requests.Where(HasWrapUp).ToList();
        Assert.Single(wrapUps);
        Assert.Contains("tokens", wrapUps[0].Body["messages"]!.AsArray()[^1]!["content"]!.AsArray()[^1]!["text"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Runs_of_one_job_share_the_cached_prefix_the_first_writes_it_and_the_others_read_it(bool share)
    {
        await using var harness = await AgentHarness.StartAsync(options: new ClaudeOptions { ShareJobPrefix = share });
        harness.Api.TimeToFirstToken = TimeSpan.FromMilliseconds(300);
        for (var i = 0; i < 5; i++)
        {
            harness.Api.Enqueue(Message(ToolUse("submit_result", new JsonObject { ["wereChangesNecessary"] = false, ["summary"] = "Fine." })));
        }

        var outcomes = await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => harness.RunAsync("Upgrade the logging library to v3")));

        Assert.Empty(harness.Api.Problems);
        Assert.All(outcomes, o => Assert.NotNull(o.Result));
        var usages = harness.Api.Requests.Select(r => r.Usage).ToList();
        Assert.Equal(5, usages.Count);
        var prefix = usages.Max(u => u.CacheWriteTokens);
        Assert.True(prefix > 1_024, $"the shared prefix is {prefix} tokens, too short to cache");
        if (share)
        {
            Assert.Single(usages, u => u.CacheWriteTokens > 0);
            Assert.Equal(4, usages.Count(u => u.CacheReadTokens == prefix && u.CacheWriteTokens == 0));
        }
        else
        {
            // Started together, each run pays to write the same prefix: what the shared start avoids.
            Assert.Equal(5, usages.Count(u => u.CacheWriteTokens == prefix));
        }
    }
}
