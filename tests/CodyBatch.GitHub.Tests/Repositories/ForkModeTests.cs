namespace CodyBatch.GitHub.Tests.Repositories;

/// <summary>CodyBatch:GitHub:ForkWhenNoPush: fork, wait for it, push there, open the pull request from the fork.</summary>
public sealed class ForkModeTests : GitHubFixture
{
    private const string JobId = "01jobjobjobjobjobjobjobjob";

    public override async Task InitializeAsync()
    {
        Options.ForkWhenNoPush = true;
        await base.InitializeAsync();
    }

    private async Task<(ResolvedRepository Resolved, PublishedChange Published)> PublishAsync(string fullName)
    {
        var (resolved, workspace) = await CheckOutAsync(fullName);
        await using var _ = workspace;
        TestRepository.At(workspace.RepositoryPath).Write("a.txt", "changed\n");
        var request = new PublishRequest(JobId, resolved, workspace.RepositoryPath, await workspace.CreatePatchAsync(CancellationToken.None), "T", "B", await workspace.ListChangesAsync(CancellationToken.None))
        {
            Settings = PublishSettings.Default,
        };
        return (resolved, await Host.PublishAsync(request, CancellationToken.None));
    }

    [Fact]
    public async Task A_repository_the_account_cannot_push_to_gets_a_pull_request_from_its_fork()
    {
        Api.Add("upstream", "lib").With("a.txt", "a\n").CanPush = false;

        var (resolved, published) = await PublishAsync("upstream/lib");

        Assert.False(resolved.CanPush);
        Assert.True(resolved.PublishesThroughFork);
        Assert.Empty(Api.Problems);
        Assert.Equal("upstream/lib", Api.ForkOf("codybatch-bot/lib"));
        Assert.Single(Api.Requests, r => r.Method == "POST" && r.Path == "/repos/upstream/lib/forks");

        // GitHub forks asynchronously: the fork was read until it was there, waiting 1 s then 2 s.
        Assert.Equal(3, Api.Requests.Count(r => r.Method == "GET" && r.Path.StartsWith("/repos/codybatch-bot/lib/commits/", StringComparison.Ordinal)));
        Assert.Equal([TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2)], Time.Delays.Where(d => d >= TimeSpan.FromSeconds(1)));

        // The branch and its commit are in the fork; nothing was written to the upstream repository but the pull request.
        var head = Api.Branch("codybatch-bot/lib", published.Branch);
        Assert.NotNull(head);
        Assert.Null(Api.Branch("upstream/lib", published.Branch));
        Assert.Equal([resolved.CommitSha], Api.Commit(head!).Parents);
        Assert.Equal("changed\n", System.Text.Encoding.UTF8.GetString(Api.FilesOf(head!)["a.txt"].Content));
        Assert.DoesNotContain(Api.Requests, r => r.Method is "POST" or "PATCH" && r.Path.StartsWith("/repos/upstream/lib/git/", StringComparison.Ordinal));

        var pull = Assert.Single(Api.PullRequests);
        Assert.Equal("upstream/lib", pull["repository"]!.GetValue<string>());
        Assert.Equal($"codybatch-bot:codybatch/{JobId}-lib", pull["head"]!["label"]!.GetValue<string>());
        Assert.Equal(head, pull["head"]!["sha"]!.GetValue<string>());
        Assert.Equal("https://github.example/upstream/lib/pull/1", published.PullRequestUrl);
        Assert.Equal("The service account may not push to upstream/lib, so the pull request comes from its fork codybatch-bot/lib.", published.Notice);
    }

    [Fact]
    public async Task A_retry_reuses_the_fork_and_the_open_pull_request()
    {
        Api.Add("upstream", "lib").With("a.txt", "a\n").CanPush = false;

        var (_, first) = await PublishAsync("upstream/lib");
        var (_, second) = await PublishAsync("upstream/lib");

        Assert.Equal(first.PullRequestUrl, second.PullRequestUrl);
        Assert.Single(Api.PullRequests);
        Assert.Equal(2, Api.Requests.Count(r => r.Method == "POST" && r.Path == "/repos/upstream/lib/forks"));
        Assert.Contains(Api.Requests, r => r.Method == "GET" && r.Path == "/repos/upstream/lib/pulls" && r.Query.Contains("head=codybatch-bot%3Acodybatch", StringComparison.OrdinalIgnoreCase));
        Assert.Empty(Api.Problems);
    }

    [Fact]
    public async Task Forks_go_to_the_configured_organization()
    {
        Options.ForkOrganization = "acme-bots";
        Api.Add("upstream", "lib").With("a.txt", "a\n").CanPush = false;

        var (_, published) = await PublishAsync("upstream/lib");

        Assert.Equal("upstream/lib", Api.ForkOf("acme-bots/lib"));
        Assert.Equal("acme-bots", System.Text.Json.Nodes.JsonNode.Parse(Assert.Single(Api.Requests, r => r.Path == "/repos/upstream/lib/forks").Body)!["organization"]!.GetValue<string>());
        Assert.Equal($"acme-bots:codybatch/{JobId}-lib", Assert.Single(Api.PullRequests)["head"]!["label"]!.GetValue<string>());
        Assert.NotNull(published.PullRequestUrl);
        Assert.Empty(Api.Problems);
    }

    [Fact]
    public async Task Without_fork_mode_a_repository_without_push_is_not_published_through_a_fork()
    {
        Options.ForkWhenNoPush = false;
        Api.Add("upstream", "lib").With("a.txt", "a\n").CanPush = false;

        var resolved = await Host.ResolveAsync("upstream/lib", CancellationToken.None);

        Assert.False(resolved.CanPublish);
    }
}
