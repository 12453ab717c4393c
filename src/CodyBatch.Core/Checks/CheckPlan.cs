namespace CodyBatch.Core.Checks;

/// <summary>Which checks a repository gets, where they came from, and the setup that runs before them.</summary>
public sealed record CheckPlan
{
    /// <summary>Where the checks came from, as shown on the run: "the job", ".codybatch/checks.json", "detected from package.json", or "none found".</summary>
    public required string Source { get; init; }

    /// <summary>Commands that prepare the tree (install dependencies) before the checks; their failure fails every check.</summary>
    public IReadOnlyList<string> Setup { get; init; } = [];

    /// <summary>
    /// Where the setup came from when it was detected from the repository's files ("detected from package-lock.json
    /// (npm ci)"); null when it came with the checks (the job's, or the checks file's) or there is none.
    /// </summary>
    public string? SetupSource { get; init; }

    /// <summary>
    /// Whether setup always runs (the checks file's <c>"alwaysInstall": true</c>), never replaced by the repository's
    /// kept <c>node_modules/</c>: for install scripts whose work lies outside it (git hooks, generated files).
    /// </summary>
    public bool AlwaysInstall { get; init; }

    /// <summary>The checks, in the order they run.</summary>
    public IReadOnlyList<CheckDefinition> Checks { get; init; } = [];

    /// <summary>Why the repository's checks file could not be used, when it could not (a sentence).</summary>
    public string? Problem { get; init; }

    /// <summary>A plan without checks.</summary>
    public static CheckPlan None(string source, string? problem = null) => new() { Source = source, Problem = problem };
}
