namespace CodyBatch.Core.Tests.Checks;

public sealed class VerificationsTests
{
    private static readonly CheckPlan Plan = new()
    {
        Source = "the job",
        Checks = [new CheckDefinition("a", "run a"), new CheckDefinition("b", "run b")],
    };

    private static CheckResult[] Results(int? a, int? b, string? limitB = null) =>
    [
        new() { Name = "a", Command = "run a", ExitCode = a, Duration = TimeSpan.FromMilliseconds(1200), Output = "out a" },
        new() { Name = "b", Command = "run b", ExitCode = b, Limit = limitB, Output = new string('x', 5000) },
    ];

    [Theory]
    [InlineData(0, 0, 0, 0, VerificationStatus.Passed)]
    [InlineData(1, 0, 0, 0, VerificationStatus.Fixed)]
    [InlineData(1, 1, 0, 1, VerificationStatus.Fixed)]
    [InlineData(1, 1, 1, 1, VerificationStatus.Failing)]
    [InlineData(0, 1, 1, 1, VerificationStatus.Broke)]
    [InlineData(1, 0, 0, 1, VerificationStatus.Broke)]
    public void The_status_compares_each_check_before_and_after(int beforeA, int beforeB, int afterA, int afterB, VerificationStatus expected)
    {
        var verification = Verifications.Compare(Plan, Results(beforeA, beforeB), Results(afterA, afterB));

        Assert.Equal(expected, verification.Status);
        Assert.Equal("the job", verification.Source);
    }

    [Fact]
    public void A_broken_check_is_named_and_a_check_killed_at_a_limit_counts_as_failing()
    {
        var verification = Verifications.Compare(Plan, Results(0, 0), Results(0, null, "stopped at the time limit of 2 s (CodyBatch:Checks:Timeout)"));

        Assert.Equal(VerificationStatus.Broke, verification.Status);
        Assert.Equal("The change broke `b`: passed on the baseline, fails after the change.", verification.Reason);
        Assert.Equal("b", Assert.Single(verification.BrokenChecks()).Name);
        var b = verification.Checks[1];
        Assert.Equal(0, b.Before!.ExitCode);
        Assert.Null(b.After!.ExitCode);
        Assert.Equal("stopped at the time limit of 2 s (CodyBatch:Checks:Timeout)", b.After.Limit);
        Assert.Equal(1200, verification.Checks[0].After!.DurationMs);
        Assert.EndsWith(new string('x', Verifications.StoredOutputChars), b.After.Output, StringComparison.Ordinal);
        Assert.StartsWith("[… 3,000 characters cut]", b.After.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void No_checks_is_skipped_and_no_sandbox_is_unavailable_with_the_reason()
    {
        var skipped = Verifications.Skipped(CheckPlan.None("none found"));
        var unavailable = Verifications.Unavailable(Plan, "Checks were not run: bubblewrap was not found.");

        Assert.Equal(VerificationStatus.Skipped, skipped.Status);
        Assert.Empty(skipped.Checks);
        Assert.Equal(VerificationStatus.Unavailable, unavailable.Status);
        Assert.Equal("Checks were not run: bubblewrap was not found.", unavailable.Reason);
        Assert.All(unavailable.Checks, c => Assert.Null(c.After));
    }
}
