namespace CodyBatch.Core.Checks;

/// <summary>What one session produced: the setup commands' results and each check's.</summary>
public sealed record CheckSessionResult(IReadOnlyList<CheckResult> Setup, IReadOnlyList<CheckResult> Checks)
{
    /// <summary>A session whose last setup command failed: every check is reported as not run, saying why.</summary>
    public static CheckSessionResult SetupFailed(IReadOnlyList<CheckResult> setup, IEnumerable<CheckDefinition> checks)
    {
        var failed = setup[^1];
        var why = $"Not run: setup `{failed.Command}` failed ({failed.Limit ?? $"exit code {failed.ExitCode}"}).";
        return new CheckSessionResult(setup, [.. checks.Select(c => new CheckResult { Name = c.Name, Command = c.Command, Limit = why })]);
    }
}
