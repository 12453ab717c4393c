namespace CodyBatch.Tests.PullRequests;

/// <summary>Re-runs update the campaign's pull request and never open a duplicate; bulk actions act on GitHub.</summary>
public sealed class CampaignTests : IAsyncLifetime
{
    private readonly CampaignHost _host = new();

    public Task InitializeAsync() => _host.InitializeAsync();

    public Task DisposeAsync() => _host.DisposeAsync();

    [Fact]
    public async Task A_rerun_moves_the_branch_and_updates_the_open_pull_request_instead_of_opening_another()
    {
        var first = await _host.RunJobAsync();
        var id = first["id"]!.GetValue<string>();
        var branch = $"codybatch/{id}-app";
        var firstHead = _host.GitHub.Branch("octo/app", branch);
        _host.Line = "Security fix applied, better.";
        _host.Title = "Apply the better security fix";
        _host.Body = "Second attempt.";

        var second = await _host.RerunAsync(id);

        Assert.Equal(id, second["campaign"]!["id"]!.GetValue<string>());
        Assert.Equal(id, first["campaign"]!["id"]!.GetValue<string>());
        Assert.Equal("succeeded", second["repositories"]![0]!["status"]!.GetValue<string>());
        var pull = Assert.Single(_host.GitHub.PullRequests);
        Assert.Equal("open", pull["state"]!.GetValue<string>());
        Assert.Equal("Apply the better security fix", pull["title"]!.GetValue<string>());
        Assert.StartsWith("Second attempt.", pull["body"]!.GetValue<string>(), StringComparison.Ordinal);
        var newHead = _host.GitHub.Branch("octo/app", branch);
        Assert.NotEqual(firstHead, newHead);
        Assert.Equal(newHead, pull["head"]!["sha"]!.GetValue<string>());
        Assert.Equal("# App\nSecurity fix applied, better.\n", Encoding.UTF8.GetString(_host.GitHub.FilesOf(newHead!)["README.md"].Content));
        var tracked = CampaignHost.PullRequestOf(second);
        Assert.Equal((1, newHead), (tracked["number"]!.GetValue<int>(), tracked["headSha"]!.GetValue<string>()));
        Assert.Single(_host.GitHub.Requests, r => r.Method == "POST" && r.Path == "/repos/octo/app/pulls");
        Assert.Empty(_host.GitHub.Problems);
    }

    [Fact]
    public async Task A_rerun_with_an_unchanged_result_pushes_nothing_and_says_so()
    {
        var first = await _host.RunJobAsync();
        var id = first["id"]!.GetValue<string>();
        var head = _host.GitHub.Branch("octo/app", $"codybatch/{id}-app");
        var writesBefore = _host.GitHub.Requests.Count(r => r.Method is "POST" or "PATCH" or "DELETE");

        var second = await _host.RerunAsync(id);

        var run = second["repositories"]![0]!;
        Assert.Equal("succeeded", run["status"]!.GetValue<string>());
        Assert.Equal("Pull request #1 already holds this change, so nothing was pushed.", run["notice"]!.GetValue<string>());
        Assert.Equal(writesBefore, _host.GitHub.Requests.Count(r => r.Method is "POST" or "PATCH" or "DELETE"));
        Assert.Equal(head, _host.GitHub.Branch("octo/app", $"codybatch/{id}-app"));
        Assert.Single(_host.GitHub.PullRequests);
        Assert.Equal(1, CampaignHost.PullRequestOf(second)["number"]!.GetValue<int>());
    }

