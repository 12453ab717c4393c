namespace CodyBatch.Core.Tests.PullRequests;

/// <summary>What a completed check suite does to the check runs of that suite seen before it.</summary>
public sealed class CheckSuiteTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);

    private static PullRequest Open() => PullRequestTracking.Opened("https://github.example/o/r/pull/1", 1, "b", "head1", false, null, T0);

    private static PullRequestEvent Run(string name, ChecksState state, long suite) =>
        new() { Repository = "o/r", HeadSha = "head1", CheckName = name, CheckState = state, CheckSuiteId = suite };

    private static PullRequestEvent Suite(ChecksState state, long suite) =>
        new() { Repository = "o/r", HeadSha = "head1", CheckName = "suite/ci", CheckState = state, CheckSuiteId = suite, SuiteCompleted = true };

    [Fact]
    public void A_suite_that_completed_successfully_supersedes_its_earlier_failing_run()
    {
        var pull = PullRequestTracking.Apply(Open(), Run("test (old matrix)", ChecksState.Failure, 7), T0);
        pull = PullRequestTracking.Apply(pull, Run("test (new matrix)", ChecksState.Success, 7), T0);
        Assert.Equal(ChecksState.Failure, pull.Checks);

        pull = PullRequestTracking.Apply(pull, Suite(ChecksState.Success, 7), T0.AddMinutes(1));

        Assert.Equal(ChecksState.Success, pull.Checks);
        Assert.Equal(["suite/ci"], pull.Signals.CheckRuns.Keys);
        Assert.Empty(pull.Signals.CheckRunSuites);
    }

    [Fact]
    public void A_completed_suite_leaves_the_runs_of_other_suites_and_a_failed_suite_fails()
    {
        var pull = PullRequestTracking.Apply(Open(), Run("lint", ChecksState.Failure, 8), T0);
        pull = PullRequestTracking.Apply(pull, Run("test", ChecksState.Failure, 7), T0);

        var passed = PullRequestTracking.Apply(pull, Suite(ChecksState.Success, 7), T0);
        var failed = PullRequestTracking.Apply(pull, Suite(ChecksState.Failure, 7), T0);

        Assert.Equal(ChecksState.Failure, passed.Checks);
        Assert.Equal(["lint", "suite/ci"], passed.Signals.CheckRuns.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(ChecksState.Failure, failed.Checks);
    }

    [Fact]
    public void A_run_after_the_suite_completed_counts_again_and_a_new_head_forgets_the_suites()
    {
        var pull = PullRequestTracking.Apply(Open(), Run("test", ChecksState.Failure, 7), T0);
        pull = PullRequestTracking.Apply(pull, Suite(ChecksState.Success, 7), T0);
        pull = PullRequestTracking.Apply(pull, Run("test", ChecksState.Pending, 7), T0);
        Assert.Equal(ChecksState.Pending, pull.Checks);

        var moved = PullRequestTracking.Apply(pull, new PullRequestEvent { Repository = "o/r", Numbers = [1], NewHeadSha = "head2" }, T0);

        Assert.Equal(ChecksState.None, moved.Checks);
        Assert.Empty(moved.Signals.CheckRunSuites);
    }

    [Fact]
    public void A_review_event_makes_the_hosts_decision_give_way_to_the_reviews()
    {
        var pull = Open() with { Signals = PullRequestSignals.Empty with { ReviewDecision = "REVIEW_REQUIRED" } };

        var reviewed = PullRequestTracking.Apply(pull, new PullRequestEvent { Repository = "o/r", Numbers = [1], Reviewer = "alice", ReviewerState = "changes_requested" }, T0);

        Assert.Equal(ReviewState.ReviewRequired, pull.Signals.Review);
        Assert.Equal(ReviewState.ChangesRequested, reviewed.Review);
        Assert.Null(reviewed.Signals.ReviewDecision);
    }
}
