
namespace CodyBatch.Tests;

/// <summary>
/// Before a pull request opens, the open pull requests of the repository (from anyone) are read with their files from the
/// fake GitHub, paged as GitHub pages them: one that touches a file the change touches is noted on the run, or holds the
/// change as a patch that can be published later; one that does not overlap changes nothing.
/// </summary>
public sealed class OverlapOnGitHubTests : ServerOnFakeGitHub
{
    private static ScriptedCodeAgent Writing(string path, string content) => new(async (request, ct) =>
    {
        await File.WriteAllTextAsync(Path.Combine(request.WorkspacePath, path), content, ct);
        return AgentOutcome.Succeeded(new AgentResult(true, "Changed it.", "Change it", "Body."), TokenUsage.Zero);
    });

    private async Task<(HttpClient Client, JsonNode Job, JsonNode Run)> RunAsync(string overlap)
    {
        GitHubApi.Add("octo", "app").With("README.md", "# App\n").With("src/a.py", "a = 1\n").With("src/b.py", "b = 1\n");

        // Another author's open pull request, with more files than one page of its listing holds.
        var theirs = Enumerable.Range(1, 130).ToDictionary(i => $"docs/page{i:000}.md", i => (string?)$"page {i}\n");
        theirs["src/a.py"] = "a = 2\n";
        GitHubApi.OpenPullRequestAs("octo/app", "mallory", "feature/a", theirs);
        GitHubApi.OpenPullRequestAs("octo/app", "trent", "feature/b", new Dictionary<string, string?> { ["src/b.py"] = "b = 2\n" });
        Factory.Agent = Writing("src/a.py", "a = 3\n");
        var client = Factory.CreateClient();
        var created = await client.PostAsJsonAsync("/api/jobs", new { prompt = "Change a", repositories = new[] { "octo/app" }, publish = new { overlap } });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var job = await client.WaitForEndAsync((await created.JsonAsync())["id"]!.GetValue<string>());
        Assert.Empty(GitHubApi.Problems);
        var run = job["repositories"]![0]!;
        Assert.True(run["status"]!.GetValue<string>() == "succeeded", job.ToJsonString());
        return (client, job, run);
    }

    [Fact]
    public async Task Note_opens_the_pull_request_and_names_the_overlapping_one_but_not_the_other()
    {
        var (_, job, run) = await RunAsync("note");

        Assert.NotNull(run["pullRequestUrl"]);
        Assert.Equal(3, GitHubApi.PullRequests.Count);
        var notice = run["notice"]!.GetValue<string>();
        Assert.Contains("#1 by mallory (src/a.py) https://github.example/octo/app/pull/1", notice, StringComparison.Ordinal);
        Assert.DoesNotContain("#2", notice, StringComparison.Ordinal);
        Assert.Equal("note", job["publish"]!["overlap"]!.GetValue<string>());

        // The 131 files of #1 were read in two pages of 100, the second by the Link header's next address.
        Assert.Equal(2, GitHubApi.Requests.Count(r => r.Path == "/repos/octo/app/pulls/1/files"));
        Assert.Contains(GitHubApi.Requests, r => r.Path == "/repos/octo/app/pulls/1/files" && r.Query.Contains("page=2", StringComparison.Ordinal));
        Assert.Contains(GitHubApi.Requests, r => r.Path == "/repos/octo/app/pulls" && r.Query.Contains("state=open", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Hold_opens_nothing_keeps_the_patch_and_the_run_can_be_published_later()
    {
        var (client, job, run) = await RunAsync("hold");

        Assert.Null(run["pullRequestUrl"]);
        Assert.True(run["publishHeld"]!.GetValue<bool>());
        Assert.NotNull(run["patchUrl"]);
        Assert.Equal(2, GitHubApi.PullRequests.Count);
        Assert.DoesNotContain(GitHubApi.Requests, r => r.Method == "POST" && r.Path == "/repos/octo/app/pulls");
        var notice = run["notice"]!.GetValue<string>();
        Assert.StartsWith("Open pull request touches files this change touches: #1 by mallory (src/a.py)", notice, StringComparison.Ordinal);
        Assert.Contains("No pull request was opened (publish.overlap is hold)", notice, StringComparison.Ordinal);

        // Published later through the patch-only path: the pull request opens now, without the agent.
        var id = job["id"]!.GetValue<string>();
        using var published = await client.PostAsync($"/api/jobs/{id}/repositories/octo/app/publish", null);
        Assert.Equal(HttpStatusCode.OK, published.StatusCode);
        job = await client.WaitForJobAsync(id, j => j["repositories"]![0]!["pullRequestUrl"] is not null && j["status"]!.GetValue<string>() != "running");
        Assert.Equal(3, GitHubApi.PullRequests.Count);
        Assert.Equal("a = 3\n", System.Text.Encoding.UTF8.GetString(GitHubApi.FilesOf(GitHubApi.Branch("octo/app", job["repositories"]![0]!["pullRequestBranch"]!.GetValue<string>())!)["src/a.py"].Content));
    }

    [Fact]
    public async Task A_pull_request_that_touches_other_files_does_not_hold_the_change()
    {
        GitHubApi.Add("octo", "lib").With("README.md", "# Lib\n").With("src/c.py", "c = 1\n");
        GitHubApi.OpenPullRequestAs("octo/lib", "mallory", "feature/readme", new Dictionary<string, string?> { ["README.md"] = "# Library\n" });
        Factory.Agent = Writing("src/c.py", "c = 2\n");
        var client = Factory.CreateClient();

        var job = await RunJobAsync(client, new { prompt = "Change c", repositories = new[] { "octo/lib" }, publish = new { overlap = "hold" } });

        var run = job["repositories"]![0]!;
        Assert.NotNull(run["pullRequestUrl"]);
        Assert.Null(run["notice"]);
        Assert.False(run["publishHeld"]!.GetValue<bool>());
        Assert.Equal(2, GitHubApi.PullRequests.Count);
    }

    [Fact]
    public async Task An_unknown_overlap_choice_is_refused_with_the_choices()
    {
        var client = Factory.CreateClient();

        using var response = await client.PostAsJsonAsync("/api/jobs", new { prompt = "x", repositories = new[] { "octo/app" }, publish = new { overlap = "ignore" } });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("use note", (await response.JsonAsync())["errors"]!["publish.overlap"]![0]!.GetValue<string>(), StringComparison.Ordinal);
    }
}
