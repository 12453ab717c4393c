namespace CodyBatch.Core.Artifacts;

/// <summary>Where a run's artifacts are kept.</summary>
public static class ArtifactKeys
{
    /// <summary>The patch of <paramref name="repository"/> in job <paramref name="jobId"/>.</summary>
    public static string Patch(string jobId, string repository) => $"jobs/{jobId}/{repository}/patch.diff";

    /// <summary>The message thread of <paramref name="repository"/> in job <paramref name="jobId"/>.</summary>
    public static string Thread(string jobId, string repository) => $"jobs/{jobId}/{repository}/thread.json";

    /// <summary>
    /// True when <paramref name="key"/> is a relative path of plain segments (no empty, '.' or
    /// '..' segment, no backslash), so no store can be led outside its root.
    /// </summary>
    public static bool IsSafe(string key) =>
        !string.IsNullOrEmpty(key)
        && !key.Contains('\\', StringComparison.Ordinal)
        && !key.Contains('\0', StringComparison.Ordinal)
        && key.Split('/').All(segment => segment.Length > 0 && segment is not ("." or ".."));
}
