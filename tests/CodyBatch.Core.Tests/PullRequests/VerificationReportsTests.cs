namespace CodyBatch.Core.Tests.PullRequests;

public sealed class VerificationReportsTests
{
    private static readonly CheckRun Pass = new(0, 1200, null, "ok");
    private static readonly CheckRun Fail = new(1, 900, null, "FAILED");

    private static Verification Of(VerificationStatus status, params CheckComparison[] checks) =>
        new() { Status = status, Source = "detected from tests/", Checks = checks };

    [Fact]
    public void Each_outcome_of_the_checks_becomes_a_state_and_a_sentence_that_counts_them()
    {
        var passed = VerificationReports.For(Of(VerificationStatus.Passed, new("unit", "make test", Pass, Pass), new("lint", "make lint", Pass, Pass)), null, "01job")!;
        var fixedOne = VerificationReports.For(Of(VerificationStatus.Fixed, new("unit", "make test", Fail, Pass), new("lint", "make lint", Pass, Pass)), null, "01job")!;
        var broke = VerificationReports.For(Of(VerificationStatus.Broke, new("unit", "make test", Pass, Fail), new("lint", "make lint", Pass, Pass)), null, "01job")!;
        var failing = VerificationReports.For(Of(VerificationStatus.Failing, new("unit", "make test", Fail, Fail), new("lint", "make lint", Pass, Pass)), null, "01job")!;

        Assert.Equal(("success", "Checks pass before and after the change (2 of 2)."), (passed.State, passed.Description));
        Assert.Equal(("success", "Fixed: 1 of 2 checks failing before the change pass after it; nothing newly broken."), (fixedOne.State, fixedOne.Description));
        Assert.Equal(("failure", "Broke: unit passed before the change and fails after it."), (broke.State, broke.Description));
        Assert.Equal(("failure", "1 of 2 checks fail after the change and failed before it; nothing newly broken."), (failing.State, failing.Description));
        Assert.Contains("| `make test` | ✅ passed (1.2 s) | ❌ exit 1 (0.9 s) |", broke.Summary, StringComparison.Ordinal);
        Assert.Null(broke.DetailsUrl);
    }

    [Fact]
    public void Nothing_is_published_when_no_checks_ran()
    {
        Assert.Null(VerificationReports.For(null, null, "01job"));
        Assert.Null(VerificationReports.For(Of(VerificationStatus.Skipped), null, "01job"));
        Assert.Null(VerificationReports.For(Of(VerificationStatus.Unavailable), null, "01job"));
    }

    [Fact]
    public void A_long_check_name_from_the_repository_is_cut_to_githubs_140_characters_on_one_line()
    {
        var name = "evil\n" + new string('x', 300);
        var report = VerificationReports.For(Of(VerificationStatus.Broke, new CheckComparison(name, "x", Pass, Fail)), null, "01job")!;

        Assert.Equal(VerificationReports.MaxDescription, report.Description.Length);
        Assert.DoesNotContain('\n', report.Description);
        Assert.EndsWith("…", report.Description, StringComparison.Ordinal);
    }

    [Fact]
    public void The_link_goes_to_the_job_under_the_public_url_and_a_huge_table_is_cut_to_the_summary_limit()
    {
        var checks = Enumerable.Range(0, 2000).Select(i => new CheckComparison($"c{i}", $"run-{i}-" + new string('y', 40), Pass, Pass)).ToArray();

        var report = VerificationReports.For(Of(VerificationStatus.Passed, checks), "https://codybatch.example.com/", "01job")!;

        Assert.Equal("https://codybatch.example.com/jobs/01job", report.DetailsUrl);
        Assert.Equal(VerificationReports.MaxSummary, report.Summary.Length);
        Assert.EndsWith("(cut: the full table is on the run in Cody Batch)", report.Summary, StringComparison.Ordinal);
    }
}
