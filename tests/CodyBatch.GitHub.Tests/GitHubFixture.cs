using CodyBatch.Core.Configuration;
using CodyBatch.Core.Workspaces;
using CodyBatch.GitHub.Api;
using CodyBatch.LocalGit;
using CodyBatch.Testing.Anthropic;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace CodyBatch.GitHub.Tests;

/// <summary>The GitHub host against the fake GitHub API, with workspaces in a temp folder.</summary>
public abstract class GitHubFixture : IAsyncLifetime
{
    protected TempDirectory Root { get; } = new("codybatch-github");

    protected FakeGitHubApi Api { get; private set; } = null!;

    protected InstantTimeProvider Time { get; } = new();

    protected GitHubOptions Options { get; } = new() { WriteSpacing = TimeSpan.FromMilliseconds(10) };

    protected GitHubRepositoryHost Host { get; private set; } = null!;

    protected GitHubConnection Connection { get; private set; } = null!;

    protected GitHubCalls Calls { get; private set; } = null!;

    public virtual async Task InitializeAsync()
    {
        Api = await FakeGitHubApi.StartAsync();
        (Connection, Calls, Host) = Create(Time);
    }

    /// <summary>A connection, calls and host on their own rate-limit state, with <paramref name="time"/> as their clock.</summary>
    protected (GitHubConnection Connection, GitHubCalls Calls, GitHubRepositoryHost Host) Create(TimeProvider time)
    {
        var options = Microsoft.Extensions.Options.Options.Create(Options);
        var connection = new GitHubConnection(
            new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["GITHUB_TOKEN"] = Api.Token,
                ["GITHUB_API_URL"] = Api.BaseUrl,
            }).Build(),
            new GitHubRateLimits(time),
            options,
            time);
        var calls = new GitHubCalls(options, time);
        return (connection, calls, new GitHubRepositoryHost(connection, calls, options, time));
    }

    public virtual async Task DisposeAsync()
    {
        Connection.Dispose();
        await Api.DisposeAsync();
        Root.Dispose();
    }

    protected async Task<(ResolvedRepository Resolved, Workspace Workspace)> CheckOutAsync(string fullName)
    {
        var resolved = await Host.ResolveAsync(fullName, CancellationToken.None);
        var factory = new WorkspaceFactory(
            Microsoft.Extensions.Options.Options.Create(new CodyBatchOptions { DataDirectory = Root.Combine("data") }),
            Microsoft.Extensions.Options.Options.Create(new WorkspaceOptions()), new GitCommandLine());
        var workspace = factory.Create("01jobjobjobjobjobjobjobjob", fullName, 1);
        await Host.FetchSnapshotAsync(resolved, workspace.RepositoryPath, CancellationToken.None);
        await workspace.BaselineAsync(CancellationToken.None);
        return (resolved, workspace);
    }

    /// <summary>
    /// A new <c>octo/app</c> with a one-line change published to it as a pull request; the pull request as following it starts.
    /// </summary>
    protected async Task<PullRequest> OpenPullRequestAsync()
    {
        Api.Add("octo", "app").With("a.txt", "a\n");
        var (resolved, workspace) = await CheckOutAsync("octo/app");
        await using var _ = workspace;
        TestRepository.At(workspace.RepositoryPath).Write("a.txt", "b\n");
        var patch = await workspace.CreatePatchAsync(CancellationToken.None);
        var published = await Host.PublishAsync(
            new PublishRequest("01jobjobjobjobjobjobjobjob", resolved, workspace.RepositoryPath, patch, "T", "B", await workspace.ListChangesAsync(CancellationToken.None)),
            CancellationToken.None);
        return PullRequestTracking.Opened(published.PullRequestUrl!, published.Number!.Value, published.Branch, published.HeadSha, published.Draft, PullRequestTracking.Digest(patch), DateTimeOffset.UnixEpoch);
    }

    /// <summary>Requests to the API proper (the download host does not count).</summary>
    protected int ApiCalls => Api.Requests.Count(r => !r.Path.StartsWith("/_codeload/", StringComparison.Ordinal));
}
