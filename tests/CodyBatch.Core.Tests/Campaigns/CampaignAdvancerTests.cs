using CodyBatch.Core.Campaigns;

namespace CodyBatch.Core.Tests.Campaigns;

public sealed class CampaignAdvancerTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 5, 10, 0, 0, TimeSpan.Zero);

    internal static Campaign CampaignOf(CampaignPhase phase, Func<CampaignSpec, CampaignSpec>? spec = null) => new()
    {
        Id = "01kbcampaign0000000000000a",
        Spec = (spec ?? (s => s))(new CampaignSpec { Job = new JobRequest { Prompt = "fix it" }, Selection = new RepositorySelection(), Concurrency = 3 }),
        Phase = phase,
        CreatedAt = Now,
    };

    internal static List<CampaignRepository> Rows(int count) =>
        [.. Enumerable.Range(0, count).Select(i => new CampaignRepository { CampaignId = "01kbcampaign0000000000000a", Index = i, Repository = $"acme/r{i:D3}" })];

    [Fact]
    public void A_preview_starts_nothing_and_says_it_waits_for_approval()
    {
        var decision = CampaignAdvancer.Decide(CampaignOf(CampaignPhase.Preview), Rows(10), Now);

        Assert.Empty(decision.Jobs);
        Assert.Equal(CampaignPhase.Preview, decision.Phase);
        Assert.Contains("approved", decision.Waiting, StringComparison.Ordinal);
    }

    [Fact]
    public void Triage_starts_jobs_of_five_up_to_the_concurrency()
    {
        var decision = CampaignAdvancer.Decide(CampaignOf(CampaignPhase.Triage, s => s with { Triage = true }), Rows(23), Now);

        Assert.Equal(3, decision.Jobs.Count);
        Assert.All(decision.Jobs, j => Assert.Equal(CampaignJobKind.Triage, j.Kind));
        Assert.Equal([5, 5, 5], decision.Jobs.Select(j => j.Repositories.Count));
        Assert.Equal(["acme/r000", "acme/r005", "acme/r010"], decision.Jobs.Select(j => j.Repositories[0].Repository));
    }

    [Fact]
    public void After_triage_the_canary_takes_only_repositories_that_need_the_fix()
    {
        var rows = Rows(8).Select(r => r with
        {
            TriageJobId = "t",
            Triage = new TriageResult(r.Index % 2 == 0, "why", 0.9),
            Phase = r.Index % 2 == 0 ? RepositoryPhase.Pending : RepositoryPhase.NotNeeded,
        }).ToList();

        var decision = CampaignAdvancer.Decide(CampaignOf(CampaignPhase.Triage, s => s with { Triage = true }), rows, Now);

        Assert.Equal(CampaignPhase.Canary, decision.Phase);
        var canary = Assert.Single(decision.Jobs);
        Assert.Equal(CampaignJobKind.Canary, canary.Kind);
        Assert.Equal(["acme/r000", "acme/r002", "acme/r004", "acme/r006"], canary.Repositories.Select(r => r.Repository));
    }

    [Fact]
    public void A_hand_override_beats_the_triage_answer()
    {
        var rows = Rows(2).Select(r => r with { TriageJobId = "t", Triage = new TriageResult(false, "no", 0.8), TriageOverride = r.Index == 1 ? true : null }).ToList();

        var decision = CampaignAdvancer.Decide(CampaignOf(CampaignPhase.Canary), rows, Now);

        Assert.Equal(["acme/r001"], Assert.Single(decision.Jobs).Repositories.Select(r => r.Repository));
    }

    [Fact]
    public void When_the_canary_ends_the_campaign_waits_for_approval_with_the_forecast()
    {
        var rows = Rows(25);
        for (var i = 0; i < 5; i++)
        {
            rows[i] = rows[i] with { Canary = true, JobId = "c", Phase = RepositoryPhase.Done, CostUsd = 0.40m };
        }

        var decision = CampaignAdvancer.Decide(CampaignOf(CampaignPhase.Canary), rows, Now);
        var figures = CampaignFigures.Of(rows);

        Assert.Equal(CampaignPhase.AwaitingApproval, decision.Phase);
        Assert.Empty(decision.Jobs);
        Assert.Equal(0.40m, figures.CostPerRepository);
        Assert.Equal(20, figures.Left);
        Assert.Equal(2.00m + (0.40m * 20), figures.ForecastUsd);
        Assert.Contains("$10.00", decision.Waiting, StringComparison.Ordinal);
    }

    [Fact]
    public void While_the_canary_runs_nothing_else_starts()
    {
        var rows = Rows(12);
        rows[0] = rows[0] with { Canary = true, JobId = "c", Phase = RepositoryPhase.Running };

        var decision = CampaignAdvancer.Decide(CampaignOf(CampaignPhase.Canary), rows, Now);

        Assert.Equal(CampaignPhase.Canary, decision.Phase);
        Assert.Empty(decision.Jobs);
    }

    [Fact]
    public void Fan_out_fills_the_free_slots_only()
    {
        var rows = Rows(30);
        rows[0] = rows[0] with { JobId = "running", Phase = RepositoryPhase.Running };

        var decision = CampaignAdvancer.Decide(CampaignOf(CampaignPhase.FanOut), rows, Now);

        Assert.Equal(2, decision.Jobs.Count);
        Assert.All(decision.Jobs, j => Assert.True(j.Repositories.Count <= CampaignLimits.RepositoriesPerJob));
        Assert.Contains("Concurrency", decision.Waiting, StringComparison.Ordinal);
    }

    [Fact]
    public void Paused_starts_nothing()
    {
        var decision = CampaignAdvancer.Decide(CampaignOf(CampaignPhase.FanOut) with { Paused = true }, Rows(10), Now);

        Assert.Empty(decision.Jobs);
        Assert.Contains("Paused", decision.Waiting, StringComparison.Ordinal);
    }

    [Fact]
    public void At_the_budget_no_job_starts_runs_in_flight_finish_then_it_stops_with_what_is_left()
    {
        var rows = Rows(20);
        for (var i = 0; i < 5; i++)
        {
            rows[i] = rows[i] with { Canary = true, JobId = "c", Phase = RepositoryPhase.Done, CostUsd = 1m };
        }

        for (var i = 5; i < 10; i++)
        {
            rows[i] = rows[i] with { JobId = "f", Phase = RepositoryPhase.Running, CostUsd = 0.5m };
        }

        // Spent 7.50, in flight 5 × (1.00 − 0.50) = 2.50: 10.00 reaches a budget of 10.
        var campaign = CampaignOf(CampaignPhase.FanOut, s => s with { BudgetUsd = 10m });
        var waiting = CampaignAdvancer.Decide(campaign, rows, Now);

        Assert.Empty(waiting.Jobs);
        Assert.Equal(CampaignPhase.FanOut, waiting.Phase);
        Assert.Contains("Budget", waiting.Waiting, StringComparison.Ordinal);

        // A cent more of budget lets the next job start.
        Assert.NotEmpty(CampaignAdvancer.Decide(campaign with { Spec = campaign.Spec with { BudgetUsd = 10.01m } }, rows, Now).Jobs);

        for (var i = 5; i < 10; i++)
        {
            rows[i] = rows[i] with { Phase = RepositoryPhase.Done, CostUsd = 1m };
        }

        var stopped = CampaignAdvancer.Decide(campaign, rows, Now);

        Assert.Equal(CampaignPhase.StoppedAtBudget, stopped.Phase);
        Assert.Contains("10 repositories left", stopped.Waiting, StringComparison.Ordinal);
    }

    [Fact]
    public void The_open_pull_request_cap_counts_runs_that_may_still_open_one()
    {
        var rows = Rows(20);
        for (var i = 0; i < 3; i++)
        {
            rows[i] = rows[i] with { JobId = "a", Phase = RepositoryPhase.Done, PullRequestUrl = "u", PullRequestState = "open", PullRequestOpenedAt = Now.AddHours(-3) };
        }

        rows[3] = rows[3] with { JobId = "b", Phase = RepositoryPhase.Running };
        var campaign = CampaignOf(CampaignPhase.FanOut, s => s with { MaxOpenPullRequests = 5 });

        var decision = CampaignAdvancer.Decide(campaign, rows, Now);

        // 3 open + 1 that may open: room for one more repository.
        Assert.Equal(["acme/r004"], Assert.Single(decision.Jobs).Repositories.Select(r => r.Repository));
        Assert.Contains("Pacing", decision.Waiting, StringComparison.Ordinal);
    }

    [Fact]
    public void The_hourly_cap_waits_until_the_oldest_opening_leaves_the_hour()
    {
        var rows = Rows(20);
        for (var i = 0; i < 4; i++)
        {
            rows[i] = rows[i] with { JobId = "a", Phase = RepositoryPhase.Done, PullRequestUrl = "u", PullRequestState = "merged", PullRequestOpenedAt = Now.AddMinutes(-50 + i) };
        }

        var campaign = CampaignOf(CampaignPhase.FanOut, s => s with { MaxPullRequestsPerHour = 4 });

        var held = CampaignAdvancer.Decide(campaign, rows, Now);

        Assert.Empty(held.Jobs);
        Assert.Equal(Now.AddMinutes(10), held.WakeAt);
        Assert.Equal(["acme/r004"], Assert.Single(CampaignAdvancer.Decide(campaign, rows, Now.AddMinutes(10).AddSeconds(1)).Jobs).Repositories.Select(r => r.Repository));
    }

    [Fact]
    public void Patch_campaigns_open_no_pull_requests_so_the_caps_do_not_hold_them()
    {
        var campaign = CampaignOf(CampaignPhase.FanOut, s => s with { MaxOpenPullRequests = 1, Job = s.Job with { Mode = "patch" } });

        Assert.Equal(3, CampaignAdvancer.Decide(campaign, Rows(20), Now).Jobs.Count);
    }

    [Fact]
    public void It_is_done_when_every_repository_ended()
    {
        var rows = Rows(3).Select(r => r with { JobId = "a", Phase = r.Index == 0 ? RepositoryPhase.NotNeeded : RepositoryPhase.Done }).ToList();

        Assert.Equal(CampaignPhase.Done, CampaignAdvancer.Decide(CampaignOf(CampaignPhase.FanOut), rows, Now).Phase);
    }
}