    [Fact]
    public async Task A_rerun_after_the_merge_opens_no_pull_request_when_no_change_is_necessary()
    {
        var first = await _host.RunJobAsync();
        var id = first["id"]!.GetValue<string>();
        await _host.GitHub.MergeAsync("octo/app", 1);

        var second = await _host.RerunAsync(id);

        var run = second["repositories"]![0]!;
        Assert.False(run["wereChangesNecessary"]!.GetValue<bool>());
        var pull = Assert.Single(_host.GitHub.PullRequests);
        Assert.True(pull["merged"]!.GetValue<bool>());
        Assert.Equal("merged", CampaignHost.PullRequestOf(second)["state"]!.GetValue<string>());
        Assert.Equal("1 merged", second["campaign"]!["summary"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_rerun_after_the_merge_opens_a_new_pull_request_when_changes_are_still_necessary()
    {
        var first = await _host.RunJobAsync();
        var id = first["id"]!.GetValue<string>();
        await _host.GitHub.MergeAsync("octo/app", 1);
        _host.Line = "A second fix.";

        var second = await _host.RerunAsync(id);

        Assert.Equal(2, _host.GitHub.PullRequests.Count);
        Assert.True(_host.GitHub.Pull("octo/app", 1)["merged"]!.GetValue<bool>());
        Assert.Equal("open", _host.GitHub.Pull("octo/app", 2)["state"]!.GetValue<string>());
        Assert.Equal((2, "open"), (CampaignHost.PullRequestOf(second)["number"]!.GetValue<int>(), CampaignHost.PullRequestOf(second)["state"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Close_all_leaves_a_comment_closes_on_github_and_shows_in_the_api_then_delete_branches_removes_them()
    {
        var job = await _host.RunJobAsync();
        var id = job["id"]!.GetValue<string>();

        var closed = await (await _host.PostAsync($"/api/jobs/{id}/pull-requests/close", new { comment = "Superseded by the platform team's fix." })).JsonAsync();

        Assert.Equal(1, closed["acted"]!.GetValue<int>());
        Assert.Equal("closed", CampaignHost.PullRequestOf(closed["job"]!)["state"]!.GetValue<string>());
        Assert.Equal("1 closed", closed["job"]!["campaign"]!["summary"]!.GetValue<string>());
        Assert.Equal("closed", _host.GitHub.Pull("octo/app", 1)["state"]!.GetValue<string>());
        Assert.Equal(("octo/app", 1, "Superseded by the platform team's fix."), Assert.Single(_host.GitHub.Comments));
        Assert.NotNull(_host.GitHub.Branch("octo/app", $"codybatch/{id}-app"));

        var deleted = await (await _host.PostAsync($"/api/jobs/{id}/pull-requests/delete-branches")).JsonAsync();

        Assert.Equal(1, deleted["acted"]!.GetValue<int>());
        Assert.True(CampaignHost.PullRequestOf(deleted["job"]!)["branchDeleted"]!.GetValue<bool>());
        Assert.Null(_host.GitHub.Branch("octo/app", $"codybatch/{id}-app"));
        Assert.Single(_host.GitHub.Requests, r => r.Method == "DELETE" && r.Path == $"/repos/octo/app/git/refs/heads/codybatch/{id}-app");

        // Nothing left to act on: nothing is sent.
        var again = await (await _host.PostAsync($"/api/jobs/{id}/pull-requests/delete-branches")).JsonAsync();
        Assert.Equal(0, again["acted"]!.GetValue<int>());
        Assert.Empty(_host.GitHub.Problems);
    }

    [Fact]
    public async Task A_patch_only_run_is_published_later_as_a_pull_request_without_running_the_agent_again()
    {
        var created = await (await _host.PostAsync("/api/jobs", new { prompt = "Apply the fix", repositories = new[] { "octo/app" }, mode = "patch" })).JsonAsync();
        var id = created["id"]!.GetValue<string>();
        var patchOnly = await _host.Client.WaitForEndAsync(id);
        Assert.Null(patchOnly["repositories"]![0]!["pullRequest"]);
        Assert.Empty(_host.GitHub.PullRequests);
        var agentCalls = _host.AgentCalls;

        var response = await _host.PostAsync($"/api/jobs/{id}/repositories/octo/app/publish");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var published = await _host.Client.WaitForJobAsync(id, job => job["repositories"]![0]!["pullRequest"] is not null && job["status"]!.GetValue<string>() == "completed");

        Assert.Equal(agentCalls, _host.AgentCalls);
        var pull = Assert.Single(_host.GitHub.PullRequests);
        Assert.Equal("Apply the security fix", pull["title"]!.GetValue<string>());
        Assert.Equal("# App\nSecurity fix applied.\n", Encoding.UTF8.GetString(_host.GitHub.FilesOf(pull["head"]!["sha"]!.GetValue<string>())["README.md"].Content));
        Assert.Equal(("open", 1), (CampaignHost.PullRequestOf(published)["state"]!.GetValue<string>(), CampaignHost.PullRequestOf(published)["number"]!.GetValue<int>()));
        Assert.Equal("patch", published["mode"]!.GetValue<string>());

        // Published once: asking again is a conflict that says why.
        await JobsApiTests.AssertProblemAsync(
            await _host.PostAsync($"/api/jobs/{id}/repositories/octo/app/publish"), HttpStatusCode.Conflict, "The run for octo/app has a pull request already.");
        Assert.Empty(_host.GitHub.Problems);
    }

    [Fact]
    public async Task Publishing_a_run_of_a_pull_request_job_is_refused_with_the_reason()
    {
        var job = await _host.RunJobAsync();
        var id = job["id"]!.GetValue<string>();

        await JobsApiTests.AssertProblemAsync(
            await _host.PostAsync($"/api/jobs/{id}/repositories/octo/app/publish"), HttpStatusCode.Conflict, $"Job {id} opens pull requests already; only runs of patch-only jobs are published later.");
        await JobsApiTests.AssertProblemAsync(
            await _host.PostAsync($"/api/jobs/{id}/repositories/octo/none/publish"), HttpStatusCode.NotFound, $"Job {id} has no run for octo/none.");
    }

    [Fact]
    public async Task Actions_on_an_unknown_job_are_404_problems()
    {
        foreach (var path in new[] { "rerun", "refresh", "pull-requests/close", "pull-requests/delete-branches" })
        {
            var response = await _host.PostAsync($"/api/jobs/01aaaaaaaaaaaaaaaaaaaaaaaa/{path}");
            Assert.True(response.StatusCode == HttpStatusCode.NotFound && (await response.Content.ReadAsStringAsync()).Contains("There is no job", StringComparison.Ordinal), $"{path}: {await response.Content.ReadAsStringAsync()}");
            await JobsApiTests.AssertProblemAsync(response, HttpStatusCode.NotFound, "There is no job 01aaaaaaaaaaaaaaaaaaaaaaaa.");
        }
    }
}
