using System.Net.Http.Json;

namespace CodyBatch.GitHub.Tests.PullRequests;

/// <summary>Refreshing many pull requests with GitHub's GraphQL API, and the REST fallback, against the fake GitHub.</summary>
public sealed class GraphQlRefreshTests : GitHubFixture
{
    private GitHubPullRequestHost _pulls = null!;
    private HttpClient _http = null!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        _pulls = new GitHubPullRequestHost(Connection, Calls);
        _http = new HttpClient { BaseAddress = new Uri(Api.BaseUrl) };
        _http.DefaultRequestHeaders.Authorization = new("Bearer", Api.Token);
        _http.DefaultRequestHeaders.UserAgent.ParseAdd("codybatch-tests");
    }

    public override async Task DisposeAsync()
    {
        _http.Dispose();
        await base.DisposeAsync();
    }

    [Fact]
    public async Task A_refresh_of_many_reads_them_in_one_graphql_query_and_sees_what_rest_sees()
    {
        var pulls = await OpenAsync(("octo/a", 2), ("octo/b", 1), ("other/c", 1));
        await Api.StatusAsync("octo/a", pulls[0].Pull.HeadSha!, "ci/lint", "success");
        await Api.CheckRunAsync("octo/a", pulls[0].Pull.HeadSha!, "build", "in_progress");
        await Api.CheckRunAsync("octo/b", pulls[2].Pull.HeadSha!, "build", "completed", "failure");
        await Api.ReviewAsync("octo/a", pulls[1].Pull.Number, "alice", "APPROVED");
        await Api.ReviewAsync("octo/a", pulls[1].Pull.Number, "alice", "COMMENTED");
        await Api.RequestReviewersAsync("other/c", pulls[3].Pull.Number, "bob");
        await Api.CloseAsync("octo/b", pulls[2].Pull.Number);
        var before = Api.Requests.Count;

        var batch = await _pulls.ObserveManyAsync(pulls, CancellationToken.None);

        var sent = Api.Requests.Skip(before).ToList();
        Assert.Equal(["POST /graphql"], sent.Select(r => $"{r.Method} {r.Path}"));
        Assert.Equal((1, 0), (batch.Calls, batch.NotModified));
        Assert.Equal(Api.GraphQlQueries.Single().Cost, batch.RateLimitPoints);
        Assert.Equal(1, batch.RateLimitPoints);
        Assert.All(batch.Readings, r => Assert.Null(r.Problem));
        for (var i = 0; i < pulls.Count; i++)
        {
            var rest = await _pulls.ObserveAsync(pulls[i].Repository, pulls[i].Pull, CancellationToken.None);
            var graph = batch.Readings[i].Observation!;
            Assert.Equal((rest.State, rest.Draft, rest.HeadSha), (graph.State, graph.Draft, graph.HeadSha));
            Assert.Equal((rest.Signals.Checks, rest.Signals.Review), (graph.Signals.Checks, graph.Signals.Review));
        }

        Assert.Equal(
            [ChecksState.Pending, ChecksState.Pending, ChecksState.Failure, ChecksState.None],
            batch.Readings.Select(r => r.Observation!.Signals.Checks));
        Assert.Equal([null, ReviewState.Approved, null, ReviewState.ReviewRequired], batch.Readings.Select(r => r.Observation!.Signals.Review));
        Assert.Equal(PullRequestState.Closed, batch.Readings[2].Observation!.State);
        Assert.Empty(Api.Problems);
    }

    [Fact]
    public async Task Fifty_pull_requests_are_one_query_and_more_are_more()
    {
        var pulls = await OpenAsync(("octo/many", 51));

        var batch = await _pulls.ObserveManyAsync(pulls, CancellationToken.None);

        Assert.Equal(2, batch.Calls);
        Assert.Equal(2, Api.GraphQlQueries.Count);
        Assert.Equal([2, 1], Api.GraphQlQueries.Select(q => q.Cost));
        Assert.All(Api.GraphQlQueries, q => Assert.True(q.Nodes <= FakeGitHubApi.GraphQlMaxNodes));
        Assert.Equal(51, batch.Readings.Count(r => r.Observation is not null));
        Assert.Equal(FakeGitHubApi.GraphQlPointsPerHour - 3, FakeGitHubApi.GraphQlPointsPerHour - Api.GraphQlPointsUsed);
    }

    [Fact]
    public async Task Without_graphql_the_refresh_reads_each_over_conditional_rest_and_stops_asking()
    {
        Api.GraphQlAvailable = false;
        var pulls = await OpenAsync(("octo/a", 2));

        var first = await _pulls.ObserveManyAsync(pulls, CancellationToken.None);
        var observed = pulls.Select((p, i) => (p.Repository, PullRequestTracking.Observe(p.Pull, first.Readings[i].Observation!, DateTimeOffset.UnixEpoch))).ToList();
        var before = Api.Requests.Count;
        var second = await _pulls.ObserveManyAsync(observed, CancellationToken.None);

        Assert.True(_pulls.GraphQlMissing);
        Assert.Equal(1 + (2 * 4), first.Calls);
        Assert.All(first.Readings, r => Assert.NotNull(r.Observation));
        Assert.Equal((6, 6), (second.Calls, second.NotModified));
        Assert.DoesNotContain(Api.Requests.Skip(before), r => r.Path.Contains("graphql", StringComparison.Ordinal));
        Assert.Equal(0, second.RateLimitPoints);
    }

    [Fact]
    public async Task A_repository_graphql_refuses_is_read_over_rest_and_the_rest_stay_on_graphql()
    {
        var pulls = await OpenAsync(("octo/open", 1), ("octo/locked", 1));
        Api.ForbidGraphQl("octo/locked");
        var before = Api.Requests.Count;

        var batch = await _pulls.ObserveManyAsync(pulls, CancellationToken.None);

        var sent = Api.Requests.Skip(before).Select(r => $"{r.Method} {r.Path}").ToList();
        Assert.Equal("POST /graphql", sent[0]);
        Assert.All(sent.Skip(1), s => Assert.Contains("/repos/octo/locked/", s, StringComparison.Ordinal));
        Assert.DoesNotContain(sent, s => s.Contains("octo/open", StringComparison.Ordinal));
        Assert.All(batch.Readings, r => Assert.NotNull(r.Observation));
    }

    [Fact]
    public async Task A_spent_graphql_budget_falls_back_to_rest_and_a_pull_request_github_lost_is_a_problem()
    {
        var pulls = await OpenAsync(("octo/a", 1));
        var lost = ("octo/a", PullRequestTracking.Opened("https://github.example/octo/a/pull/99", 99, "gone", "abc", false, null, DateTimeOffset.UnixEpoch));

        var found = await _pulls.ObserveManyAsync([.. pulls, lost], CancellationToken.None);
        Api.LimitGraphQlPoints(0, TimeSpan.FromMinutes(30));
        var limited = await _pulls.ObserveManyAsync(pulls, CancellationToken.None);

        Assert.NotNull(found.Readings[0].Observation);
        Assert.Contains("no longer shows octo/a#99", found.Readings[1].Problem, StringComparison.Ordinal);
        Assert.NotNull(limited.Readings[0].Observation);
        Assert.Equal(1 + 4, limited.Calls);
        Assert.Contains(Api.Problems, p => p.Contains("POST /graphql of cost 1 sent with 0 points left", StringComparison.Ordinal));
    }

    private async Task<List<(string Repository, PullRequest Pull)>> OpenAsync(params (string Repository, int Count)[] wanted)
    {
        var pulls = new List<(string, PullRequest)>();
        foreach (var (fullName, count) in wanted)
        {
            var parts = fullName.Split('/');
            var repository = Api.Add(parts[0], parts[1]).With("README.md", "# r\n");
            for (var i = 0; i < count; i++)
            {
                var branch = $"codybatch/t-{i}";
                (await _http.PostAsJsonAsync($"repos/{fullName}/git/refs", new { @ref = $"refs/heads/{branch}", sha = Api.HeadOf(repository) })).EnsureSuccessStatusCode();
                var created = JsonNode.Parse(await (await _http.PostAsJsonAsync($"repos/{fullName}/pulls", new { title = "T", head = branch, @base = "main", body = "b" }))
                    .EnsureSuccessStatusCode().Content.ReadAsStringAsync())!;
                pulls.Add((fullName, PullRequestTracking.Opened(
                    created["html_url"]!.GetValue<string>(), created["number"]!.GetValue<int>(), branch, created["head"]!["sha"]!.GetValue<string>(), false, null, DateTimeOffset.UnixEpoch)));
            }
        }

        return pulls;
    }
}
