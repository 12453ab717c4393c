using System.Net;
using CodyBatch.GitHub.Identity;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using Octokit;
using Octokit.Internal;

namespace CodyBatch.GitHub.Api;

/// <summary>
/// The service account's connection to GitHub, rooted at <c>GITHUB_API_URL</c> (default
/// <c>https://api.github.com</c>; a GitHub Enterprise root or a test server otherwise): an Octokit
/// client, and an <see cref="HttpClient"/> for the one call Octokit would buffer in memory (the
/// tarball). Each request gets its token from <see cref="GitHubCredentials"/> (the personal token,
/// or the GitHub App's installation token for the repository's owner) and then passes one
/// <see cref="GitHubRateLimitHandler"/> over that token's process-wide rate-limit state.
/// </summary>
public sealed class GitHubConnection(
    IConfiguration configuration, GitHubRateLimits limits, IOptions<GitHubOptions> options, TimeProvider time, GitHubCredentials? credentials = null) : IDisposable
{
    private readonly GitHubCredentials _credentials = credentials ?? new GitHubCredentials(configuration, options, time);
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

            // Fails early, with the sentence, when there is no token at all.
            if (!_credentials.UsesApp)
            {
                _ = _credentials.TokenForAsync(null, null, CancellationToken.None).AsTask().GetAwaiter().GetResult();
            }

            // Octokit follows redirects itself, so its handler must not. The rate-limit state is the
            // one of the token the authentication handler put on the request.
            var octokitHandler = new GitHubAuthenticationHandler(_credentials, limits)
            {
                InnerHandler = new GitHubRateLimitHandler(null, options, time)
                {
                    InnerHandler = new HttpClientHandler { AllowAutoRedirect = false, AutomaticDecompression = DecompressionMethods.GZip | DecompressionMethods.Deflate },
                },
            };
            var connection = new Connection(
                new ProductHeaderValue("codybatch"),
                new Uri(_credentials.ApiRoot.AbsoluteUri.TrimEnd('/')),
                new InMemoryCredentialStore(Octokit.Credentials.Anonymous),
                new HttpClientAdapter(() => octokitHandler),
                new SimpleJsonSerializer());
            var client = new GitHubClient(connection);

            // The tarball's redirect to the download host is followed without the token.
            var http = new HttpClient(new GitHubAuthenticationHandler(_credentials, limits)
            {
                InnerHandler = new GitHubRateLimitHandler(null, options, time) { InnerHandler = new HttpClientHandler() },
            })
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
