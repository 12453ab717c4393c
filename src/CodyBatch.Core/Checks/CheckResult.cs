namespace CodyBatch.Core.Checks;

/// <summary>How one command did in the sandbox.</summary>
public sealed record CheckResult
{
    /// <summary>The check's name (or <c>setup</c>).</summary>
    public required string Name { get; init; }

    /// <summary>The command line.</summary>
    public required string Command { get; init; }

    /// <summary>The exit code; null when the command was killed or never started.</summary>
    public int? ExitCode { get; init; }

    /// <summary>Wall-clock time the command took.</summary>
    public TimeSpan Duration { get; init; }

    /// <summary>Why the command was stopped or not run (a limit, a failed setup), when it was.</summary>
    public string? Limit { get; init; }

    /// <summary>The end of its combined output.</summary>
    public string Output { get; init; } = "";

    /// <summary>True when it exited with 0.</summary>
    public bool Passed => ExitCode == 0 && Limit is null;
}
