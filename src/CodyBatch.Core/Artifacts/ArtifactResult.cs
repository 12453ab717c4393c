using CodyBatch.Core.Runs;

namespace CodyBatch.Core.Artifacts;

/// <summary>An opened artifact, or why there is none.</summary>
public sealed record ArtifactResult(Stream? Content, RepositoryRun? Run, string? Problem)
{
    /// <summary>No artifact, with the reason.</summary>
    public static ArtifactResult Missing(string problem) => new(null, null, problem);
}
