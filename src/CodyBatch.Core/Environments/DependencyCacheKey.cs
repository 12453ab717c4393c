namespace CodyBatch.Core.Environments;

/// <summary>
/// Names one stored dependency cache. <paramref name="Scope"/> is what a cache may be shared across (the repository,
/// so one repository can never plant a package another repository's run will execute); <paramref name="Ecosystem"/>
/// is the package manager (npm, pip, nuget, go, cargo); <paramref name="LockFileHash"/> the SHA-256 of the lock file
/// the cache was filled from.
/// </summary>
public sealed record DependencyCacheKey(string Scope, string Ecosystem, string LockFileHash);
