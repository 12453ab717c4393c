using System.Net.Http.Headers;
using CodyBatch.GitHub.Api;

namespace CodyBatch.GitHub.Identity;

/// <summary>
/// Puts the right token on each GitHub request: the one for the owner of the repository the path
/// names (<c>repos/{owner}/{name}/…</c>), which for a GitHub App is that owner's installation token.
/// A redirect to another host (the tarball's download host) is followed without it. Rate limits
/// are tracked per token: the request carries its token's state to <see cref="GitHubRateLimitHandler"/>.
/// </summary>
public sealed class GitHubAuthenticationHandler(GitHubCredentials credentials, GitHubRateLimits limits) : DelegatingHandler
{
    /// <summary>The account whose token a request that names no repository in its path (GraphQL) goes with.</summary>
    public static readonly HttpRequestOptionsKey<string> OwnerKey = new("codybatch.github.owner");

    /// <inheritdoc />
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var (owner, repository) = RepositoryOf(request.RequestUri);
        if (owner is null && request.Options.TryGetValue(OwnerKey, out var account))
        {
            owner = account;
        }

        var token = await credentials.TokenForAsync(owner, repository, cancellationToken);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        request.Options.Set(GitHubRateLimitHandler.StateKey, limits.For(token));
        var response = await base.SendAsync(request, cancellationToken);
        credentials.Observe(token, response.Headers);
        return response;
    }

    /// <summary>The owner and name a GitHub API path is about, or nulls.</summary>
    public static (string? Owner, string? Repository) RepositoryOf(Uri? uri)
    {
        var segments = uri?.AbsolutePath.Split('/', StringSplitOptions.RemoveEmptyEntries) ?? [];
        var at = Array.IndexOf(segments, "repos");
        return at >= 0 && at + 2 < segments.Length
            ? (Uri.UnescapeDataString(segments[at + 1]), Uri.UnescapeDataString(segments[at + 2]))
            : (null, null);
    }
}
