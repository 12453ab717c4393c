namespace CodyBatch.Tests.PullRequests;

/// <summary>A job's pull request followed to merged, by refresh and by webhook, against the fake GitHub.</summary>
public sealed class PullRequestTrackingTests : IAsyncLifetime
{
    private readonly CampaignHost _host = new();

    // Following is the subject here: failing checks are weighed (and said to be off), and no follow-up round runs.
    public PullRequestTrackingTests() => _host.Settings["CodyBatch:Shepherd:FailingChecks"] = "false";

    public Task InitializeAsync() => _host.InitializeAsync();

    public Task DisposeAsync() => _host.DisposeAsync();

    [Fact]
    public async Task Checks_failing_changes_requested_and_merged_each_show_after_a_refresh_and_the_burndown_records_them()
    {
        var job = await _host.RunJobAsync();
        var id = job["id"]!.GetValue<string>();
        var pull = CampaignHost.PullRequestOf(job);
        Assert.Equal("open", pull["state"]!.GetValue<string>());
        Assert.Equal(1, pull["number"]!.GetValue<int>());
        Assert.Equal($"codybatch/{id}-app", pull["branch"]!.GetValue<string>());
        Assert.Equal(_host.GitHub.Branch("octo/app", $"codybatch/{id}-app"), pull["headSha"]!.GetValue<string>());
        Assert.Equal("none", pull["checks"]!.GetValue<string>());
        Assert.Null(pull["review"]);
        Assert.False(pull["draft"]!.GetValue<bool>());
        var head = pull["headSha"]!.GetValue<string>();

        await _host.GitHub.CheckRunAsync("octo/app", head, "build", "in_progress");
        Assert.Equal("pending", CampaignHost.PullRequestOf(await _host.RefreshAsync(id))["checks"]!.GetValue<string>());

        await _host.GitHub.CheckRunAsync("octo/app", head, "build", "completed", "failure");
        await _host.GitHub.StatusAsync("octo/app", head, "lint", "success");
        var failing = await _host.RefreshAsync(id);
        Assert.Equal("failure", CampaignHost.PullRequestOf(failing)["checks"]!.GetValue<string>());
        Assert.Equal("1 open, checks failing", failing["campaign"]!["summary"]!.GetValue<string>());

        await _host.GitHub.RequestReviewersAsync("octo/app", 1, "alice");
        Assert.Equal("review_required", CampaignHost.PullRequestOf(await _host.RefreshAsync(id))["review"]!.GetValue<string>());
        await _host.GitHub.ReviewAsync("octo/app", 1, "alice", "CHANGES_REQUESTED");
        var reviewed = await _host.RefreshAsync(id);
        Assert.Equal("changes_requested", CampaignHost.PullRequestOf(reviewed)["review"]!.GetValue<string>());
        Assert.Equal(1, reviewed["campaign"]!["openChangesRequested"]!.GetValue<int>());

        await _host.GitHub.MergeAsync("octo/app", 1);
        var merged = await _host.RefreshAsync(id);

        Assert.Equal("merged", CampaignHost.PullRequestOf(merged)["state"]!.GetValue<string>());
        Assert.Equal("1 merged", merged["campaign"]!["summary"]!.GetValue<string>());
        var burndown = merged["campaign"]!["burndown"]!.AsArray();
        Assert.Equal(2, burndown.Count);
        Assert.Equal((1, 0), (burndown[0]!["open"]!.GetValue<int>(), burndown[0]!["merged"]!.GetValue<int>()));
        Assert.Equal((0, 1), (burndown[1]!["open"]!.GetValue<int>(), burndown[1]!["merged"]!.GetValue<int>()));
        Assert.True(burndown[1]!["at"]!.GetValue<DateTimeOffset>() >= burndown[0]!["at"]!.GetValue<DateTimeOffset>());
        Assert.Empty(_host.GitHub.Problems);

        // Merged is final: it is no longer refreshed.
        var before = _host.GitHub.Requests.Count;
        await _host.RefreshAsync(id);
        Assert.Equal(before, _host.GitHub.Requests.Count);
    }

