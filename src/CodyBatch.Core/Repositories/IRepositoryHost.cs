namespace CodyBatch.Core.Repositories;

/// <summary>Where repositories come from and where changes go back to (GitHub, local git).</summary>
public interface IRepositoryHost
{
    /// <summary>
    /// Finds the repository: that it exists and is visible, its default branch, head commit and
    /// whether the service account may push. Throws <see cref="Runs.RunFailedException"/> with a
    /// sentence a user can act on when it cannot.
    /// </summary>
    Task<ResolvedRepository> ResolveAsync(string repository, CancellationToken cancellationToken);

    /// <summary>Writes the tree of <c>repository.CommitSha</c> into the empty folder <paramref name="directory"/>.</summary>
    Task FetchSnapshotAsync(ResolvedRepository repository, string directory, CancellationToken cancellationToken);

    /// <summary>Pushes the change as a branch and opens (or reuses) a pull request.</summary>
    Task<PublishedChange> PublishAsync(PublishRequest request, CancellationToken cancellationToken);
}
