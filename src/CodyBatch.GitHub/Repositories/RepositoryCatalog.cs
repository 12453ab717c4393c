using System.Text.Json.Nodes;
using CodyBatch.GitHub.Api;
using CodyBatch.GitHub.Identity;
using Microsoft.Extensions.Options;
using Octokit;

namespace CodyBatch.GitHub.Repositories;

/// <summary>
/// The repositories the service account can see, searched and paged, cached briefly: with a token, its own, its
/// collaborations and its organizations'; with a GitHub App, those of every installation (each listed with that
/// installation's token), pushable where the installation has <c>contents: write</c>.
/// </summary>
public sealed class RepositoryCatalog(GitHubConnection connection, GitHubCalls calls, IOptions<GitHubOptions> options, TimeProvider time)
{
    /// <summary>Repositories per page.</summary>
    public const int PageSize = 30;

    /// <summary>Most repositories read from GitHub for the list.</summary>
    public const int MaxRepositories = 1000;

    private readonly SemaphoreSlim _gate = new(1, 1);
    private (DateTimeOffset At, IReadOnlyList<RepositorySummary> Items)? _cache;

    /// <summary>Page <paramref name="page"/> (from 1) of the repositories whose name or description contains <paramref name="query"/>.</summary>
    public async Task<RepositoryPage> ListAsync(string? query, int page, CancellationToken cancellationToken)
    {
        var all = await AllAsync(cancellationToken);
        var matching = string.IsNullOrWhiteSpace(query)
            ? all
            : [.. all.Where(r => r.FullName.Contains(query.Trim(), StringComparison.OrdinalIgnoreCase) || (r.Description?.Contains(query.Trim(), StringComparison.OrdinalIgnoreCase) ?? false))];
        var items = matching.Skip((page - 1) * PageSize).Take(PageSize).ToList();
        return new RepositoryPage(items, page, matching.Count > page * PageSize, matching.Count);
    }

    private async Task<IReadOnlyList<RepositorySummary>> AllAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (_cache is { } cached && time.GetUtcNow() - cached.At < options.Value.RepositoryListCacheDuration)
            {
                return cached.Items;
            }

            var items = (connection.Credentials.UsesApp ? await AppRepositoriesAsync(cancellationToken) : await TokenRepositoriesAsync(cancellationToken))
                .Where(r => !r.Archived)
                .Select(r => r.Summary)
                .OrderBy(r => r.FullName, StringComparer.OrdinalIgnoreCase)
                .ToList();
            _cache = (time.GetUtcNow(), items);
            return items;
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<IEnumerable<(RepositorySummary Summary, bool Archived)>> TokenRepositoriesAsync(CancellationToken cancellationToken)
    {
        var client = connection.Client;
        var repositories = await calls.ReadAsync(
            "list the service account's repositories",
            () => client.Repository.GetAllForCurrent(
                new RepositoryRequest { Affiliation = RepositoryAffiliation.All, Sort = RepositorySort.FullName },
                new ApiOptions { PageSize = 100, PageCount = MaxRepositories / 100 }),
            cancellationToken);
        return repositories.Select(r => (new RepositorySummary(
            r.FullName, r.Description, r.DefaultBranch, r.Private, r.Permissions is { } p && (p.Push || p.Maintain || p.Admin)), r.Archived));
    }

    // Per installation, GET /installation/repositories with its token, following the Link header's pages.
    private async Task<IEnumerable<(RepositorySummary Summary, bool Archived)>> AppRepositoriesAsync(CancellationToken cancellationToken)
    {
        var found = new List<(RepositorySummary, bool)>();
        foreach (var installation in await connection.Credentials.ListInstallationsAsync(cancellationToken))
        {
            for (Uri? page = new("installation/repositories?per_page=100", UriKind.Relative); page is not null && found.Count < MaxRepositories;)
            {
                var (repositories, next) = await calls.ReadAsync(
                    $"list the repositories of the App's installation on {installation.Account}",
                    () => InstallationPageAsync(installation, page, cancellationToken),
                    cancellationToken);
                found.AddRange(repositories);
                page = next;
            }
        }

        return found.Take(MaxRepositories);
    }

    private async Task<(List<(RepositorySummary, bool)> Repositories, Uri? Next)> InstallationPageAsync(
        AppInstallation installation, Uri page, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, page);
        request.Options.Set(GitHubAuthenticationHandler.OwnerKey, installation.Account);
        using var response = await connection.Http.SendAsync(request, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw await GitHubResponseException.FromAsync(response, cancellationToken);
        }

        var json = JsonNode.Parse(await response.Content.ReadAsStringAsync(cancellationToken))!;
        var repositories = json["repositories"]!.AsArray().Select(r =>
        {
            // The installation's contents permission decides; a repository's own permissions, where GitHub sends them, can only narrow it.
            var permissions = r!["permissions"];
            var canPush = installation.CanPush && (permissions is null || Granted(permissions, "push") || Granted(permissions, "maintain") || Granted(permissions, "admin"));
            return (new RepositorySummary(
                r["full_name"]!.GetValue<string>(),
                r["description"]?.GetValueKind() == System.Text.Json.JsonValueKind.String ? r["description"]!.GetValue<string>() : null,
                r["default_branch"]?.GetValue<string>() ?? "main",
                r["private"]?.GetValue<bool>() ?? false,
                canPush), r["archived"]?.GetValue<bool>() ?? false);
        }).ToList();
        var root = connection.Http.BaseAddress!;
        var next = LinkHeader.Next(response.Headers) is { } link && link.Host == root.Host && link.Port == root.Port && link.Scheme == root.Scheme ? link : null;
        return (repositories, next);
    }

    private static bool Granted(JsonNode permissions, string name) => permissions[name]?.GetValueKind() == System.Text.Json.JsonValueKind.True;
}

/// <summary>A repository as the picker shows it.</summary>
public sealed record RepositorySummary(string FullName, string? Description, string DefaultBranch, bool Private, bool CanPush);

/// <summary>One page of repositories.</summary>
public sealed record RepositoryPage(IReadOnlyList<RepositorySummary> Items, int Page, bool HasMore, int Total);