    [Fact]
    public async Task Checks_failing_changes_requested_and_merged_each_arrive_by_signed_webhook()
    {
        var job = await _host.RunJobAsync();
        var id = job["id"]!.GetValue<string>();
        var head = CampaignHost.PullRequestOf(job)["headSha"]!.GetValue<string>();
        var requestsBefore = _host.GitHub.Requests.Count;

        await _host.GitHub.CheckRunAsync("octo/app", head, "build", "completed", "failure");
        Assert.Equal("failure", CampaignHost.PullRequestOf(await _host.GetJobAsync(id))["checks"]!.GetValue<string>());

        await _host.GitHub.ReviewAsync("octo/app", 1, "bob", "CHANGES_REQUESTED");
        Assert.Equal("changes_requested", CampaignHost.PullRequestOf(await _host.GetJobAsync(id))["review"]!.GetValue<string>());

        await _host.GitHub.CheckRunAsync("octo/app", head, "build", "completed", "success");
        await _host.GitHub.ReviewAsync("octo/app", 1, "bob", "APPROVED");
        await _host.GitHub.MergeAsync("octo/app", 1);
        var merged = await _host.GetJobAsync(id);

        var pull = CampaignHost.PullRequestOf(merged);
        Assert.Equal(("merged", "success", "approved"), (pull["state"]!.GetValue<string>(), pull["checks"]!.GetValue<string>(), pull["review"]!.GetValue<string>()));
        Assert.Equal(["pull_request", "check_run", "check_suite", "pull_request_review", "check_run", "check_suite", "pull_request_review", "pull_request"], _host.GitHub.Deliveries.Select(d => d.Event));
        Assert.All(_host.GitHub.Deliveries, d => Assert.Equal(200, d.Status));
        var burndown = merged["campaign"]!["burndown"]!.AsArray();
        Assert.Equal([1, 0], burndown.Select(p => p!["open"]!.GetValue<int>()));
        Assert.Equal([0, 1], burndown.Select(p => p!["merged"]!.GetValue<int>()));

        // Webhooks alone, except the one weighing of a follow-up round when the head's checks first failed: the pull
        // request, and the failing checks of its head and of the base branch's commit (five reads, no write).
        var asked = _host.GitHub.Requests.Skip(requestsBefore).ToList();
        Assert.Equal(5, asked.Count);
        Assert.All(asked, r => Assert.Equal("GET", r.Method));
        Assert.Empty(_host.GitHub.Problems);
    }

    [Fact]
    public async Task A_webhook_with_a_wrong_or_missing_signature_is_refused_and_changes_nothing()
    {
        var job = await _host.RunJobAsync();
        var id = job["id"]!.GetValue<string>();
        var payload = new JsonObject
        {
            ["action"] = "closed",
            ["number"] = 1,
            ["pull_request"] = new JsonObject { ["number"] = 1, ["state"] = "closed", ["merged"] = true, ["draft"] = false, ["head"] = new JsonObject { ["sha"] = "f00d" } },
            ["repository"] = new JsonObject { ["full_name"] = "octo/app" },
        }.ToJsonString();

        var forged = await _host.GitHub.SendWebhookAsync(Guid.NewGuid().ToString(), "pull_request", payload, FakeGitHubApi.Sign("not-the-secret", payload));
        var missing = await _host.GitHub.SendWebhookAsync(Guid.NewGuid().ToString(), "pull_request", payload, null);
        var tampered = await _host.GitHub.SendWebhookAsync(Guid.NewGuid().ToString(), "pull_request", payload.Replace("\"number\":1", "\"number\":2", StringComparison.Ordinal), FakeGitHubApi.Sign(CampaignHost.Secret, payload));
        var truncated = await _host.GitHub.SendWebhookAsync(Guid.NewGuid().ToString(), "pull_request", payload, FakeGitHubApi.Sign(CampaignHost.Secret, payload)[..40]);

        Assert.All([forged, missing, tampered, truncated], d => Assert.Equal(401, d.Status));
        Assert.Contains("X-Hub-Signature-256", forged.Response, StringComparison.Ordinal);
        var after = CampaignHost.PullRequestOf(await _host.GetJobAsync(id));
        Assert.Equal("open", after["state"]!.GetValue<string>());
        Assert.Equal(CampaignHost.PullRequestOf(job)["headSha"]!.GetValue<string>(), after["headSha"]!.GetValue<string>());

        // The same body signed with the secret is accepted.
        var genuine = await _host.GitHub.SendWebhookAsync(Guid.NewGuid().ToString(), "pull_request", payload, FakeGitHubApi.Sign(CampaignHost.Secret, payload));
        Assert.Equal(200, genuine.Status);
        Assert.Equal("merged", CampaignHost.PullRequestOf(await _host.GetJobAsync(id))["state"]!.GetValue<string>());
    }

