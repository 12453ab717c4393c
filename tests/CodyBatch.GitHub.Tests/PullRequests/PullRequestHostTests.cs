namespace CodyBatch.GitHub.Tests.PullRequests;

/// <summary>The GitHub side of following a pull request, against the fake GitHub.</summary>
public sealed class PullRequestHostTests : GitHubFixture
{
    private GitHubPullRequestHost _pulls = null!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        _pulls = new GitHubPullRequestHost(Connection, Calls);
    }

    [Fact]
    public async Task Observing_combines_statuses_and_check_runs_and_takes_each_reviewers_latest_say()
    {
        var pull = await OpenPullRequestAsync();
        await Api.StatusAsync("octo/app", pull.HeadSha!, "ci/lint", "pending");
        await Api.StatusAsync("octo/app", pull.HeadSha!, "ci/lint", "success");
        await Api.CheckRunAsync("octo/app", pull.HeadSha!, "docs", "completed", "neutral");
        await Api.CheckRunAsync("octo/app", pull.HeadSha!, "build", "in_progress");
        await Api.ReviewAsync("octo/app", 1, "alice", "APPROVED");
        await Api.ReviewAsync("octo/app", 1, "alice", "COMMENTED");
        await Api.RequestReviewersAsync("octo/app", 1, "bob");

        var seen = await _pulls.ObserveAsync("octo/app", pull, CancellationToken.None);
        var observed = PullRequestTracking.Observe(pull, seen, DateTimeOffset.UnixEpoch.AddMinutes(1));

        Assert.Equal((PullRequestState.Open, ChecksState.Pending, ReviewState.Approved), (observed.State, observed.Checks, observed.Review));
        Assert.Equal(4, seen.Calls);
        Assert.Equal(0, seen.NotModified);

        await Api.CheckRunAsync("octo/app", pull.HeadSha!, "build", "completed", "timed_out");
        await Api.ReviewAsync("octo/app", 1, "bob", "CHANGES_REQUESTED");
        observed = PullRequestTracking.Observe(observed, await _pulls.ObserveAsync("octo/app", observed, CancellationToken.None), DateTimeOffset.UnixEpoch.AddMinutes(2));

        Assert.Equal((ChecksState.Failure, ReviewState.ChangesRequested), (observed.Checks, observed.Review));
        Assert.Empty(Api.Problems);
    }

    [Fact]
    public async Task Unchanged_is_three_requests_all_304_and_a_new_head_drops_the_old_commits_tags()
    {
        var pull = await OpenPullRequestAsync();
        pull = PullRequestTracking.Observe(pull, await _pulls.ObserveAsync("octo/app", pull, CancellationToken.None), DateTimeOffset.UnixEpoch);
        var used = Api.RateLimitUsed;

        var again = await _pulls.ObserveAsync("octo/app", pull, CancellationToken.None);

        Assert.Equal((3, 3), (again.Calls, again.NotModified));
        Assert.Equal(used, Api.RateLimitUsed);
        Assert.Equal(pull.Validators.OrderBy(v => v.Key), again.Validators.OrderBy(v => v.Key));

        // The branch moves: the pull request changed, and the new head's checks are read without the old commit's tags.
        var (resolved, workspace) = await CheckOutAsync("octo/app");
        await using (workspace)
        {
            TestRepository.At(workspace.RepositoryPath).Write("a.txt", "c\n");
            await Host.PublishAsync(
                new PublishRequest("01jobjobjobjobjobjobjobjob", resolved, workspace.RepositoryPath, await workspace.CreatePatchAsync(CancellationToken.None), "T", "B", await workspace.ListChangesAsync(CancellationToken.None)),
                CancellationToken.None);
        }

        var answersFrom = Api.Answers.Count;
        var moved = await _pulls.ObserveAsync("octo/app", pull, CancellationToken.None);

        Assert.NotEqual(pull.HeadSha, moved.HeadSha);
        Assert.Equal(Api.Branch("octo/app", pull.Branch), moved.HeadSha);
        var answers = Api.Answers.Skip(answersFrom).ToList();
        Assert.Equal(4, answers.Count);
        Assert.Equal([200, 304, 200, 200], answers.Select(a => a.Status)); // the reviews did not change
        Assert.All(answers.Where(a => a.Request.Path.Contains($"/commits/{moved.HeadSha}/", StringComparison.Ordinal)), a => Assert.Null(a.Request.IfNoneMatch));
        Assert.DoesNotContain(moved.Validators.Keys, k => k.Contains(pull.HeadSha!, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Close_comments_then_closes_and_a_branch_deleted_already_is_no_failure()
    {
        var pull = await OpenPullRequestAsync();

        await _pulls.CloseAsync("octo/app", pull, "No longer needed.", CancellationToken.None);
        await _pulls.DeleteBranchAsync("octo/app", pull, CancellationToken.None);
        await _pulls.DeleteBranchAsync("octo/app", pull, CancellationToken.None);

        Assert.Equal("closed", Api.Pull("octo/app", 1)["state"]!.GetValue<string>());
        Assert.Equal(("octo/app", 1, "No longer needed."), Assert.Single(Api.Comments));
        Assert.Null(Api.Branch("octo/app", pull.Branch));
        Assert.Equal(2, Api.Answers.Count(a => a.Request.Method == "DELETE"));
        Assert.Equal([204, 422], Api.Answers.Where(a => a.Request.Method == "DELETE").Select(a => a.Status));
    }

    [Theory]
    [InlineData("pull_request", """{"action":"closed","number":3,"pull_request":{"number":3,"state":"closed","merged":true,"draft":false,"head":{"ref":"b","sha":"h1"},"requested_reviewers":[],"requested_teams":[]},"repository":{"full_name":"o/r"}}""", "merged")]
    [InlineData("pull_request_review", """{"action":"submitted","review":{"user":{"login":"a"},"state":"changes_requested"},"pull_request":{"number":3},"repository":{"full_name":"o/r"}}""", "review a changes_requested")]
    [InlineData("pull_request_review", """{"action":"dismissed","review":{"user":{"login":"a"},"state":"dismissed"},"pull_request":{"number":3},"repository":{"full_name":"o/r"}}""", "review a dismissed")]
    [InlineData("check_run", """{"action":"completed","check_run":{"name":"build","head_sha":"h1","status":"completed","conclusion":"failure","pull_requests":[{"number":3}]},"repository":{"full_name":"o/r"}}""", "check build Failure")]
    [InlineData("check_suite", """{"action":"completed","check_suite":{"head_sha":"h1","status":"completed","conclusion":"success","app":{"slug":"ci"},"pull_requests":[]},"repository":{"full_name":"o/r"}}""", "check suite/ci Success")]
    [InlineData("status", """{"sha":"h1","context":"lint","state":"error","repository":{"full_name":"o/r"}}""", "status lint Failure")]
    public void Webhook_payloads_say_what_changed(string eventName, string payload, string expected)
    {
        var parsed = GitHubWebhookEvents.Parse(eventName, JsonNode.Parse(payload)!)!;

        Assert.Equal("o/r", parsed.Repository);
        var said = parsed switch
        {
            { State: { } state } => state.ToString().ToLowerInvariant(),
            { Reviewer: { } reviewer } => $"review {reviewer} {parsed.ReviewerState}",
            { CheckName: { } name } => $"check {name} {parsed.CheckState}",
            { StatusContext: { } context } => $"status {context} {parsed.CheckState}",
            _ => "nothing",
        };
        Assert.Equal(expected, said);
        Assert.True(parsed.Numbers.Contains(3) || parsed.HeadSha == "h1");
    }

    [Fact]
    public void Events_about_something_else_say_nothing() =>
        Assert.Null(GitHubWebhookEvents.Parse("push", JsonNode.Parse("""{"ref":"refs/heads/main","repository":{"full_name":"o/r"}}""")!));
}
