namespace CodyBatch.Core.Workspaces.Confined;

/// <summary>A path a <see cref="ConfinedDirectory"/> refused, with a sentence that says why.</summary>
public sealed class ConfinedPathException(ConfinedRefusal refusal, string message, string? link = null) : IOException(message)
{
    /// <summary>Why it was refused.</summary>
    public ConfinedRefusal Refusal { get; } = refusal;

    /// <summary>The symbolic link (relative to the root) the refusal is about, when there is one.</summary>
    public string? Link { get; } = link;
}
