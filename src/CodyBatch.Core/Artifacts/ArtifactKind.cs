namespace CodyBatch.Core.Artifacts;

/// <summary>The artifacts a run keeps.</summary>
public enum ArtifactKind
{
    /// <summary>The unified-diff patch.</summary>
    Patch,
    /// <summary>The message thread.</summary>
    Thread,
}
