namespace CodyBatch.Core.Risk;

/// <summary>One reason a change needs care: what was found, in which file, on which line of the new file when it is about content.</summary>
/// <param name="Kind">What it is, in words: "AWS access key ID", "lock file", …</param>
/// <param name="Path">The file, relative to the repository root.</param>
/// <param name="Line">The line in the changed file, for content findings; null for whole-file ones.</param>
public sealed record RiskFinding(string Kind, string Path, int? Line = null)
{
    /// <summary>The finding as a short phrase, never with the value it found.</summary>
    public string Describe() => Line is { } line ? $"{Kind} in {Path} line {line}" : $"{Kind}: {Path}";
}
