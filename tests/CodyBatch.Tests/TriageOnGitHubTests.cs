using static CodyBatch.Testing.Anthropic.FakeReply;

namespace CodyBatch.Tests;

/// <summary>
/// A triage job end to end: the real Claude agent against the fake Messages API, the real GitHub host
/// against the fake GitHub API. Claude is offered only tools that read, nothing is pushed, and the run
/// records the answer with its cost.
/// </summary>
public sealed class TriageOnGitHubTests : ClaudeOnFakeGitHub
{
    private static readonly string[] ReadOnlyTools = ["repository_overview", "search_code", "find_files", "read_file", "submit_result"];

    [Fact]
    public async Task A_triage_run_offers_only_reading_tools_pushes_nothing_and_records_the_answer_and_its_cost()
    {
        GitHubApi.Add("octo", "app").With("README.md", "# App\n").With("src/client.py", "import legacy_client\n");
        Claude.Enqueue(
            Message(ToolUse("repository_overview", [])),
            // Claude asks for a tool a triage run does not offer: it is refused, and nothing changes.
            Message(ToolUse("str_replace_based_edit_tool", new JsonObject { ["command"] = "create", ["path"] = "/repo/new.txt", ["file_text"] = "x" })),
            Message(ToolUse("read_file", new JsonObject { ["path"] = "/repo/src/client.py" })),
            Message(ToolUse("submit_result", new JsonObject { ["wereChangesNecessary"] = true, ["reason"] = "src/client.py imports legacy_client.", ["confidence"] = 0.9 })));
        var client = Factory.CreateClient();

        using var created = await client.PostAsJsonAsync("/api/jobs", new { prompt = "Remove the legacy client", repositories = new[] { "octo/app" }, mode = "triage" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var id = (await created.JsonAsync())["id"]!.GetValue<string>();
        var job = await client.WaitForEndAsync(id);

        Assert.Empty(Claude.Problems);
        Assert.Empty(GitHubApi.Problems);
        Assert.Equal("triage", job["mode"]!.GetValue<string>());
        Assert.Equal("claude-haiku-4-5", job["model"]!.GetValue<string>());
        Assert.True(Claude.Requests.Count == 4, job.ToJsonString());
        foreach (var request in Claude.Requests)
        {
            var tools = request.Body["tools"]!.AsArray().Select(t => t!["name"]!.GetValue<string>()).ToArray();
            Assert.Equal(ReadOnlyTools, tools);
            Assert.Equal("claude-haiku-4-5", request.Body["model"]!.GetValue<string>());
        }

        var refused = Claude.Requests[2].Body["messages"]!.AsArray()[^1]!["content"]![0]!;
        Assert.True(refused["is_error"]!.GetValue<bool>());
        Assert.Contains("There is no tool named \"str_replace_based_edit_tool\"", refused["content"]!.GetValue<string>(), StringComparison.Ordinal);

        var run = job["repositories"]![0]!;
        Assert.True(run["status"]!.GetValue<string>() == "succeeded", job.ToJsonString());
        Assert.True(run["triage"]!["necessary"]!.GetValue<bool>());
        Assert.Equal("src/client.py imports legacy_client.", run["triage"]!["reason"]!.GetValue<string>());
        Assert.Equal(0.9, run["triage"]!["confidence"]!.GetValue<double>());
        Assert.True(run["usage"]!["costUsd"]!.GetValue<decimal>() > 0);
        Assert.Null(run["patchUrl"]);
        Assert.Null(run["pullRequestUrl"]);
        Assert.NotNull(run["threadUrl"]);

        // Nothing was written to GitHub: no branch, commit, tree, blob or pull request.
        Assert.Empty(GitHubApi.PullRequests);
        Assert.DoesNotContain(GitHubApi.Requests, r => r.Method is not "GET" and not "HEAD");
    }

    [Fact]
    public async Task A_triage_job_that_names_a_model_runs_on_it_and_a_bad_mode_is_refused_with_the_choices()
    {
        GitHubApi.Add("octo", "lib").With("README.md", "# Lib\n");
        Claude.Enqueue(Message(ToolUse("submit_result", new JsonObject { ["wereChangesNecessary"] = false, ["reason"] = "Nothing uses it.", ["confidence"] = 0.6 })));
        var client = Factory.CreateClient();

        using var bad = await client.PostAsJsonAsync("/api/jobs", new { prompt = "x", repositories = new[] { "octo/lib" }, mode = "triages" });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("\"triage\"", (await bad.JsonAsync())["errors"]!["mode"]![0]!.GetValue<string>(), StringComparison.Ordinal);

        using var created = await client.PostAsJsonAsync("/api/jobs", new { prompt = "Remove the legacy client", repositories = new[] { "octo/lib" }, mode = "triage", model = "claude-sonnet-4-5" });
        var job = await client.WaitForEndAsync((await created.JsonAsync())["id"]!.GetValue<string>());

        Assert.Equal("claude-sonnet-4-5", Assert.Single(Claude.Requests).Body["model"]!.GetValue<string>());
        var triage = job["repositories"]![0]!["triage"]!;
        Assert.False(triage["necessary"]!.GetValue<bool>());
        Assert.Equal(0.6, triage["confidence"]!.GetValue<double>());
        Assert.Empty(GitHubApi.PullRequests);
    }
}
