using CodyBatch.Core.Repositories;

namespace CodyBatch.TestHost;

/// <summary>
/// The repositories the test host's service account can see, for a campaign's selection: every repository of the
/// host, those in <paramref name="archived"/> archived and those in <paramref name="forks"/> forks, with the topics
/// and language of <paramref name="topics"/> and <paramref name="languages"/> (by name). An unknown organization
/// lists nothing, as an empty one does on GitHub.
/// </summary>
internal sealed class E2eRepositoryDirectory(
    IReadOnlyList<string> repositories, IReadOnlySet<string> archived, IReadOnlySet<string> forks,
    IReadOnlyDictionary<string, string> topics, IReadOnlyDictionary<string, string> languages) : IRepositoryDirectory
{
    public Task<IReadOnlyList<RepositoryListing>> ListAsync(string? organization, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<RepositoryListing>>([.. repositories
            .Where(r => organization is null || r.StartsWith(organization + "/", StringComparison.OrdinalIgnoreCase))
            .Select(r => new RepositoryListing(
                r,
                topics.TryGetValue(r, out var topic) ? [topic] : [],
                languages.GetValueOrDefault(r),
                archived.Contains(r),
                forks.Contains(r),
                CanPush: true))]);
}
