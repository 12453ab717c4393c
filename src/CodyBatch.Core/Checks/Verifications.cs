namespace CodyBatch.Core.Checks;

/// <summary>Turns the checks' results before and after a change into a <see cref="Verification"/>.</summary>
public static class Verifications
{
    /// <summary>Stored output per check run, in characters (the thread keeps a longer tail).</summary>
    public const int StoredOutputChars = 2_000;

    /// <summary>No checks to run: <c>skipped</c>.</summary>
    public static Verification Skipped(CheckPlan plan) => new()
    {
        Status = VerificationStatus.Skipped,
        Source = plan.Source,
        Reason = plan.Problem,
    };

    /// <summary>Checks exist but could not run: <c>unavailable</c>, with the reason.</summary>
    public static Verification Unavailable(CheckPlan plan, string reason, IReadOnlyList<CheckResult>? before = null) => new()
    {
        Status = VerificationStatus.Unavailable,
        Source = plan.Source,
        Reason = reason,
        Checks = [.. plan.Checks.Select(c => new CheckComparison(c.Name, c.Command, Find(before, c.Name), null))],
    };

    /// <summary>Compares the baseline's results with the result's, check by check.</summary>
    public static Verification Compare(CheckPlan plan, IReadOnlyList<CheckResult> before, IReadOnlyList<CheckResult> after)
    {
        var checks = plan.Checks.Select(c => new CheckComparison(c.Name, c.Command, Find(before, c.Name), Find(after, c.Name))).ToList();
        var broken = checks.Where(c => c.Before?.Passed == true && c.After?.Passed != true).Select(c => c.Name).ToList();
        if (broken.Count > 0)
        {
            return new Verification
            {
                Status = VerificationStatus.Broke,
                Source = plan.Source,
                Reason = $"The change broke {Names(broken)}: passed on the baseline, fails after the change.",
                Checks = checks,
            };
        }

        var fixedAny = checks.Any(c => c.Before?.Passed != true && c.After?.Passed == true);
        var status = checks.All(c => c.After?.Passed == true)
            ? (checks.All(c => c.Before?.Passed == true) ? VerificationStatus.Passed : VerificationStatus.Fixed)
            : (fixedAny ? VerificationStatus.Fixed : VerificationStatus.Failing);
        var stillFailing = checks.Where(c => c.After?.Passed != true).Select(c => c.Name).ToList();
        return new Verification
        {
            Status = status,
            Source = plan.Source,
            Reason = stillFailing.Count > 0 ? $"Still failing as on the baseline: {Names(stillFailing)}." : null,
            Checks = checks,
        };
    }

    private static CheckRun? Find(IReadOnlyList<CheckResult>? results, string name) =>
        results?.FirstOrDefault(r => r.Name == name) is { } result ? CheckRun.From(result, StoredOutputChars) : null;

    private static string Names(IEnumerable<string> names) => string.Join(", ", names.Select(n => $"`{n}`"));
}
