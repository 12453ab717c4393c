using CodyBatch.Core.Campaigns;
using CodyBatch.Core.Publishing;

namespace CodyBatch.Testing;

/// <summary>What every campaign store must do. A store's test class derives from this and supplies a fresh, empty store.</summary>
public abstract class CampaignStoreContract
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 5, 9, 0, 0, TimeSpan.Zero);

    /// <summary>A new, empty, initialized store.</summary>
    protected abstract Task<ICampaignStore> CreateStoreAsync();

    private static Campaign NewCampaign(int minutes) => new()
    {
        Id = JobId.New(T0.AddMinutes(minutes)),
        Spec = new CampaignSpec
        {
            Title = "Bump the base image — ünïcødé",
            Job = new JobRequest { Prompt = "Bump the base image.\nKeep behaviour.", Mode = "pullRequest", Checks = ["make test"], Publish = new PublishChoices { Draft = true, Labels = ["fleet"] } },
            Selection = new RepositorySelection { Patterns = ["acme/*"], Topic = "docker", IncludeForks = true },
            Triage = true,
            CanaryJobs = 2,
            Concurrency = 7,
            BudgetUsd = 123.45m,
            MaxOpenPullRequests = 10,
            MaxPullRequestsPerHour = 4,
        },
        RepositoryCount = 3,
        CreatedAt = T0.AddMinutes(minutes),
        Author = "alice",
    };

    private static List<CampaignRepository> RowsOf(Campaign campaign, int count) =>
        [.. Enumerable.Range(0, count).Select(i => new CampaignRepository { CampaignId = campaign.Id, Index = i, Repository = $"acme/repo-{i}" })];

    [Fact]
    public async Task A_campaign_and_its_rows_read_back_with_every_field()
    {
        var store = await CreateStoreAsync();
        var campaign = NewCampaign(0);

        await store.CreateAsync(campaign, RowsOf(campaign, 3), CancellationToken.None);

        var read = await store.GetAsync(campaign.Id, CancellationToken.None);
        Assert.NotNull(read);
        Assert.Equal(campaign.Spec.Title, read.Spec.Title);
        Assert.Equal(campaign.Spec.Job.Prompt, read.Spec.Job.Prompt);
        Assert.Equal(["make test"], read.Spec.Job.Checks);
        Assert.Equal(["fleet"], read.Spec.Job.Publish?.Labels);
        Assert.Equal(["acme/*"], read.Spec.Selection.Patterns);
        Assert.Equal("docker", read.Spec.Selection.Topic);
        Assert.Equal(123.45m, read.Spec.BudgetUsd);
        Assert.Equal((2, 7, 10, 4), (read.Spec.CanaryJobs, read.Spec.Concurrency, read.Spec.MaxOpenPullRequests.GetValueOrDefault(), read.Spec.MaxPullRequestsPerHour.GetValueOrDefault()));
        Assert.True(read.Spec.Triage);
        Assert.Equal(CampaignPhase.Preview, read.Phase);
        Assert.Equal("alice", read.Author);
        Assert.Equal(["acme/repo-0", "acme/repo-1", "acme/repo-2"], (await store.ListRepositoriesAsync(campaign.Id, CancellationToken.None)).Select(r => r.Repository));
    }

    [Fact]
    public async Task Rows_of_one_campaign_never_show_in_another_and_keep_list_order_past_ten()
    {
        var store = await CreateStoreAsync();
        var first = NewCampaign(0);
        var second = NewCampaign(1);
        await store.CreateAsync(first, RowsOf(first, 12), CancellationToken.None);
        await store.CreateAsync(second, RowsOf(second, 2), CancellationToken.None);

        var rows = await store.ListRepositoriesAsync(first.Id, CancellationToken.None);

        Assert.Equal(Enumerable.Range(0, 12), rows.Select(r => r.Index));
        Assert.All(rows, r => Assert.Equal(first.Id, r.CampaignId));
        Assert.Equal(2, (await store.ListRepositoriesAsync(second.Id, CancellationToken.None)).Count);
        Assert.Empty(await store.ListRepositoriesAsync(JobId.New(T0), CancellationToken.None));
    }

    [Fact]
    public async Task Campaigns_list_newest_first()
    {
        var store = await CreateStoreAsync();
        var older = NewCampaign(0);
        var newer = NewCampaign(5);
        await store.CreateAsync(older, RowsOf(older, 1), CancellationToken.None);
        await store.CreateAsync(newer, RowsOf(newer, 1), CancellationToken.None);

        Assert.Equal([newer.Id, older.Id], (await store.ListAsync(CancellationToken.None)).Select(c => c.Id));
    }

    [Fact]
    public async Task A_stale_campaign_write_is_refused_and_changes_nothing_and_the_jobs_being_started_read_back()
    {
        var store = await CreateStoreAsync();
        var campaign = NewCampaign(0);
        await store.CreateAsync(campaign, RowsOf(campaign, 1), CancellationToken.None);

        var starting = new StartingJob(JobId.New(T0.AddHours(1)), CampaignJobKind.Canary, [0, 3, 4]);
        var approved = await store.TryUpdateAsync(campaign with { Phase = CampaignPhase.FanOut, ApprovedAt = T0.AddHours(1), Starting = [starting] }, CancellationToken.None);
        var stale = await store.TryUpdateAsync(campaign with { Paused = true }, CancellationToken.None);

        Assert.NotNull(approved);
        Assert.Equal(campaign.Version + 1, approved.Version);
        Assert.Null(stale);
        var read = await store.GetAsync(campaign.Id, CancellationToken.None);
        Assert.Equal(CampaignPhase.FanOut, read!.Phase);
        Assert.False(read.Paused);
        var kept = Assert.Single(read.Starting);
        Assert.Equal((starting.JobId, starting.Kind), (kept.JobId, kept.Kind));
        Assert.Equal([0, 3, 4], kept.Indexes);
    }

    [Fact]
    public async Task Following_reads_back_as_written_and_as_unknown_on_a_campaign_stored_without_it()
    {
        var store = await CreateStoreAsync();
        var campaign = NewCampaign(0);
        await store.CreateAsync(campaign, RowsOf(campaign, 1), CancellationToken.None);

        // Created without a word on following (as campaigns stored before the flag were), then told each way.
        var unknown = (await store.GetAsync(campaign.Id, CancellationToken.None))!.Following;
        var following = await store.TryUpdateAsync(campaign with { Phase = CampaignPhase.Done, Following = true }, CancellationToken.None);
        var done = await store.TryUpdateAsync(following! with { Following = false }, CancellationToken.None);

        Assert.Null(unknown);
        Assert.True(following!.Following);
        Assert.Equal(false, (await store.GetAsync(campaign.Id, CancellationToken.None))!.Following);
        Assert.NotNull(done);
    }

    [Fact]
    public async Task A_row_keeps_its_triage_job_and_pull_request_and_refuses_a_stale_write()
    {
        var store = await CreateStoreAsync();
        var campaign = NewCampaign(0);
        await store.CreateAsync(campaign, RowsOf(campaign, 2), CancellationToken.None);
        var row = (await store.ListRepositoriesAsync(campaign.Id, CancellationToken.None))[1];

        var changed = row with
        {
            Phase = RepositoryPhase.Done,
            Canary = true,
            TriageJobId = "t1",
            Triage = new TriageResult(true, "uses the old image", 0.85),
            TriageOverride = false,
            TriageCostUsd = 0.0123m,
            JobId = "j1",
            RunStatus = "succeeded",
            WereChangesNecessary = true,
            Verification = "passed",
            PullRequestUrl = "https://github.example/acme/repo-1/pull/7",
            PullRequestState = "open",
            PullRequestOpenedAt = T0.AddMinutes(30),
            CostUsd = 0.4567m,
            PublishHeld = true,
            Notice = "Open pull request touches files this change touches: #3 by mallory (README.md).",
        };
        var stored = await store.TryUpdateRepositoryAsync(changed, CancellationToken.None);
        var stale = await store.TryUpdateRepositoryAsync(row with { Phase = RepositoryPhase.Skipped }, CancellationToken.None);

        Assert.NotNull(stored);
        Assert.Null(stale);
        var read = (await store.ListRepositoriesAsync(campaign.Id, CancellationToken.None))[1];
        Assert.Equal(changed with { Version = stored.Version }, read);
        Assert.Equal(RepositoryPhase.Pending, (await store.ListRepositoriesAsync(campaign.Id, CancellationToken.None))[0].Phase);
    }

    [Fact]
    public async Task The_rows_version_grows_with_every_row_write_and_only_with_this_campaigns()
    {
        var store = await CreateStoreAsync();
        var campaign = NewCampaign(0);
        var other = NewCampaign(1);
        await store.CreateAsync(campaign, RowsOf(campaign, 3), CancellationToken.None);
        await store.CreateAsync(other, RowsOf(other, 2), CancellationToken.None);
        var before = await store.GetRowsVersionAsync(campaign.Id, CancellationToken.None);
        var rows = await store.ListRepositoriesAsync(campaign.Id, CancellationToken.None);

        var first = await store.TryUpdateRepositoryAsync(rows[0] with { Phase = RepositoryPhase.Running }, CancellationToken.None);
        var afterOne = await store.GetRowsVersionAsync(campaign.Id, CancellationToken.None);
        await store.TryUpdateRepositoryAsync(first! with { Phase = RepositoryPhase.Done }, CancellationToken.None);
        await store.TryUpdateRepositoryAsync(rows[2] with { Phase = RepositoryPhase.Skipped }, CancellationToken.None);
        await store.TryUpdateRepositoryAsync(rows[1] with { Version = rows[1].Version + 7 }, CancellationToken.None);
        var otherRows = await store.ListRepositoriesAsync(other.Id, CancellationToken.None);
        await store.TryUpdateRepositoryAsync(otherRows[0] with { Phase = RepositoryPhase.Running }, CancellationToken.None);

        Assert.Equal(before + 1, afterOne);
        Assert.Equal(before + 3, await store.GetRowsVersionAsync(campaign.Id, CancellationToken.None));
        Assert.Equal(0, await store.GetRowsVersionAsync(JobId.New(T0.AddDays(1)), CancellationToken.None));
    }

    [Fact]
    public async Task Three_hundred_rows_are_stored_at_once()
    {
        var store = await CreateStoreAsync();
        var campaign = NewCampaign(0);

        await store.CreateAsync(campaign, RowsOf(campaign, 300), CancellationToken.None);

        Assert.Equal(300, (await store.ListRepositoriesAsync(campaign.Id, CancellationToken.None)).Count);
    }
}
