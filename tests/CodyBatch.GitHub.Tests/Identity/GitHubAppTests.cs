using System.Security.Cryptography;
using CodyBatch.Core.Configuration;
using CodyBatch.Core.Workspaces;
using CodyBatch.GitHub.Api;
using CodyBatch.GitHub.Identity;
using CodyBatch.LocalGit;
using CodyBatch.Testing.Anthropic;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Time.Testing;
using MsOptions = Microsoft.Extensions.Options.Options;

namespace CodyBatch.GitHub.Tests.Identity;

/// <summary>Cody Batch as a GitHub App: JWT, installation tokens cached and renewed, commits without an author.</summary>
public sealed class GitHubAppTests : IAsyncLifetime
{
    private const string AppId = "Iv23liCodyBatch01";
    private readonly TempDirectory _root = new("codybatch-app");
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 29, 12, 0, 0, TimeSpan.Zero));
    private readonly RSA _key = RSA.Create(2048);
    private readonly GitHubOptions _options = new() { AppId = AppId, WriteSpacing = TimeSpan.FromMilliseconds(10) };
    private FakeGitHubApi _api = null!;
    private GitHubCredentials _credentials = null!;
    private GitHubConnection _connection = null!;
    private GitHubRepositoryHost _host = null!;
    private InstantTimeProvider _instant = null!;
    private GitHubRateLimits _limits = null!;

    public async Task InitializeAsync()
    {
        _api = await FakeGitHubApi.StartAsync();
        _api.Clock = _clock;
        _api.RegisterApp(AppId, RSA.Create(_key.ExportParameters(includePrivateParameters: false)));
        _api.Install("octo", 4242);
        Connect(_key.ExportRSAPrivateKeyPem());
    }

    public async Task DisposeAsync()
    {
        _connection.Dispose();
        _credentials.Dispose();
        _key.Dispose();
        await _api.DisposeAsync();
        _root.Dispose();
    }

    // The key as an environment variable often holds it: one line, with \n for the line breaks.
    private void Connect(string privateKeyPem)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["GITHUB_API_URL"] = _api.BaseUrl,
            ["CodyBatch:GitHub:PrivateKey"] = privateKeyPem.Replace("\n", "\\n", StringComparison.Ordinal),
        }).Build();
        _credentials = new GitHubCredentials(configuration, MsOptions.Create(_options), _clock);
        var instant = _instant = new InstantTimeProvider();
        _limits = new GitHubRateLimits(instant);
        _connection = new GitHubConnection(configuration, _limits, MsOptions.Create(_options), instant, _credentials);
        _host = new GitHubRepositoryHost(_connection, new GitHubCalls(MsOptions.Create(_options), instant), MsOptions.Create(_options), instant);
    }

    private async Task<PublishRequest> ChangeAsync(string fullName, string file, string content)
    {
        var resolved = await _host.ResolveAsync(fullName, CancellationToken.None);
        var factory = new WorkspaceFactory(MsOptions.Create(new CodyBatchOptions { DataDirectory = _root.Combine("data") }), MsOptions.Create(new WorkspaceOptions()), new GitCommandLine());
        var workspace = factory.Create("01jobjobjobjobjobjobjobjob", fullName, 1);
        await _host.FetchSnapshotAsync(resolved, workspace.RepositoryPath, CancellationToken.None);
        await workspace.BaselineAsync(CancellationToken.None);
        TestRepository.At(workspace.RepositoryPath).Write(file, content);
        return new PublishRequest("01jobjobjobjobjobjobjobjob", resolved, workspace.RepositoryPath, await workspace.CreatePatchAsync(CancellationToken.None), "T", "B", await workspace.ListChangesAsync(CancellationToken.None))
        {
            Settings = PublishSettings.Default,
        };
    }

    private IEnumerable<string> TokensUsedOn(string path) =>
        _api.Requests.Where(r => r.Path == path).Select(r => r.Authorization.Replace("Bearer ", "", StringComparison.Ordinal));

    [Fact]
    public async Task The_JWT_verifies_and_one_installation_token_is_reused_until_near_expiry_then_renewed()
    {
        _api.Add("octo", "app").With("a.txt", "a\n");
        var start = _clock.GetUtcNow();

        await _host.ResolveAsync("octo/app", CancellationToken.None);

        // The JWT: verified by the fake with the app's public key (RS256), iss the app, iat a minute back, exp 9 minutes ahead.
        var claims = _api.JwtClaims;
        Assert.Equal(2, claims.Count);
        Assert.All(claims, c =>
        {
            Assert.Equal(AppId, c["iss"]!.GetValue<string>());
            Assert.Equal((start - TimeSpan.FromSeconds(60)).ToUnixTimeSeconds(), c["iat"]!.GetValue<long>());
            Assert.Equal((start + TimeSpan.FromMinutes(9)).ToUnixTimeSeconds(), c["exp"]!.GetValue<long>());
        });
        Assert.Single(_api.Requests, r => r.Method == "GET" && r.Path == "/repos/octo/app/installation");
        Assert.Single(_api.Requests, r => r.Method == "POST" && r.Path == "/app/installations/4242/access_tokens");
        var first = Assert.Single(_api.InstallationTokens);
        Assert.Equal(start.AddHours(1), first.ExpiresAt);
        Assert.All(TokensUsedOn("/repos/octo/app"), t => Assert.Equal(first.Token, t));

        // Half an hour later the same token is still good: no new exchange.
        _clock.Advance(TimeSpan.FromMinutes(30));
        await _host.ResolveAsync("octo/app", CancellationToken.None);
        Assert.Single(_api.InstallationTokens);
        Assert.Equal([first.Token, first.Token], TokensUsedOn("/repos/octo/app"));

        // Four minutes before it expires (inside the five-minute margin) it is renewed, without looking the installation up again.
        _clock.Advance(TimeSpan.FromMinutes(26));
        await _host.ResolveAsync("octo/app", CancellationToken.None);
        Assert.Equal(2, _api.InstallationTokens.Count);
        var second = _api.InstallationTokens[1];
        Assert.NotEqual(first.Token, second.Token);
        Assert.Equal(second.Token, TokensUsedOn("/repos/octo/app").Last());
        Assert.Single(_api.Requests, r => r.Path == "/repos/octo/app/installation");
        Assert.Equal(3, _api.JwtClaims.Count);
        Assert.Empty(_api.Problems);
    }

    [Fact]
    public async Task Each_installation_token_has_its_own_rate_limit_state()
    {
        _api.Install("acme", 77);
        _api.Add("octo", "app").With("a.txt", "a\n");
        _api.Add("acme", "lib").With("a.txt", "a\n");
        await _host.ResolveAsync("octo/app", CancellationToken.None);
        await _host.ResolveAsync("acme/lib", CancellationToken.None);
        var octo = TokensUsedOn("/repos/octo/app").Single();
        var acme = TokensUsedOn("/repos/acme/lib").Single();
        Assert.NotEqual(octo, acme);

        // A secondary limit on octo's installation holds octo's requests, not acme's.
        _limits.For(octo).Hold(TimeSpan.FromMinutes(5), "secondary");
        _instant.Delays.Clear();
        await _host.ResolveAsync("acme/lib", CancellationToken.None);
        Assert.DoesNotContain(_instant.Delays, d => d >= TimeSpan.FromMinutes(4));
        await _host.ResolveAsync("octo/app", CancellationToken.None);
        Assert.Contains(_instant.Delays, d => d >= TimeSpan.FromMinutes(4));
        Assert.Equal(2, _api.InstallationTokens.Count);
        Assert.Empty(_api.Problems);
    }

    [Fact]
    public async Task Commits_made_with_an_installation_token_carry_no_author_and_the_pull_request_is_the_apps()
    {
        _api.Add("octo", "app").With("a.txt", "a\n");
        var request = await ChangeAsync("octo/app", "a.txt", "b\n");

        var published = await _host.PublishAsync(request, CancellationToken.None);

        var commit = JsonNode.Parse(Assert.Single(_api.Requests, r => r.Method == "POST" && r.Path == "/repos/octo/app/git/commits").Body)!.AsObject();
        Assert.False(commit.ContainsKey("author"), commit.ToJsonString());
        Assert.False(commit.ContainsKey("committer"), commit.ToJsonString());
        Assert.Equal(["message", "parents", "tree"], commit.Select(p => p.Key).Order(StringComparer.Ordinal));
        Assert.Equal("codybatch[bot]", Assert.Single(_api.PullRequests)["user"]!["login"]!.GetValue<string>());
        Assert.NotNull(published.PullRequestUrl);
        Assert.All(_api.Requests.Where(r => r.Path.StartsWith("/repos/octo/app/git/", StringComparison.Ordinal)), r => Assert.StartsWith("Bearer ghs_", r.Authorization, StringComparison.Ordinal));
        Assert.Empty(_api.Problems);
    }

    [Fact]
    public async Task An_installation_without_workflows_write_keeps_a_workflow_change_as_a_patch()
    {
        _api.Add("octo", "app").With(".github/workflows/ci.yml", "on: push\n");
        var request = await ChangeAsync("octo/app", ".github/workflows/ci.yml", "on: pull_request\n");

        var skipped = await Assert.ThrowsAsync<PublishSkippedException>(() => _host.PublishAsync(request, CancellationToken.None));

        Assert.Equal(
            "No pull request: the change touches .github/workflows/ci.yml, and GitHub lets only a GitHub App with the workflows: write permission change workflow files (the App's installation has workflows: none), so nothing was pushed and the patch is here to apply by hand.",
            skipped.Message);
        Assert.DoesNotContain(_api.Requests, r => r.Method is "POST" or "PATCH" && r.Path.StartsWith("/repos/", StringComparison.Ordinal));
        Assert.Empty(_api.Problems);
    }

    [Fact]
    public async Task An_installation_with_workflows_write_publishes_a_workflow_change()
    {
        _api.Install("octo", 4242, new() { ["contents"] = "write", ["pull_requests"] = "write", ["workflows"] = "write" });
        _api.Add("octo", "app").With(".github/workflows/ci.yml", "on: push\n");
        var request = await ChangeAsync("octo/app", ".github/workflows/ci.yml", "on: pull_request\n");

        var published = await _host.PublishAsync(request, CancellationToken.None);

        Assert.NotNull(published.PullRequestUrl);
        Assert.Empty(_api.Problems);
    }

    [Fact]
    public async Task A_key_that_is_not_the_apps_is_refused_and_the_run_says_what_to_check()
    {
        _api.Add("octo", "app").With("a.txt", "a\n");
        using var other = RSA.Create(2048);
        _connection.Dispose();
        _credentials.Dispose();
        Connect(other.ExportPkcs8PrivateKeyPem());

        var failure = await Assert.ThrowsAsync<RunFailedException>(() => _host.ResolveAsync("octo/app", CancellationToken.None));

        Assert.StartsWith("GitHub refused the App's request for its installation on octo (401: A JSON web token could not be decoded", failure.Message, StringComparison.Ordinal);
        Assert.EndsWith("check CodyBatch:GitHub:AppId and the private key.", failure.Message, StringComparison.Ordinal);
        Assert.Contains(_api.Problems, p => p.Contains("signature does not verify", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_owner_without_the_app_installed_is_named()
    {
        _api.Add("elsewhere", "app").With("a.txt", "a\n");

        var failure = await Assert.ThrowsAsync<RunFailedException>(() => _host.ResolveAsync("elsewhere/app", CancellationToken.None));

        Assert.Equal("The GitHub App (CodyBatch:GitHub:AppId) is not installed on elsewhere; install it there, with access to the repository.", failure.Message);
        Assert.Empty(_api.Problems);
    }

    [Fact]
    public async Task An_installation_with_checks_write_publishes_the_verification_as_a_check_run_with_the_table()
    {
        _api.Install("octo", 4242, new() { ["contents"] = "write", ["pull_requests"] = "write", ["checks"] = "write" });
        _api.Add("octo", "app").With("a.txt", "a\n");
        var published = await _host.PublishAsync(await ChangeAsync("octo/app", "a.txt", "b\n"), CancellationToken.None);
        var pulls = new CodyBatch.GitHub.PullRequests.GitHubPullRequestHost(_connection, new GitHubCalls(MsOptions.Create(_options), _instant));
        var report = Core.PullRequests.VerificationReports.For(
            new Core.Checks.Verification
            {
                Status = Core.Checks.VerificationStatus.Fixed,
                Source = "the job",
                Checks = [new("unit", "make test", new(1, 1000, null, ""), new(0, 1000, null, ""))],
            },
            "https://codybatch.example.com",
            "01jobjobjobjobjobjobjobjob")!;

        var kind = await pulls.PublishVerificationAsync("octo/app", published.HeadSha!, report, CancellationToken.None);

        Assert.Equal("check run", kind);
        var run = Assert.Single(_api.CheckRunsOf("octo/app", published.HeadSha!));
        Assert.Equal(("codybatch/verification", "completed", "success"), (run["name"]!.GetValue<string>(), run["status"]!.GetValue<string>(), run["conclusion"]!.GetValue<string>()));
        Assert.Equal(report.Description, run["output"]!["title"]!.GetValue<string>());
        Assert.Contains("| `make test` | ❌ exit 1 (1.0 s) | ✅ passed (1.0 s) |", run["output"]!["summary"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("https://codybatch.example.com/jobs/01jobjobjobjobjobjobjobjob", run["details_url"]!.GetValue<string>());
        Assert.Empty(_api.StatusesOf("octo/app", published.HeadSha!));
        Assert.Empty(_api.Problems);
    }

    [Fact]
    public async Task An_installation_without_checks_write_is_refused_and_the_sentence_says_so()
    {
        _api.Add("octo", "app").With("a.txt", "a\n");
        var published = await _host.PublishAsync(await ChangeAsync("octo/app", "a.txt", "b\n"), CancellationToken.None);
        var pulls = new CodyBatch.GitHub.PullRequests.GitHubPullRequestHost(_connection, new GitHubCalls(MsOptions.Create(_options), _instant));
        var report = new Core.PullRequests.VerificationReport("success", "Checks pass before and after the change (1 of 1).", "table", null);

        var refused = await Assert.ThrowsAsync<RunFailedException>(() => pulls.PublishVerificationAsync("octo/app", published.HeadSha!, report, CancellationToken.None));

        Assert.EndsWith("as a check run (403: Resource not accessible by integration).", refused.Message, StringComparison.Ordinal);
        Assert.Empty(_api.CheckRunsOf("octo/app", published.HeadSha!));
    }
}
