using System.Diagnostics;
using System.Text.Json.Nodes;
using CodyBatch.Core.Agent;

namespace CodyBatch.Core.Environments;

/// <summary>
/// A run's dependency caches: before setup, each ecosystem whose lock file the repository has gets the cache stored
/// under (repository, ecosystem, lock-file hash) in the run's home, where the tool looks for it; after a setup that
/// passed, each cache that was missing is saved from there. Keyed by repository, so what a repository's setup put in a
/// cache is only ever restored for that same repository (and the same lock file); see the environments documentation.
/// </summary>
public sealed class RunCaches(IDependencyCacheStore store, string scope, string homePath, AgentThread thread)
{
    private readonly List<(DependencyCacheKinds.Kind Kind, DependencyCacheKey Key)> _missed = [];

    /// <summary>Restores the caches that apply to <paramref name="repositoryPath"/>; each hit or miss goes into the thread.</summary>
    public async Task RestoreAsync(string repositoryPath, CancellationToken cancellationToken)
    {
        foreach (var (kind, hash) in DependencyCacheKinds.For(repositoryPath))
        {
            var key = new DependencyCacheKey(scope, kind.Ecosystem, hash);
            var clock = Stopwatch.StartNew();
            var restored = await store.RestoreAsync(key, Path.Combine(homePath, kind.HomePath), cancellationToken);
            if (!restored)
            {
                _missed.Add((kind, key));
            }

            thread.Add("cache", new JsonObject
            {
                ["ecosystem"] = kind.Ecosystem,
                ["lockFileHash"] = hash,
                ["restored"] = restored,
                ["durationMs"] = (long)clock.Elapsed.TotalMilliseconds,
            });
        }
    }

    /// <summary>Whether a setup of <c>npm ci</c> alone may be replaced by the repository's kept <c>node_modules/</c> (<c>CodyBatch:Caches:InstalledTrees</c>).</summary>
    public bool KeepsInstalledTrees { get; init; } = true;

    /// <summary>
    /// The repository's kept installed tree for <paramref name="setup"/> run in the tree at <paramref name="repositoryPath"/>;
    /// null when installed trees are not kept, <paramref name="alwaysInstall"/> (the checks file asks for it), or the
    /// setup does not qualify (see <see cref="Environments.InstalledTree.For"/>).
    /// </summary>
    public InstalledTree? InstalledTree(string repositoryPath, IReadOnlyList<string> setup, bool alwaysInstall) =>
        KeepsInstalledTrees && !alwaysInstall ? Environments.InstalledTree.For(store, scope, repositoryPath, setup, thread) : null;

    /// <summary>Saves each cache that was missing before setup (call after a setup that passed).</summary>
    public async Task SaveAsync(CancellationToken cancellationToken)
    {
        foreach (var (kind, key) in _missed)
        {
            var folder = Path.Combine(homePath, kind.HomePath);
            if (!Directory.Exists(folder))
            {
                continue;
            }

            var clock = Stopwatch.StartNew();
            await store.SaveAsync(key, folder, cancellationToken);
            thread.Add("cache", new JsonObject { ["ecosystem"] = kind.Ecosystem, ["lockFileHash"] = key.LockFileHash, ["saved"] = true, ["durationMs"] = (long)clock.Elapsed.TotalMilliseconds });
        }

        _missed.Clear();
    }
}
