namespace CodyBatch.Core.Access;

/// <summary>The answer to a presented key: who it belongs to, or why it opens nothing.</summary>
/// <param name="Caller">The key's holder; null when refused.</param>
/// <param name="Problem">Why it was refused, in a sentence that reveals nothing about other keys.</param>
public sealed record Authentication(Caller? Caller, string? Problem);
