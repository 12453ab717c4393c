namespace CodyBatch.Tests.PullRequests;

/// <summary>
/// Webhooks cannot move a pull request back in time, and the destructive bulk actions ask GitHub
/// before they act, against the in-process GitHub with deliveries signed as GitHub signs them.
/// </summary>
public sealed class WebhookOrderTests : IAsyncLifetime
{
    private readonly CampaignHost _host = new();

    public Task InitializeAsync() => _host.InitializeAsync();

    public Task DisposeAsync() => _host.DisposeAsync();

    private Task<FakeWebhookDelivery> ReplayAsync(string eventName, string body) =>
        _host.GitHub.SendWebhookAsync(Guid.NewGuid().ToString(), eventName, body, FakeGitHubApi.Sign(CampaignHost.Secret, body));

    [Fact]
    public async Task A_replayed_closed_delivery_with_a_fresh_id_after_the_pull_request_reopened_changes_nothing()
    {
        var id = (await _host.RunJobAsync())["id"]!.GetValue<string>();

        // Closed and reopened on GitHub; the "closed" delivery never reached Cody Batch, the "reopened" one did.
        _host.GitHub.HoldDeliveries = true;
        await _host.GitHub.CloseAsync("octo/app", 1);
        _host.GitHub.HoldDeliveries = false;
        await _host.GitHub.ReopenAsync("octo/app", 1);
        var closedBody = Assert.Single(_host.GitHub.Withheld).Body;
        Assert.Equal("closed", JsonNode.Parse(closedBody)!["action"]!.GetValue<string>());
        var before = await _host.GetJobAsync(id);

        var replay = await ReplayAsync("pull_request", closedBody);

        Assert.Equal(200, replay.Status);
        var receipt = JsonNode.Parse(replay.Response)!;
        Assert.False(receipt["duplicate"]!.GetValue<bool>());
        Assert.Equal(0, receipt["applied"]!.GetValue<int>());
        var after = await _host.GetJobAsync(id);
        Assert.Equal("open", CampaignHost.PullRequestOf(after)["state"]!.GetValue<string>());
        Assert.Equal(CampaignHost.PullRequestOf(before).ToJsonString(), CampaignHost.PullRequestOf(after).ToJsonString());
        Assert.Empty(_host.GitHub.Problems);
    }

    [Fact]
    public async Task A_late_delivery_for_an_older_head_does_not_bring_the_old_head_back()
    {
        var id = (await _host.RunJobAsync())["id"]!.GetValue<string>();
        var pull = _host.GitHub.Pull("octo/app", 1);
        var oldHead = pull["head"]!["sha"]!.GetValue<string>();

        // A delivery describing the pull request a minute earlier, at another head: older than what Cody Batch stored.
        var stale = pull.DeepClone();
        stale["head"]!["sha"] = new string('a', 40);
        stale["updated_at"] = DateTimeOffset.UtcNow.AddMinutes(-1).ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture);
        await _host.GitHub.RequestReviewersAsync("octo/app", 1, "alice");
        var body = new JsonObject
        {
            ["action"] = "synchronize",
            ["number"] = 1,
            ["pull_request"] = stale,
            ["repository"] = new JsonObject { ["full_name"] = "octo/app", ["name"] = "app", ["owner"] = new JsonObject { ["login"] = "octo" } },
        }.ToJsonString();

        var replay = await ReplayAsync("pull_request", body);

        Assert.Equal(0, JsonNode.Parse(replay.Response)!["applied"]!.GetValue<int>());
        Assert.Equal(oldHead, CampaignHost.PullRequestOf(await _host.GetJobAsync(id))["headSha"]!.GetValue<string>());
    }

    [Fact]
    public async Task Deleting_branches_reads_github_first_and_keeps_the_branch_of_a_pull_request_reopened_there()
    {
        var id = (await _host.RunJobAsync())["id"]!.GetValue<string>();
        var branch = $"codybatch/{id}-app";
        await _host.GitHub.CloseAsync("octo/app", 1);
        Assert.Equal("closed", CampaignHost.PullRequestOf(await _host.GetJobAsync(id))["state"]!.GetValue<string>());

        // Reopened on GitHub while its delivery was lost: Cody Batch still believes it closed.
        _host.GitHub.HoldDeliveries = true;
        await _host.GitHub.ReopenAsync("octo/app", 1);

        var result = await (await _host.PostAsync($"/api/jobs/{id}/pull-requests/delete-branches")).JsonAsync();

        Assert.Equal(0, result["acted"]!.GetValue<int>());
        Assert.Contains("GitHub shows it open now", Assert.Single(result["problems"]!.AsArray())!.GetValue<string>(), StringComparison.Ordinal);
        Assert.NotNull(_host.GitHub.Branch("octo/app", branch));
        Assert.DoesNotContain(_host.GitHub.Requests, r => r.Method == "DELETE");
        Assert.Equal("open", CampaignHost.PullRequestOf(result["job"]!)["state"]!.GetValue<string>());
    }

    [Fact]
    public async Task Closing_reads_github_first_and_leaves_no_comment_on_a_pull_request_already_merged_there()
    {
        var id = (await _host.RunJobAsync())["id"]!.GetValue<string>();
        _host.GitHub.HoldDeliveries = true;
        await _host.GitHub.MergeAsync("octo/app", 1);

        var result = await (await _host.PostAsync($"/api/jobs/{id}/pull-requests/close", new { comment = "No longer pursued." })).JsonAsync();

        Assert.Equal(0, result["acted"]!.GetValue<int>());
        Assert.Empty(_host.GitHub.Comments);
        Assert.Equal("merged", CampaignHost.PullRequestOf(result["job"]!)["state"]!.GetValue<string>());
    }

    [Fact]
    public async Task The_webhook_route_takes_githubs_payloads_up_to_25_mb_as_its_one_limit()
    {
        // A push-sized payload past the API's 1 MiB, signed as GitHub signs it: read, verified, answered.
        var padding = new string('x', 3 << 20);
        var large = $$"""{"zen":"Keep it logically awesome.","hook_id":1,"padding":"{{padding}}"}""";
        var accepted = await _host.GitHub.SendWebhookAsync(Guid.NewGuid().ToString(), "ping", large, FakeGitHubApi.Sign(CampaignHost.Secret, large));
        Assert.Equal(200, accepted.Status);

        using var tooLarge = new HttpRequestMessage(HttpMethod.Post, "/api/webhooks/github") { Content = new ByteArrayContent(new byte[(25 << 20) + 1]) };
        tooLarge.Content.Headers.ContentType = new("application/json");
        tooLarge.Headers.Add("X-GitHub-Event", "ping");
        tooLarge.Headers.Add("X-GitHub-Delivery", Guid.NewGuid().ToString());
        tooLarge.Headers.Add("X-Hub-Signature-256", "sha256=" + new string('0', 64));
        var refused = await _host.Client.SendAsync(tooLarge);
        await JobsApiTests.AssertProblemAsync(refused, HttpStatusCode.RequestEntityTooLarge, null);
        Assert.Contains("26,214,400", (await refused.JsonAsync())["detail"]!.GetValue<string>(), StringComparison.Ordinal);

        // Elsewhere the API's own limit stays.
        var job = await _host.Client.PostAsync("/api/jobs", new StringContent(large, Encoding.UTF8, "application/json"));
        await JobsApiTests.AssertProblemAsync(job, HttpStatusCode.RequestEntityTooLarge, null);
    }
}
