using System.Security.Cryptography;

namespace CodyBatch.Core.Environments;

/// <summary>
/// Which package manager caches a run keeps: each ecosystem, the lock files at the repository's root that key it
/// (their SHA-256), and where the tool keeps its cache under <c>HOME</c> (the run's home) by default.
/// </summary>
public static class DependencyCacheKinds
{
    /// <summary>One ecosystem's cache.</summary>
    /// <param name="Ecosystem">Its name in the key.</param>
    /// <param name="LockFiles">The root files whose content keys it; the first that exist are hashed together.</param>
    /// <param name="HomePath">The cache folder relative to <c>HOME</c>.</param>
    public sealed record Kind(string Ecosystem, IReadOnlyList<string> LockFiles, string HomePath)
    {
        /// <summary>
        /// Folders of the cache (relative to it, '/'-separated) whose files the tool writes once under a name it derives
        /// from their content and never changes in place: restoring may share them with the store (a hard link the run
        /// can read and replace but not change) instead of copying them.
        /// </summary>
        public IReadOnlyList<string> WriteOnce { get; init; } = [];
    }

    /// <summary>The caches Cody Batch keeps.</summary>
    public static IReadOnlyList<Kind> All { get; } =
    [
        new("npm", ["package-lock.json", "npm-shrinkwrap.json"], ".npm") { WriteOnce = ["_cacache/content-v2"] },
        new("yarn", ["yarn.lock"], ".cache/yarn"),
        new("pnpm", ["pnpm-lock.yaml"], ".local/share/pnpm/store"),
        new("pip", ["requirements.txt", "requirements-dev.txt", "poetry.lock", "Pipfile.lock", "pylock.toml"], ".cache/pip"),
        new("uv", ["uv.lock"], ".cache/uv"),
        new("nuget", ["packages.lock.json", "Directory.Packages.props"], ".nuget/packages"),
        new("go", ["go.sum"], "go/pkg/mod"),
        new("cargo", ["Cargo.lock"], ".cargo/registry"),
    ];

    /// <summary>The write-once folders of <paramref name="ecosystem"/>'s cache (none for an unknown one).</summary>
    public static IReadOnlyList<string> WriteOnceOf(string ecosystem) => All.FirstOrDefault(k => k.Ecosystem == ecosystem)?.WriteOnce ?? [];

    /// <summary>The caches that apply to the repository at <paramref name="repositoryPath"/>, each with the hash of its lock files.</summary>
    public static IReadOnlyList<(Kind Kind, string LockFileHash)> For(string repositoryPath)
    {
        var found = new List<(Kind, string)>();
        foreach (var kind in All)
        {
            var files = kind.LockFiles.Select(f => Path.Combine(repositoryPath, f)).Where(f => File.Exists(f) && new FileInfo(f).LinkTarget is null).ToList();
            if (files.Count == 0)
            {
                continue;
            }

            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            foreach (var file in files)
            {
                hash.AppendData(System.Text.Encoding.UTF8.GetBytes(Path.GetFileName(file) + "\0"));
                hash.AppendData(File.ReadAllBytes(file));
            }

            found.Add((kind, Convert.ToHexStringLower(hash.GetHashAndReset())));
        }

        return found;
    }
}
