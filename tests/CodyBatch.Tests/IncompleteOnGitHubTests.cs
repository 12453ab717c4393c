using static CodyBatch.Testing.Anthropic.FakeReply;

namespace CodyBatch.Tests;

/// <summary>
/// The whole path of a run that runs out of turns: the real Claude agent against the fake Messages
/// API, the real GitHub host against the fake GitHub API, ending in a draft pull request.
/// </summary>
public sealed class IncompleteOnGitHubTests : ClaudeOnFakeGitHub
{
    protected override ClaudeOptions AgentOptions => new() { MaxTurns = 4, RetryBackoff = TimeSpan.FromSeconds(1) };

    [Fact]
    public async Task A_run_that_runs_out_of_turns_opens_a_draft_pull_request_marked_incomplete_with_the_edits_so_far()
    {
        GitHubApi.Add("octo", "app").With("README.md", "# App\n").With("src/old.txt", "legacy\n");
        Claude.Enqueue(
            Message(ToolUse("repository_overview", [])),
            Message(ToolUse("move_path", new JsonObject { ["from"] = "/repo/src/old.txt", ["to"] = "/repo/src/new.txt" })),
            Message(ToolUse("replace_all", new JsonObject { ["path"] = "/repo/README.md", ["old_str"] = "App", ["new_str"] = "Application" })),
            Message(ToolUse("find_files", new JsonObject { ["pattern"] = "**/*.txt" })));
        var client = Factory.CreateClient();

        var id = (await (await client.CreateJobAsync("octo/app")).JsonAsync())["id"]!.GetValue<string>();
        var job = await client.WaitForEndAsync(id);

        Assert.Empty(Claude.Problems);
        Assert.Empty(GitHubApi.Problems);
        var run = job["repositories"]![0]!;
        Assert.True(run["status"]!.GetValue<string>() == "incomplete", job.ToJsonString());
        Assert.StartsWith("Incomplete: The run used its 4 turns", run["summary"]!.GetValue<string>(), StringComparison.Ordinal);
        var patch = await client.GetStringAsync($"/api/jobs/{id}/repositories/octo/app/patch");
        Assert.Contains("rename from src/old.txt\nrename to src/new.txt", patch, StringComparison.Ordinal);
        Assert.Contains("+# Application", patch, StringComparison.Ordinal);
        var pull = Assert.Single(GitHubApi.PullRequests);
        Assert.True(pull["draft"]!.GetValue<bool>());
        Assert.StartsWith("[Incomplete] ", pull["title"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains("Incomplete: the agent ran out of its budget", pull["body"]!.GetValue<string>(), StringComparison.Ordinal);
        var files = GitHubApi.FilesOf(GitHubApi.Branch("octo/app", run["pullRequestBranch"]!.GetValue<string>())!);
        Assert.Equal("# Application\n", System.Text.Encoding.UTF8.GetString(files["README.md"].Content));
        Assert.True(files.ContainsKey("src/new.txt"));
        Assert.False(files.ContainsKey("src/old.txt"));
    }
}
