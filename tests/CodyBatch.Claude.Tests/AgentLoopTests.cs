using System.Text.Json.Nodes;
using CodyBatch.Core.Runs;
using CodyBatch.Testing.Anthropic;
using static CodyBatch.Testing.Anthropic.FakeReply;

namespace CodyBatch.Claude.Tests;

public sealed class AgentLoopTests
{
    private static JsonObject Edit(string command, string path, JsonObject? more = null)
    {
        var input = new JsonObject { ["command"] = command, ["path"] = path };
        foreach (var (key, value) in more ?? [])
        {
            input[key] = value?.DeepClone();
        }

        return ToolUse("str_replace_based_edit_tool", input);
    }

    private static JsonObject Submit(bool necessary, string summary) =>
        ToolUse("submit_result", new JsonObject { ["wereChangesNecessary"] = necessary, ["summary"] = summary, ["pullRequestTitle"] = "Friendlier greeting", ["pullRequestBody"] = "Says hello to the world." });

    [Fact]
    public async Task A_run_views_searches_edits_and_submits()
    {
        await using var harness = await AgentHarness.StartAsync();
        harness.Api.Enqueue(
            Message(Text("Let me look at the file."), Edit("view", "/repo/src/app.txt")),
            Message(ToolUse("search_code", new JsonObject { ["pattern"] = "hel+o", ["glob"] = "*.txt" })),
            Message(Edit("str_replace", "/repo/src/app.txt", new JsonObject { ["old_str"] = "hello", ["new_str"] = "hello, world" })),
            Message(Submit(true, "Made the greeting friendlier.")));

        var outcome = await harness.RunAsync();

        Assert.Empty(harness.Api.Problems);
        Assert.NotNull(outcome.Result);
        Assert.True(outcome.Result.WereChangesNecessary);
        Assert.Equal("Made the greeting friendlier.", outcome.Result.Summary);
        Assert.Equal("Friendlier greeting", outcome.Result.PullRequestTitle);
        Assert.Equal("hello, world\n", await File.ReadAllTextAsync(harness.Path("src/app.txt")));
        Assert.Equal(4, harness.Api.Requests.Count);
        Assert.Equal("     1\thello\n", harness.ToolResultsOf(1)[0]["content"]!.GetValue<string>());
        Assert.Equal("/repo/src/app.txt:1: hello\n", harness.ToolResultsOf(2)[0]["content"]!.GetValue<string>());
        Assert.StartsWith("The file /repo/src/app.txt has been edited.", harness.ToolResultsOf(3)[0]["content"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.All(harness.Api.Requests, r => Assert.True(r.Body["stream"]!.GetValue<bool>()));

        var billed = harness.Api.Requests.Aggregate(0L, (sum, r) => sum + r.Usage.InputTokens);
        Assert.Equal(billed, outcome.Usage.InputTokens);
        Assert.True(outcome.Usage.CostUsd > 0);
        Assert.Equal(outcome.Usage, harness.Reported[^1]);
    }
}
