namespace CodyBatch.Tests.PullRequests;

/// <summary>
/// <c>merge: green</c> driven by signed webhooks from the fake GitHub, and "merge all green" on a job and a campaign:
/// merged only past passing checks and an allowing review, with the method asked for and the expected head.
/// </summary>
public sealed class MergeTests : IAsyncLifetime
{
    private readonly CampaignHost _host = new();

    // Merging is the subject here: a failing check starts no follow-up round that would move the head meanwhile.
    public MergeTests() => _host.Settings["CodyBatch:Shepherd:FailingChecks"] = "false";

    public Task InitializeAsync() => _host.InitializeAsync();

    public Task DisposeAsync() => _host.DisposeAsync();

    private async Task<JsonNode> RunAsync(object? merge, params string[] repositories)
    {
        var created = await _host.Client.PostAsJsonAsync("/api/jobs", new { prompt = "Append a line", repositories, publish = new { merge } });
        var body = await created.JsonAsync();
        Assert.True(created.IsSuccessStatusCode, body.ToJsonString());
        return await _host.Client.WaitForEndAsync(body["id"]!.GetValue<string>());
    }

    private static string Head(JsonNode job, int i = 0) => job["repositories"]![i]!["pullRequest"]!["headSha"]!.GetValue<string>();

    [Fact]
    public async Task With_merge_green_a_passing_check_merges_the_pull_request_itself_with_the_method_and_the_head()
    {
        var job = await RunAsync(new { when = "green", method = "squash" }, "octo/app");
        var id = job["id"]!.GetValue<string>();
        Assert.Equal("green", job["publish"]!["merge"]!["when"]!.GetValue<string>());
        var head = Head(job);

        // Pending: the repository does not allow auto-merge, so nothing is merged yet, and the product says why.
        await _host.GitHub.CheckRunAsync("octo/app", head, "ci", "in_progress");
        var pending = CampaignHost.PullRequestOf(await _host.GetJobAsync(id));
        Assert.Equal("open", pending["state"]!.GetValue<string>());
        Assert.Equal("Not merged yet: checks are pending: ci, and the repository does not allow auto-merge.", pending["mergeNote"]!.GetValue<string>());
        Assert.Empty(_host.GitHub.Merges);

        await _host.GitHub.CheckRunAsync("octo/app", head, "ci", "completed", "success");

        var merge = Assert.Single(_host.GitHub.Merges);
        Assert.Equal(("octo/app", 1, "squash", head, "codybatch-bot"), merge);
        var pull = CampaignHost.PullRequestOf(await _host.GetJobAsync(id));
        Assert.Equal("merged", pull["state"]!.GetValue<string>());
        Assert.Equal($"Merged with squash at {head[..7]}: every check passes and the review allows it.", pull["mergeNote"]!.GetValue<string>());
        var put = Assert.Single(_host.GitHub.Requests, r => r.Method == "PUT");
        Assert.Equal(head, JsonNode.Parse(put.Body)!["sha"]!.GetValue<string>());
        Assert.Empty(_host.GitHub.Problems);

        // The merge is the shepherd's in the audit log; the pending check asked nothing of GitHub and is not there.
        var audit = (await (await _host.Client.GetAsync("/api/audit?action=pullRequest.merge")).JsonAsync())["items"]!.AsArray();
        var entry = Assert.Single(audit)!;
        Assert.Equal(("shepherd", "octo/app#1", "succeeded"), (entry["actor"]!.GetValue<string>(), entry["target"]!.GetValue<string>(), entry["outcome"]!.GetValue<string>()));
    }

    [Fact]
    public async Task With_merge_green_a_failing_check_never_merges_and_the_product_says_which()
    {
        var job = await RunAsync(new { when = "green" }, "octo/app");
        var id = job["id"]!.GetValue<string>();

        await _host.GitHub.CheckRunAsync("octo/app", Head(job), "ci", "completed", "failure");

        Assert.Empty(_host.GitHub.Merges);
        Assert.Equal("Not merged: checks fail on the head: fake-ci (check suite).", CampaignHost.PullRequestOf(await _host.GetJobAsync(id))["mergeNote"]!.GetValue<string>());
        Assert.Empty(_host.GitHub.Problems);
    }

    [Fact]
    public async Task Changes_requested_blocks_merge_green_even_when_every_check_passes()
    {
        var job = await RunAsync(new { when = "green" }, "octo/app");
        var id = job["id"]!.GetValue<string>();
        var head = Head(job);

        await _host.GitHub.ReviewAsync("octo/app", 1, "alice", "CHANGES_REQUESTED");
        await _host.GitHub.CheckRunAsync("octo/app", head, "ci", "completed", "success");

        Assert.Empty(_host.GitHub.Merges);
        var pull = CampaignHost.PullRequestOf(await _host.GetJobAsync(id));
        Assert.Equal("open", pull["state"]!.GetValue<string>());
        Assert.Equal("Not merged: a reviewer requested changes.", pull["mergeNote"]!.GetValue<string>());
        Assert.Empty(_host.GitHub.Problems);
    }

