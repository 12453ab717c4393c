using System.Net;
using System.Net.Http.Headers;
using CodyBatch.Core.Runs;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using Octokit;
using Octokit.Internal;

namespace CodyBatch.GitHub.GitHub;

/// <summary>
/// The service account's connection to GitHub, from <c>GITHUB_TOKEN</c> and <c>GITHUB_API_URL</c>
/// (default <c>https://api.github.com</c>; a GitHub Enterprise root or a test server otherwise):
/// an Octokit client, and an <see cref="HttpClient"/> for the one call Octokit would buffer in
/// memory (the tarball). Both send through one <see cref="GitHubRateLimitHandler"/> over the token's
/// process-wide rate-limit state.
/// </summary>
public sealed class GitHubConnection(IConfiguration configuration, GitHubRateLimits limits, IOptions<GitHubOptions> options, TimeProvider time) : IDisposable
{
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

            var token = configuration["GITHUB_TOKEN"];
            if (string.IsNullOrWhiteSpace(token))
            {
                throw new RunFailedException("GITHUB_TOKEN is not set, so GitHub repositories cannot be reached; set it to the service account's token.");
            }

            var apiUrl = configuration["GITHUB_API_URL"] is { Length: > 0 } configured ? configured : "https://api.github.com";
            var state = limits.For(token);

            // Octokit follows redirects itself, so its handler must not.
            var octokitHandler = new GitHubRateLimitHandler(state, options, time)
            {
                InnerHandler = new HttpClientHandler { AllowAutoRedirect = false, AutomaticDecompression = DecompressionMethods.GZip | DecompressionMethods.Deflate },
            };
            var connection = new Connection(
                new Octokit.ProductHeaderValue("codybatch"),
                new Uri(apiUrl),
                new InMemoryCredentialStore(new Credentials(token)),
                new HttpClientAdapter(() => octokitHandler),
                new SimpleJsonSerializer());
            var client = new GitHubClient(connection);
            var http = new HttpClient(new GitHubRateLimitHandler(state, options, time) { InnerHandler = new HttpClientHandler() })
            {
                BaseAddress = client.Connection.BaseAddress,
                Timeout = Timeout.InfiniteTimeSpan,
            };
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
            http.DefaultRequestHeaders.UserAgent.ParseAdd("codybatch");
            http.DefaultRequestHeaders.Accept.ParseAdd("application/vnd.github+json");
            http.DefaultRequestHeaders.Add("X-GitHub-Api-Version", "2022-11-28");
            (_client, _http) = (client, http);
        }
    }
}
