using CodyBatch.GitHub.GitHub.Identity;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using Octokit;
using Octokit.Internal;

namespace CodyBatch.GitHub.GitHub;

/// <summary>
/// The service account's connection to GitHub, rooted at <c>GITHUB_API_URL</c> (default
/// <c>https://api.github.com</c>; a GitHub Enterprise root or a test server otherwise): an Octokit
/// client, and an <see cref="HttpClient"/> for the one call Octokit would buffer in memory (the
/// tarball). Both authenticate each request through <see cref="GitHubCredentials"/>: the personal
/// token, or the GitHub App's installation token for the repository's owner.
/// </summary>
public sealed class GitHubConnection(IConfiguration configuration, GitHubCredentials? appCredentials = null) : IDisposable
{
    private readonly GitHubCredentials _credentials = appCredentials
        ?? new GitHubCredentials(configuration, Options.Create(new GitHubOptions()), TimeProvider.System);

    private readonly Lock _gate = new();
    private GitHubClient? _client;
    private HttpClient? _http;

    /// <summary>The Octokit client; a run fails with a sentence when no token is configured.</summary>
    public IGitHubClient Client
    {
        get
        {
            Open();
            return _client!;
        }
    }

    /// <summary>A client for raw calls, authenticated like <see cref="Client"/>, rooted at the same API address.</summary>
    public HttpClient Http
    {
        get
        {
            Open();
            return _http!;
        }
    }

    /// <summary>Who the account is, per request.</summary>
    public GitHubCredentials Credentials => _credentials;

    /// <inheritdoc />
    public void Dispose() => _http?.Dispose();

    private void Open()
    {
        lock (_gate)
        {
            if (_client is not null)
            {
                return;
            }

            // Fails early, with the sentence, when there is no way to authenticate at all.
            if (!_credentials.UsesApp)
            {
                _ = _credentials.TokenForAsync(null, null, CancellationToken.None).AsTask().GetAwaiter().GetResult();
            }

            var root = _credentials.ApiRoot;
            var connection = new Connection(
                new ProductHeaderValue("codybatch"),
                new Uri(root.AbsoluteUri.TrimEnd('/')),
                new InMemoryCredentialStore(Octokit.Credentials.Anonymous),
                new HttpClientAdapter(() => new GitHubAuthenticationHandler(_credentials) { InnerHandler = HttpMessageHandlerFactory.CreateDefault() }),
                new SimpleJsonSerializer());
            var client = new GitHubClient(connection);
            var http = new HttpClient(new GitHubAuthenticationHandler(_credentials) { InnerHandler = new SocketsHttpHandler() })
            {
                BaseAddress = client.Connection.BaseAddress,
                Timeout = Timeout.InfiniteTimeSpan,
            };
            http.DefaultRequestHeaders.UserAgent.ParseAdd("codybatch");
            http.DefaultRequestHeaders.Accept.ParseAdd("application/vnd.github+json");
            http.DefaultRequestHeaders.Add("X-GitHub-Api-Version", "2022-11-28");
            (_client, _http) = (client, http);
        }
    }
}
