namespace CodyBatch.Core.Environments;

/// <summary>How one shell command did.</summary>
public sealed record ShellCommandResult
{
    /// <summary>The command line.</summary>
    public required string Command { get; init; }

    /// <summary>Its exit code; null when it was killed at a limit or the session ended under it.</summary>
    public int? ExitCode { get; init; }

    /// <summary>Wall-clock time it took.</summary>
    public TimeSpan Duration { get; init; }

    /// <summary>Its combined output, cut to its start and end with a line saying how much was cut.</summary>
    public string Output { get; init; } = "";

    /// <summary>Characters of output left out of <see cref="Output"/>.</summary>
    public long CutChars { get; init; }

    /// <summary>Why it was stopped (a limit) or why the session ended, when it was; a sentence for Claude and the thread.</summary>
    public string? Limit { get; init; }
}