    [Fact]
    public async Task The_same_delivery_twice_is_applied_once()
    {
        var job = await _host.RunJobAsync();
        var id = job["id"]!.GetValue<string>();
        await _host.GitHub.ReviewAsync("octo/app", 1, "alice", "CHANGES_REQUESTED");
        var changesRequested = _host.GitHub.Deliveries[^1];
        Assert.Equal("changes_requested", CampaignHost.PullRequestOf(await _host.GetJobAsync(id))["review"]!.GetValue<string>());
        await _host.GitHub.ReviewAsync("octo/app", 1, "alice", "APPROVED");
        Assert.Equal("approved", CampaignHost.PullRequestOf(await _host.GetJobAsync(id))["review"]!.GetValue<string>());

        // The older delivery arriving again must not undo the approval that came after it.
        var again = await _host.GitHub.RedeliverAsync(changesRequested.Id);

        Assert.Equal(200, again.Status);
        Assert.True(JsonNode.Parse(again.Response)!["duplicate"]!.GetValue<bool>());
        var after = await _host.GetJobAsync(id);
        Assert.Equal("approved", CampaignHost.PullRequestOf(after)["review"]!.GetValue<string>());
        Assert.Equal(0, JsonNode.Parse(again.Response)!["applied"]!.GetValue<int>());
    }

