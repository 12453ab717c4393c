using CodyBatch.Core.PullRequests;

namespace CodyBatch.Testing;

/// <summary>What every store keeps of campaigns and followed pull requests, and the webhook deliveries it has seen.</summary>
public abstract partial class JobStoreContract
{
    private static readonly DateTimeOffset P0 = new(2026, 11, 2, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task A_follow_up_round_its_rounds_under_the_pull_request_and_the_jobs_round_settings_round_trip()
    {
        var store = await CreateStoreAsync();
        var pull = PullRequestTracking.Opened("https://github.example/o/a/pull/7", 7, "codybatch/x-a", "abc", draft: false, "digest", P0) with
        {
            Shepherd = new ShepherdState
            {
                Rounds = 1,
                Decisions = [new ShepherdDecision(P0, "review:11", true, "Round due: alice (COLLABORATOR) requested changes.", "01roundroundroundroundround")],
                Started = [new ShepherdRound(1, "01roundroundroundroundround", "review:11", "Round due: alice (COLLABORATOR) requested changes.", P0)],
            },
        };
        var round = new FollowUpRound
        {
            OriginJobId = "01originoriginoriginorigin", PullRequest = 7, Number = 1, Kind = RoundSignalKind.Conflict, Cause = "conflict:abc",
            Reason = "Round due: the branch conflicts with the base branch.", SignalId = null, Author = null, HeadSha = "abc",
        };
        var policy = new RoundPolicy(Reviews: false, Mentions: true, FailingChecks: false, Conflicts: true, MaxRounds: 3, MaxCostUsd: 0.75m);
        var job = NewJob(P0, repositories: ["o/a"]) with { Publish = new Core.Publishing.PublishSettings { Rounds = policy } };
        job = JobLifecycle.SetPullRequest(job, "o/a", pull, P0) with { };
        job = job with { Runs = [job.Runs[0] with { Round = round }] };
        await store.CreateAsync(job, CancellationToken.None);

        var read = (await store.GetAsync(job.Id, CancellationToken.None))!;

        Assert.Equal(policy, read.Publish.Rounds);
        Assert.Equal(round, read.Runs[0].Round);
        Assert.True(read.Runs[0].Round!.Rebuilds);
        Assert.Equal(pull.Shepherd, read.Runs[0].PullRequest!.Shepherd);
    }

    [Fact]
    public async Task A_followed_pull_request_round_trips_with_its_history_signals_tags_and_campaign()
    {
        var store = await CreateStoreAsync();
        var pull = PullRequestTracking.Opened("https://github.example/o/a/pull/7", 7, "codybatch/x-a", "abc", draft: true, "digest", P0);
        pull = PullRequestTracking.Apply(pull, new PullRequestEvent { Repository = "o/a", Numbers = [7], CheckName = "build", CheckState = ChecksState.Failure }, P0.AddMinutes(1));
        pull = PullRequestTracking.Apply(pull, new PullRequestEvent { Repository = "o/a", Numbers = [7], StatusContext = "lint", CheckState = ChecksState.Success }, P0.AddMinutes(2));
        pull = PullRequestTracking.Apply(pull, new PullRequestEvent { Repository = "o/a", Numbers = [7], Reviewer = "alice", ReviewerState = "changes_requested" }, P0.AddMinutes(3));
        pull = PullRequestTracking.Apply(pull, new PullRequestEvent { Repository = "o/a", Numbers = [7], State = PullRequestState.Merged }, P0.AddMinutes(4));
        pull = pull with
        {
            Validators = new Dictionary<string, string> { ["repos/o/a/pulls/7"] = "W/\"e1\"" },
            BranchDeleted = true,
            AutoMergeEnabled = true,
            AutoMergeUnavailable = true,
            MergeNote = "Not merged: a reviewer requested changes.",
            Shepherd = new ShepherdState
            {
                Rounds = 2,
                NeedsAttention = true,
                Decisions = [new ShepherdDecision(P0.AddMinutes(3), "review:11", false, "No round: the reviewer has no write access (mallory is not a member or collaborator of the repository).")],
            },
        };
        var job = NewJob(P0, repositories: ["o/a", "o/b"]) with { CampaignId = "01campaigncampaigncampaign" };
        job = JobLifecycle.SetPullRequest(job, "o/a", pull, P0.AddMinutes(4));
        await store.CreateAsync(job, CancellationToken.None);

        var read = (await store.GetAsync(job.Id, CancellationToken.None))!;

        Assert.Equal("01campaigncampaigncampaign", read.CampaignId);
        Assert.Null(read.FindRun("o/b")!.PullRequest);
        var back = read.FindRun("o/a")!.PullRequest!;
        Assert.Equal(
            (pull.Url, pull.Number, pull.Branch, pull.State, pull.Draft, pull.HeadSha, pull.Checks, pull.Review, pull.UpdatedAt, pull.BranchDeleted, pull.PatchDigest),
            (back.Url, back.Number, back.Branch, back.State, back.Draft, back.HeadSha, back.Checks, back.Review, back.UpdatedAt, back.BranchDeleted, back.PatchDigest));
        Assert.Equal(pull.History, back.History);
        Assert.Equal(
            [(P0, PullRequestState.Open, ChecksState.None, (ReviewState?)null), (P0.AddMinutes(1), PullRequestState.Open, ChecksState.Failure, null),
             (P0.AddMinutes(3), PullRequestState.Open, ChecksState.Failure, ReviewState.ChangesRequested), (P0.AddMinutes(4), PullRequestState.Merged, ChecksState.Failure, ReviewState.ChangesRequested)],
            back.History.Select(h => (h.At, h.State, h.Checks, h.Review)));
        Assert.Equal(pull.Signals.CheckRuns, back.Signals.CheckRuns);
        Assert.Equal(pull.Signals.Statuses, back.Signals.Statuses);
        Assert.Equal(pull.Signals.Reviews, back.Signals.Reviews);
        Assert.Equal(pull.Validators, back.Validators);
        Assert.Equal((true, true, "Not merged: a reviewer requested changes."), (back.AutoMergeEnabled, back.AutoMergeUnavailable, back.MergeNote));
        Assert.Equal(pull.Shepherd, back.Shepherd);
    }

    [Fact]
    public async Task Jobs_with_an_open_pull_request_are_listed_and_leave_the_list_when_it_closes()
    {
        var store = await CreateStoreAsync();
        var open = JobLifecycle.SetPullRequest(NewJob(P0, repositories: ["o/a", "o/b"]), "o/b", PullRequestTracking.Opened("u", 1, "b", "s", false, null, P0), P0);
        var merged = JobLifecycle.SetPullRequest(
            NewJob(P0.AddSeconds(1), repositories: ["o/a"]), "o/a", PullRequestTracking.Apply(PullRequestTracking.Opened("u", 2, "b", "s", false, null, P0), new PullRequestEvent { Repository = "o/a", Numbers = [2], State = PullRequestState.Merged }, P0), P0);
        var none = NewJob(P0.AddSeconds(2), repositories: ["o/a"]);
        foreach (var job in new[] { open, merged, none })
        {
            await store.CreateAsync(job, CancellationToken.None);
        }

        Assert.Equal([open.Id], (await store.ListWithOpenPullRequestsAsync(CancellationToken.None)).Select(j => j.Id));

        var stored = (await store.GetAsync(open.Id, CancellationToken.None))!;
        var closed = JobLifecycle.SetPullRequest(stored, "o/b", PullRequestTracking.Closed(stored.FindRun("o/b")!.PullRequest!, P0.AddHours(1)), P0.AddHours(1));
        Assert.NotNull(await store.TryUpdateAsync(closed, CancellationToken.None));

        Assert.Empty(await store.ListWithOpenPullRequestsAsync(CancellationToken.None));
        Assert.Equal(PullRequestState.Closed, (await store.GetAsync(open.Id, CancellationToken.None))!.FindRun("o/b")!.PullRequest!.State);
    }

    [Fact]
    public async Task A_webhook_delivery_is_recorded_once_and_can_be_forgotten()
    {
        var log = Assert.IsAssignableFrom<IDeliveryLog>(await CreateStoreAsync());
        var id = Guid.NewGuid().ToString();

        Assert.True(await log.TryRecordDeliveryAsync(id, P0, CancellationToken.None));
        Assert.False(await log.TryRecordDeliveryAsync(id, P0.AddMinutes(1), CancellationToken.None));
        Assert.True(await log.TryRecordDeliveryAsync(Guid.NewGuid().ToString(), P0, CancellationToken.None));

        await log.ForgetDeliveryAsync(id, CancellationToken.None);

        Assert.True(await log.TryRecordDeliveryAsync(id, P0.AddMinutes(2), CancellationToken.None));
    }

    [Fact]
    public async Task Delivery_records_are_not_jobs()
    {
        var store = await CreateStoreAsync();
        await ((IDeliveryLog)store).TryRecordDeliveryAsync(Guid.NewGuid().ToString(), P0, CancellationToken.None);
        await store.CreateAsync(NewJob(P0), CancellationToken.None);

        Assert.Single((await store.ListAsync(new JobQuery(null, null, 10, null), CancellationToken.None)).Items);
        Assert.Equal(2, (await store.FindClaimableAsync(P0, 10, CancellationToken.None)).Count);
    }
}