    [Fact]
    public async Task Where_the_repository_allows_auto_merge_it_is_enabled_while_checks_run_and_github_merges_once_they_pass()
    {
        var repository = _host.GitHub.Add("octo", "app").With("README.md", "# App\n");
        repository.AllowAutoMerge = true;
        repository.RequiredChecks.Add("ci");
        var job = await RunAsync(new { when = "green", method = "rebase" }, "octo/app");
        var id = job["id"]!.GetValue<string>();
        var head = Head(job);

        await _host.GitHub.CheckRunAsync("octo/app", head, "ci", "in_progress");

        var pending = CampaignHost.PullRequestOf(await _host.GetJobAsync(id));
        Assert.True(pending["autoMergeEnabled"]!.GetValue<bool>());
        Assert.Equal("Auto-merge enabled (rebase): checks are pending: ci; GitHub merges once they pass.", pending["mergeNote"]!.GetValue<string>());
        Assert.Equal("rebase", _host.GitHub.Pull("octo/app", 1)["auto_merge"]!["merge_method"]!.GetValue<string>());
        Assert.Empty(_host.GitHub.Merges);

        await _host.GitHub.CheckRunAsync("octo/app", head, "ci", "completed", "success");

        Assert.Equal(("octo/app", 1, "rebase", head, "auto-merge"), Assert.Single(_host.GitHub.Merges));
        Assert.Equal("merged", CampaignHost.PullRequestOf(await _host.GetJobAsync(id))["state"]!.GetValue<string>());
        Assert.DoesNotContain(_host.GitHub.Requests, r => r.Method == "PUT");
        Assert.Empty(_host.GitHub.Problems);
    }

    [Fact]
    public async Task Merge_all_green_on_a_job_and_its_campaign_merges_only_the_green_one_and_says_why_not_for_the_rest()
    {
        _host.GitHub.Add("octo", "lib").With("README.md", "# Lib\n");
        _host.GitHub.Add("octo", "web").With("README.md", "# Web\n");
        var job = await RunAsync(null, "octo/app", "octo/lib", "octo/web");
        var id = job["id"]!.GetValue<string>();
        Assert.Equal("never", job["publish"]!["merge"]!["when"]!.GetValue<string>());
        await _host.GitHub.CheckRunAsync("octo/app", Head(job, 0), "ci", "completed", "success");
        await _host.GitHub.CheckRunAsync("octo/lib", Head(job, 1), "ci", "completed", "failure");
        Assert.Empty(_host.GitHub.Merges);

        var response = await _host.PostAsync($"/api/jobs/{id}/pull-requests/merge");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var result = await response.JsonAsync();
        Assert.Equal((1, 0, 2), (result["merged"]!.GetValue<int>(), result["autoMergeEnabled"]!.GetValue<int>(), result["notMerged"]!.GetValue<int>()));
        var reasons = result["pullRequests"]!.AsArray().ToDictionary(p => p!["repository"]!.GetValue<string>(), p => (p!["outcome"]!.GetValue<string>(), p["reason"]!.GetValue<string>()));
        Assert.Equal("merged", reasons["octo/app"].Item1);
        Assert.Equal(("notMerged", "Not merged: checks fail on the head: ci."), reasons["octo/lib"]);
        Assert.Equal(("notMerged", "Not merged: no check has reported on the head yet."), reasons["octo/web"]);
        var number = job["repositories"]![0]!["pullRequest"]!["number"]!.GetValue<int>();
        Assert.Equal(("octo/app", number, "merge", Head(job, 0), "codybatch-bot"), Assert.Single(_host.GitHub.Merges));

        // The campaign: the merged one is no longer open; the failing one, now fixed, merges.
        await _host.GitHub.CheckRunAsync("octo/lib", Head(job, 1), "ci", "completed", "success");
        var campaign = await (await _host.PostAsync($"/api/campaigns/{id}/pull-requests/merge")).JsonAsync();
        var outcomes = campaign["pullRequests"]!.AsArray().ToDictionary(p => p!["repository"]!.GetValue<string>(), p => p!["outcome"]!.GetValue<string>());
        Assert.Equal("merged", outcomes["octo/lib"]);
        Assert.Equal("notMerged", outcomes["octo/web"]);
        Assert.False(outcomes.ContainsKey("octo/app"));
        Assert.Equal(2, _host.GitHub.Merges.Count);
        Assert.Equal(HttpStatusCode.NotFound, (await _host.PostAsync("/api/campaigns/01jnotajobnotajobnotajobno/pull-requests/merge")).StatusCode);
        Assert.Empty(_host.GitHub.Problems);
    }

    [Fact]
    public async Task A_merge_choice_that_is_not_one_is_refused_with_the_field_and_what_to_use()
    {
        var created = await _host.Client.PostAsJsonAsync("/api/jobs", new { prompt = "x", repositories = new[] { "octo/app" }, publish = new { merge = new { when = "sometimes", method = "fast-forward" } } });

        Assert.Equal(HttpStatusCode.BadRequest, created.StatusCode);
        var errors = (await created.JsonAsync())["errors"]!;
        Assert.Equal("\"sometimes\" is not a merge choice: use never or green.", errors["publish.merge.when"]![0]!.GetValue<string>());
        Assert.Equal("\"fast-forward\" is not a merge method: use merge, squash or rebase.", errors["publish.merge.method"]![0]!.GetValue<string>());
    }
}
