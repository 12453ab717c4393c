using CodyBatch.Core.Repositories;
using CodyBatch.Core.Runs;

namespace CodyBatch.Placeholders;

/// <summary>Stands in until a repository host adapter is wired: every run fails with a sentence that says so.</summary>
internal sealed class UnconfiguredRepositoryHost : IRepositoryHost
{
    private const string Message =
        "No repository host is available in this build: GitHub and local-git support are not built yet, so repositories cannot be fetched.";

    public Task<ResolvedRepository> ResolveAsync(string repository, CancellationToken cancellationToken) =>
        throw new RunFailedException(Message);

    public Task FetchSnapshotAsync(ResolvedRepository repository, string directory, CancellationToken cancellationToken) =>
        throw new RunFailedException(Message);

    public Task<PublishedChange> PublishAsync(PublishRequest request, CancellationToken cancellationToken) =>
        throw new RunFailedException(Message);
}
