using static CodyBatch.Testing.Anthropic.FakeReply;

namespace CodyBatch.Tests;

/// <summary>
/// A job's dollar budget end to end (the real agent against the fake Messages API, the real GitHub host against the
/// fake GitHub): a run stops gracefully when the job's budget is spent and keeps its work as a draft pull request; no
/// run of the job starts after that; a budget out of range is refused.
/// </summary>
public sealed class JobBudgetOnGitHubTests : ClaudeOnFakeGitHub
{
    protected override ClaudeOptions? AgentOptions => new() { MaxCostUsd = 5m, RetryBackoff = TimeSpan.FromSeconds(1) };

    [Fact]
    public async Task The_jobs_budget_stops_its_run_gracefully_and_no_run_starts_once_it_is_spent()
    {
        GitHubApi.Add("octo", "app").With("README.md", "# App\n");

        // One turn of 20,000 input tokens on Sonnet 4.5 costs $0.06: more than the job's $0.05.
        Claude.Enqueue(((MessageReply)Message(ToolUse("replace_all", new JsonObject { ["path"] = "/repo/README.md", ["old_str"] = "App", ["new_str"] = "Application" })))
            .WithUsage(new FakeUsage(20_000, 100)));
        var client = Factory.CreateClient();

        using var created = await client.PostAsJsonAsync("/api/jobs", new { prompt = "Rename the app", repositories = new[] { "octo/app" }, budgetUsd = 0.05m });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var id = (await created.JsonAsync())["id"]!.GetValue<string>();
        var job = await client.WaitForEndAsync(id);

        Assert.Empty(Claude.Problems);
        Assert.Equal(0.05m, job["budgetUsd"]!.GetValue<decimal>());
        var run = job["repositories"]![0]!;
        Assert.True(run["status"]!.GetValue<string>() == "incomplete", job.ToJsonString());
        Assert.StartsWith("Incomplete: The job's budget of $0.05 (budgetUsd) is spent: its runs have cost $0.06.", run["summary"]!.GetValue<string>(), StringComparison.Ordinal);
        var pull = Assert.Single(GitHubApi.PullRequests);
        Assert.True(pull["draft"]!.GetValue<bool>());
        Assert.Single(Claude.Requests);

        // A retry is a new run of the same job: it does not start, and says why.
        using var retried = await client.PostAsync($"/api/jobs/{id}/repositories/octo/app/retry", null);
        Assert.Equal(HttpStatusCode.OK, retried.StatusCode);
        job = await client.WaitForJobAsync(id, j => j["repositories"]![0]!["status"]!.GetValue<string>() == "failed");
        Assert.StartsWith(
            "Not started: the job's budget of $0.05 (budgetUsd) was spent ($0.06 across its runs) before this run began.",
            job["repositories"]![0]!["error"]!.GetValue<string>(),
            StringComparison.Ordinal);
        Assert.Single(Claude.Requests);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("10000.01")]
    [InlineData("-1")]
    public async Task A_budget_out_of_range_is_refused_with_the_range(string budget)
    {
        var client = Factory.CreateClient();

        using var response = await client.PostAsync(
            "/api/jobs",
            new StringContent($$"""{ "prompt": "x", "repositories": ["octo/app"], "budgetUsd": {{budget}} }""", System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("give between $0.01 and $10,000", (await response.JsonAsync())["errors"]!["budgetUsd"]![0]!.GetValue<string>(), StringComparison.Ordinal);
    }
}
