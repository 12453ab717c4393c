using CodyBatch.Core.Environments;

namespace CodyBatch.Aws.Caches;

/// <summary>Keeps no cache: every run's setup starts from an empty one.</summary>
internal sealed class NoDependencyCacheStore : IDependencyCacheStore
{
    public Task<bool> RestoreAsync(DependencyCacheKey key, string targetDirectory, CancellationToken cancellationToken) => Task.FromResult(false);

    public Task SaveAsync(DependencyCacheKey key, string sourceDirectory, CancellationToken cancellationToken) => Task.CompletedTask;
}
