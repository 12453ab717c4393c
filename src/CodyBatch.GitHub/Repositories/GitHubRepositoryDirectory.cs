using System.Text.Json;
using System.Text.Json.Nodes;
using CodyBatch.Core.Repositories;
using CodyBatch.Core.Runs;
using CodyBatch.GitHub.Api;
using CodyBatch.GitHub.Identity;

namespace CodyBatch.GitHub.Repositories;

/// <summary>
/// The repositories a campaign's selection filters, with their topics, primary language, archived and fork flags:
/// <c>GET /orgs/{org}/repos</c> for one organization, otherwise <c>GET /user/repos</c> (a token) or
/// <c>GET /installation/repositories</c> per installation (a GitHub App), 100 a page, following the <c>Link</c>
/// header's <c>next</c> page (on the configured API host only).
/// </summary>
public sealed class GitHubRepositoryDirectory(GitHubConnection connection, GitHubCalls calls) : IRepositoryDirectory
{
    /// <summary>Most repositories read for one selection.</summary>
    public const int MaxRepositories = 10_000;

    /// <inheritdoc />
    public async Task<IReadOnlyList<RepositoryListing>> ListAsync(string? organization, CancellationToken cancellationToken)
    {
        var found = new List<RepositoryListing>();
        if (organization is not null)
        {
            var account = connection.Credentials.UsesApp ? organization : null;
            await ReadPagesAsync($"orgs/{Uri.EscapeDataString(organization)}/repos?type=all&per_page=100", account, $"list the repositories of {organization}", found, cancellationToken);
        }
        else if (connection.Credentials.UsesApp)
        {
            foreach (var installation in await connection.Credentials.ListInstallationsAsync(cancellationToken))
            {
                await ReadPagesAsync("installation/repositories?per_page=100", installation.Account, $"list the repositories of the App's installation on {installation.Account}", found, cancellationToken);
            }
        }
        else
        {
            await ReadPagesAsync("user/repos?affiliation=owner,collaborator,organization_member&per_page=100", null, "list the service account's repositories", found, cancellationToken);
        }

        return found;
    }

    private async Task ReadPagesAsync(string first, string? account, string what, List<RepositoryListing> found, CancellationToken cancellationToken)
    {
        for (Uri? page = new(first, UriKind.Relative); page is not null && found.Count < MaxRepositories;)
        {
            var (listings, next) = await calls.ReadAsync(what, () => PageAsync(page, account, what, cancellationToken), cancellationToken);
            found.AddRange(listings);
            page = next;
        }
    }

    private async Task<(List<RepositoryListing> Listings, Uri? Next)> PageAsync(Uri page, string? account, string what, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, page);
        if (account is not null)
        {
            request.Options.Set(GitHubAuthenticationHandler.OwnerKey, account);
        }

        using var response = await connection.Http.SendAsync(request, cancellationToken);
        if (response.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            throw new RunFailedException($"GitHub answered 404 Not Found to {what}: the organization does not exist or the service account cannot see it.");
        }

        if (!response.IsSuccessStatusCode)
        {
            throw await GitHubResponseException.FromAsync(response, cancellationToken);
        }

        var json = JsonNode.Parse(await response.Content.ReadAsStringAsync(cancellationToken))!;
        var items = json is JsonArray array ? array : json["repositories"]?.AsArray() ?? [];
        var listings = items.Where(r => r is not null).Select(r => new RepositoryListing(
            r!["full_name"]!.GetValue<string>(),
            r["topics"] is JsonArray topics ? [.. topics.Where(t => t?.GetValueKind() == JsonValueKind.String).Select(t => t!.GetValue<string>())] : [],
            r["language"]?.GetValueKind() == JsonValueKind.String ? r["language"]!.GetValue<string>() : null,
            r["archived"]?.GetValueKind() == JsonValueKind.True,
            r["fork"]?.GetValueKind() == JsonValueKind.True,
            r["permissions"] is { } permissions && (Granted(permissions, "push") || Granted(permissions, "maintain") || Granted(permissions, "admin")))).ToList();
        var root = connection.Http.BaseAddress!;
        var next = LinkHeader.Next(response.Headers) is { } link && link.Host == root.Host && link.Port == root.Port && link.Scheme == root.Scheme ? link : null;
        return (listings, next);
    }

    private static bool Granted(JsonNode permissions, string name) => permissions[name]?.GetValueKind() == JsonValueKind.True;
}
