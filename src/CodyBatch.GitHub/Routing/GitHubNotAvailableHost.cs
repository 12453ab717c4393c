using CodyBatch.Core.Repositories;
using CodyBatch.Core.Runs;

namespace CodyBatch.GitHub.Routing;

/// <summary>Stands in for GitHub until its host is built: every owner/name run fails with a sentence that says so.</summary>
internal sealed class GitHubNotAvailableHost : IRepositoryHost
{
    private const string Message =
        "GitHub repositories are not supported in this build yet, so owner/name repositories cannot be fetched; "
        + "run on a local git repository by its path instead (codybatch run \"<prompt>\" /path/to/repository).";

    public Task<ResolvedRepository> ResolveAsync(string repository, CancellationToken cancellationToken) =>
        throw new RunFailedException(Message);

    public Task FetchSnapshotAsync(ResolvedRepository repository, string directory, CancellationToken cancellationToken) =>
        throw new RunFailedException(Message);

    public Task<PublishedChange> PublishAsync(PublishRequest request, CancellationToken cancellationToken) =>
        throw new RunFailedException(Message);
}
