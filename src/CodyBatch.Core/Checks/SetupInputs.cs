using CodyBatch.Core.Environments;

namespace CodyBatch.Core.Checks;

/// <summary>
/// The files what a run's setup installs depends on, gathered from the places that already read them: the root files
/// setup detection goes by (<see cref="SetupDetector.RootFiles"/>), the lock files that key the dependency caches
/// (<see cref="DependencyCacheKinds"/>) and the manifests in the installed tree's key (<see cref="InstalledTree.ManifestFiles"/>),
/// plus .NET solution and project files anywhere (a solution restores the projects in its folders). A change to any of
/// them may install something else, so the checks after it get setup again.
/// </summary>
internal static class SetupInputs
{
    private static readonly HashSet<string> RootFiles = new(
        [.. SetupDetector.RootFiles, .. DependencyCacheKinds.All.SelectMany(k => k.LockFiles), .. InstalledTree.ManifestFiles],
        StringComparer.Ordinal);

    /// <summary>True when a change to <paramref name="path"/> ('/'-separated, relative to the repository) may change what setup installs.</summary>
    public static bool Includes(string path) =>
        RootFiles.Contains(path) || SetupDetector.ProjectEndings.Any(e => path.EndsWith(e, StringComparison.Ordinal));
}
