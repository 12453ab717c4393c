using CodyBatch.Core.Configuration;
using CodyBatch.Core.Repositories;
using CodyBatch.LocalGit;

namespace CodyBatch.Repositories;

/// <summary>
/// The repository host the engine sees: local paths go to the local-git host (only where
/// <c>CodyBatch:AllowLocalRepositories</c> is on, checked again here, not only at job creation),
/// <c>owner/name</c> to the hosted one.
/// </summary>
public sealed class RepositoryHostRouter(
    LocalGitRepositoryHost local,
    [FromKeyedServices(RepositoryHostRouter.HostedKey)] IRepositoryHost hosted,
    IOptions<CodyBatchOptions> options) : IRepositoryHost
{
    /// <summary>The service key of the host for <c>owner/name</c> repositories.</summary>
    public const string HostedKey = "hosted";

    /// <inheritdoc />
    public Task<ResolvedRepository> ResolveAsync(string repository, CancellationToken cancellationToken) =>
        LocalRepository.IsLocal(repository) ? Local().ResolveAsync(repository, cancellationToken) : hosted.ResolveAsync(repository, cancellationToken);

    /// <inheritdoc />
    public Task FetchSnapshotAsync(ResolvedRepository repository, string directory, CancellationToken cancellationToken) =>
        repository.Location is not null ? Local().FetchSnapshotAsync(repository, directory, cancellationToken) : hosted.FetchSnapshotAsync(repository, directory, cancellationToken);

    /// <inheritdoc />
    public Task<PublishedChange> PublishAsync(PublishRequest request, CancellationToken cancellationToken) =>
        request.Repository.Location is not null ? Local().PublishAsync(request, cancellationToken) : hosted.PublishAsync(request, cancellationToken);

    private LocalGitRepositoryHost Local() => options.Value.AllowLocalRepositories
        ? local
        : throw new RunFailedException("Local repositories are turned off here (CodyBatch:AllowLocalRepositories); this run names one, so it cannot run.");
}
