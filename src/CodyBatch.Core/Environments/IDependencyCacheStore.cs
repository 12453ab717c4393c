namespace CodyBatch.Core.Environments;

/// <summary>
/// Where package-manager caches live between runs: restored into a run's environment before its setup and saved
/// after it. A local folder under the data directory on one machine; object storage on AWS.
/// </summary>
public interface IDependencyCacheStore
{
    /// <summary>Fills <paramref name="targetDirectory"/> with the cache stored under <paramref name="key"/>; false when there is none (or it expired).</summary>
    Task<bool> RestoreAsync(DependencyCacheKey key, string targetDirectory, CancellationToken cancellationToken);

    /// <summary>Stores the contents of <paramref name="sourceDirectory"/> under <paramref name="key"/>, replacing what was there.</summary>
    Task SaveAsync(DependencyCacheKey key, string sourceDirectory, CancellationToken cancellationToken);

    /// <summary>
    /// Whether the store keeps an <see cref="InstalledTree"/> whole (its symbolic links included, as npm's <c>.bin</c>
    /// needs them); a store that does not is never asked to.
    /// </summary>
    bool KeepsInstalledTrees => false;
}
