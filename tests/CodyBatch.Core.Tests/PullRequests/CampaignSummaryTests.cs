namespace CodyBatch.Core.Tests.PullRequests;

public sealed class CampaignSummaryTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 1, 8, 0, 0, TimeSpan.Zero);

    private static PullRequest Pull(int number, DateTimeOffset opened) => PullRequestTracking.Opened($"u/{number}", number, $"b{number}", "h", false, null, opened);

    private static PullRequest Tell(PullRequest pull, DateTimeOffset at, PullRequestState? state = null, ChecksState? checks = null) =>
        PullRequestTracking.Apply(pull, new PullRequestEvent { Repository = "o/r", State = state, CheckName = checks is null ? null : "ci", CheckState = checks }, at);

    [Fact]
    public void Counts_by_state_and_checks_in_words_and_the_burndown_follows_every_state_change()
    {
        var repositories = new[] { "o/a", "o/b", "o/c", "o/d", "o/e", "o/f" };
        var job = JobLifecycle.Create("p", null, JobMode.PullRequest, "m", repositories, T0);
        var pulls = new[]
        {
            Tell(Pull(1, T0), T0.AddHours(1), PullRequestState.Merged),
            Tell(Pull(2, T0), T0.AddHours(2), PullRequestState.Merged),
            Tell(Tell(Pull(3, T0), T0.AddMinutes(5), checks: ChecksState.Failure), T0.AddHours(3), PullRequestState.Merged),
            Tell(Pull(4, T0.AddMinutes(1)), T0.AddHours(2), checks: ChecksState.Failure),
            Tell(Pull(5, T0.AddMinutes(1)), T0.AddHours(4), PullRequestState.Closed),
        };
        for (var i = 0; i < pulls.Length; i++)
        {
            job = JobLifecycle.SetPullRequest(job, repositories[i], pulls[i], T0);
        }

        var summary = CampaignSummary.Of(job);

        Assert.Equal("3 merged · 1 open, checks failing · 1 closed", summary.Text);
        Assert.Equal((1, 1, 3, 1), (summary.Open, summary.OpenChecksFailing, summary.Merged, summary.Closed));
        Assert.Equal(job.Id, summary.CampaignId);
        Assert.Equal(
            [(T0, 3, 0, 0), (T0.AddMinutes(1), 5, 0, 0), (T0.AddHours(1), 4, 1, 0), (T0.AddHours(2), 3, 2, 0), (T0.AddHours(3), 2, 3, 0), (T0.AddHours(4), 1, 3, 1)],
            summary.Burndown.Select(p => (p.At, p.Open, p.Merged, p.Closed)));
    }

    [Fact]
    public void A_job_without_pull_requests_has_an_empty_summary_and_a_rerun_keeps_the_campaign()
    {
        var job = JobLifecycle.Create("p", null, JobMode.PullRequest, "m", ["o/a"], T0);
        var rerun = JobLifecycle.Rerun(JobLifecycle.SetPullRequest(job, "o/a", Pull(9, T0), T0), T0.AddDays(1));
        var again = JobLifecycle.Rerun(rerun, T0.AddDays(2));

        Assert.Equal("", CampaignSummary.Of(job).Text);
        Assert.Empty(CampaignSummary.Of(job).Burndown);
        Assert.Equal((job.Id, job.Id), (rerun.CampaignId, again.CampaignId));
        Assert.NotEqual(job.Id, rerun.Id);
        Assert.Equal(9, again.Runs[0].PullRequest!.Number);
        Assert.Equal(("p", JobMode.PullRequest, "m"), (again.Prompt, again.Mode, again.Model));
        Assert.Equal("1 open", CampaignSummary.Of(again).Text);
    }

    [Fact]
    public void Only_changes_of_state_checks_or_review_enter_the_history()
    {
        var pull = Pull(1, T0);
        pull = PullRequestTracking.Apply(pull, new PullRequestEvent { Repository = "o/r", Draft = true }, T0.AddMinutes(1));
        pull = PullRequestTracking.Apply(pull, new PullRequestEvent { Repository = "o/r", StatusContext = "ci", CheckState = ChecksState.Pending }, T0.AddMinutes(2));
        pull = PullRequestTracking.Apply(pull, new PullRequestEvent { Repository = "o/r", StatusContext = "ci", CheckState = ChecksState.Pending }, T0.AddMinutes(3));
        pull = PullRequestTracking.Apply(pull, new PullRequestEvent { Repository = "o/r", NewHeadSha = "h2" }, T0.AddMinutes(4));

        Assert.Equal([T0, T0.AddMinutes(2), T0.AddMinutes(4)], pull.History.Select(h => h.At));
        Assert.Equal([ChecksState.None, ChecksState.Pending, ChecksState.None], pull.History.Select(h => h.Checks));
        Assert.True(pull.Draft);
        Assert.Equal("h2", pull.HeadSha);
    }
}
