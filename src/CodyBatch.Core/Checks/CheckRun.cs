namespace CodyBatch.Core.Checks;

/// <summary>One check's run on one side of the change, as stored on the run.</summary>
/// <param name="ExitCode">The exit code; null when it was killed or not run.</param>
/// <param name="DurationMs">Wall-clock milliseconds.</param>
/// <param name="Limit">Why it was stopped or not run, when it was.</param>
/// <param name="Output">The end of its output (the thread has a longer tail).</param>
public sealed record CheckRun(int? ExitCode, long DurationMs, string? Limit, string Output)
{
    /// <summary>True when it exited with 0.</summary>
    public bool Passed => ExitCode == 0 && Limit is null;

    /// <summary>Why it failed, in one line: a tool, module, runtime or registry the environment lacks, a limit, or the last error line of its output; null when it passed.</summary>
    public string? Cause { get; init; }

    /// <summary>The stored form of <paramref name="result"/>, its output cut to the last <paramref name="maxOutputChars"/> characters.</summary>
    public static CheckRun From(CheckResult result, int maxOutputChars) =>
        new(result.ExitCode, (long)result.Duration.TotalMilliseconds, result.Limit, OutputTail.Last(result.Output, maxOutputChars)) { Cause = EnvironmentFailure.Cause(result) };
}