    [Fact]
    public async Task Where_graphql_is_missing_a_second_refresh_of_unchanged_pull_requests_gets_304s_with_the_stored_etags_and_costs_no_rate_limit()
    {
        _host.GitHub.GraphQlAvailable = false;
        var job = await _host.RunJobAsync();
        var id = job["id"]!.GetValue<string>();
        await _host.GitHub.CheckRunAsync("octo/app", CampaignHost.PullRequestOf(job)["headSha"]!.GetValue<string>(), "build", "completed", "success");

        var firstFrom = _host.GitHub.Answers.Count;
        await _host.RefreshAsync(id);
        var all = _host.GitHub.Answers.Skip(firstFrom).ToList();
        var first = all.Where(a => a.Request.Path != "/graphql").ToList();
        var usedBefore = _host.GitHub.RateLimitUsed;
        await _host.RefreshAsync(id);
        var second = _host.GitHub.Answers.Skip(firstFrom + all.Count).ToList();

        // GraphQL was asked once, answered 404, and not asked again.
        Assert.Equal([("/graphql", 404)], all.Where(a => a.Request.Path == "/graphql").Select(a => (a.Request.Path, a.Status)));

        Assert.Equal(["/repos/octo/app/pulls/1", "/repos/octo/app/pulls/1/reviews", $"/repos/octo/app/commits/{CampaignHost.PullRequestOf(job)["headSha"]}/status", $"/repos/octo/app/commits/{CampaignHost.PullRequestOf(job)["headSha"]}/check-runs"], first.Select(a => a.Request.Path));
        Assert.All(first, a => Assert.Equal(200, a.Status));
        Assert.Equal(3, second.Count);
        Assert.All(second, a => Assert.Equal(304, a.Status));
        Assert.Equal(usedBefore, _host.GitHub.RateLimitUsed);
        foreach (var (request, _) in second)
        {
            // What it sent is exactly the ETag the first answer for the same resource carried.
            var earlier = first.Single(a => a.Request.Path == request.Path).Request;
            Assert.NotNull(request.IfNoneMatch);
            Assert.Equal(ETagOf(earlier, first), request.IfNoneMatch);
        }

        Assert.Equal("success", CampaignHost.PullRequestOf(await _host.GetJobAsync(id))["checks"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_refresh_reads_the_pull_request_with_one_graphql_query_and_no_rest_rate_limit()
    {
        var job = await _host.RunJobAsync();
        var id = job["id"]!.GetValue<string>();
        var head = CampaignHost.PullRequestOf(job)["headSha"]!.GetValue<string>();
        await _host.GitHub.CheckRunAsync("octo/app", head, "build", "completed", "failure");
        await _host.GitHub.RequestReviewersAsync("octo/app", 1, "alice");
        var from = _host.GitHub.Answers.Count;
        var usedBefore = _host.GitHub.RateLimitUsed;

        var refreshed = await _host.RefreshAsync(id);

        Assert.Equal([("POST", "/graphql", 200)], _host.GitHub.Answers.Skip(from).Select(a => (a.Request.Method, a.Request.Path, a.Status)));
        Assert.Equal(usedBefore, _host.GitHub.RateLimitUsed);
        Assert.Equal(1, _host.GitHub.GraphQlPointsUsed);
        Assert.Equal(("failure", "review_required"), (CampaignHost.PullRequestOf(refreshed)["checks"]!.GetValue<string>(), CampaignHost.PullRequestOf(refreshed)["review"]!.GetValue<string>()));
    }

    [Fact]
    public async Task A_pull_request_closed_then_reopened_on_github_is_followed_again_by_webhook()
    {
        var job = await _host.RunJobAsync();
        var id = job["id"]!.GetValue<string>();
        await _host.GitHub.CloseAsync("octo/app", 1);
        Assert.Equal("closed", CampaignHost.PullRequestOf(await _host.GetJobAsync(id))["state"]!.GetValue<string>());

        await _host.GitHub.ReopenAsync("octo/app", 1);

        Assert.Equal("open", CampaignHost.PullRequestOf(await _host.GetJobAsync(id))["state"]!.GetValue<string>());
        await _host.GitHub.CheckRunAsync("octo/app", CampaignHost.PullRequestOf(job)["headSha"]!.GetValue<string>(), "build", "completed", "failure");
        Assert.Equal("failure", CampaignHost.PullRequestOf(await _host.GetJobAsync(id))["checks"]!.GetValue<string>());
        Assert.Empty(_host.GitHub.Problems);
    }

    [Fact]
    public async Task A_pull_request_closed_then_reopened_on_github_is_followed_again_by_refresh()
    {
        var job = await _host.RunJobAsync();
        var id = job["id"]!.GetValue<string>();
        _host.GitHub.StopWebhooks();
        await _host.GitHub.CloseAsync("octo/app", 1);
        Assert.Equal("closed", CampaignHost.PullRequestOf(await _host.RefreshAsync(id))["state"]!.GetValue<string>());

        await _host.GitHub.ReopenAsync("octo/app", 1);
        var reopened = await _host.RefreshAsync(id);

        Assert.Equal("open", CampaignHost.PullRequestOf(reopened)["state"]!.GetValue<string>());
        Assert.Equal("1 open", reopened["campaign"]!["summary"]!.GetValue<string>());
        Assert.Empty(_host.GitHub.Problems);
    }

    [Fact]
    public async Task Without_a_webhook_secret_deliveries_are_refused_with_the_setting_to_set()
    {
        await using var factory = new ApiFactory();
        using var client = factory.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/webhooks/github") { Content = new StringContent("{}", System.Text.Encoding.UTF8, "application/json") };
        request.Headers.Add("X-GitHub-Event", "ping");
        request.Headers.Add("X-GitHub-Delivery", Guid.NewGuid().ToString());

        var response = await client.SendAsync(request);

        await JobsApiTests.AssertProblemAsync(response, HttpStatusCode.ServiceUnavailable, "CodyBatch:GitHub:WebhookSecret is not set, so no delivery can be verified; set it to the webhook's secret.");
    }

    // The fake records what each request sent; the ETag it answered is what the next conditional request for that path carries.
    private string ETagOf(FakeGitHubRequest request, List<(FakeGitHubRequest Request, int Status)> answers) =>
        _host.GitHub.ETags.TryGetValue(request, out var etag) ? etag : throw new InvalidOperationException($"no ETag for {request.Path} among {answers.Count}");
}
