using CodyBatch.GitHub.Api;
using Microsoft.Extensions.Options;
using Octokit;

namespace CodyBatch.GitHub.Repositories;

/// <summary>The repositories the service account can see (owned, collaborator, organization), searched and paged, cached briefly.</summary>
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

            var client = connection.Client;
            var repositories = await calls.ReadAsync(
                "list the service account's repositories",
                () => client.Repository.GetAllForCurrent(
                    new RepositoryRequest { Affiliation = RepositoryAffiliation.All, Sort = RepositorySort.FullName },
                    new ApiOptions { PageSize = 100, PageCount = MaxRepositories / 100 }),
                cancellationToken);
            var items = repositories
                .Where(r => !r.Archived)
                .Select(r => new RepositorySummary(
                    r.FullName, r.Description, r.DefaultBranch, r.Private, r.Permissions is { } p && (p.Push || p.Maintain || p.Admin)))
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
}

/// <summary>A repository as the picker shows it.</summary>
public sealed record RepositorySummary(string FullName, string? Description, string DefaultBranch, bool Private, bool CanPush);

/// <summary>One page of repositories.</summary>
public sealed record RepositoryPage(IReadOnlyList<RepositorySummary> Items, int Page, bool HasMore, int Total);
