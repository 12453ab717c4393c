using CodyBatch.Core.Campaigns;
using CodyBatch.Storage.Sqlite.Campaigns;
using CodyBatch.Storage.Sqlite.Jobs;

namespace CodyBatch.Tests.Campaigns;

/// <summary>
/// A user's cancel or pause landing while a step starts a fleet campaign's jobs, in the orders the test chooses
/// through <see cref="CampaignStoreProbe"/>: every job of a cancelled campaign ends cancelled, and a paused campaign
/// creates no recorded job until it is resumed. The agent waits for <see cref="_agentGate"/> (or its run's
/// cancellation), so a job the campaign failed to cancel would finish when the gate opens.
/// </summary>
public sealed class FleetCampaignStartRaceTests : FleetServer
{
    private static readonly string[] Eight = [.. new[] { 0, 1, 2, 4, 5, 6, 8, 9 }.Select(FleetFixture.Name)];

    private readonly TaskCompletionSource _agentGate = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private CampaignStoreProbe _store = null!;

    protected override void Configure()
    {
        Factory.ConfigureServices = services => services.AddSingleton<ICampaignStore>(sp =>
            new CampaignStoreProbe(new SqliteCampaignStore(sp.GetRequiredService<SqliteJobStore>())));
        Factory.Agent = new ScriptedCodeAgent(async (request, ct) =>
        {
            await _agentGate.Task.WaitAsync(ct);
            await File.AppendAllTextAsync(Path.Combine(request.WorkspacePath, "README.md"), "Base image bumped.\n", ct);
            return AgentOutcome.Succeeded(new AgentResult(true, "Bumped the base image.", "Bump the base image", "Bumps it."), new TokenUsage(1000, 100, CostUsd: RunCost));
        });
    }

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        _store = (CampaignStoreProbe)Factory.Services.GetRequiredService<ICampaignStore>();
    }

    private CampaignDriver Driver => Factory.Services.GetRequiredService<CampaignDriver>();

    private CampaignService Campaigns => Factory.Services.GetRequiredService<CampaignService>();

    /// <summary>An approved campaign over <see cref="Eight"/>, two jobs at once, no canary: its first step plans two jobs.</summary>
    private async Task<string> ApprovedAsync()
    {
        var id = (await CreateAsync(new
        {
            canaryJobs = 0,
            title = "Bump the base image",
            job = new { prompt = "Bump the base image to the newest one.", checks = Array.Empty<string>() },
            selection = new { repositories = Eight },
            triage = "off",
            concurrency = 2,
        }))["campaign"]!["id"]!.GetValue<string>();
        await PostAsync($"/api/campaigns/{id}/approve");
        return id;
    }

    private static bool StartedRow(CampaignRepository row) => row.Phase == RepositoryPhase.Running && row.RunStatus == "queued";

    /// <summary>
    /// Starts a step that holds its first started-row write (its first job exists by then); returns the step and the
    /// source that lets the write go.
    /// </summary>
    private async Task<(Task Step, TaskCompletionSource Release, string JobId)> StepHeldAtFirstRowAsync(string id)
    {
        var atRow = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _store.BeforeRowWrite = async row =>
        {
            if (StartedRow(row) && atRow.TrySetResult())
            {
                await release.Task;
            }
        };
        var step = Task.Run(() => Driver.StepAsync(id, CancellationToken.None));
        await atRow.Task;
        return (step, release, Assert.Single(await JobRepositoriesAsync()).Key);
    }

    [Fact]
    public async Task A_cancel_that_listed_the_rows_before_the_step_wrote_its_started_row_still_cancels_that_job()
    {
        var id = await ApprovedAsync();
        var (step, release, job) = await StepHeldAtFirstRowAsync(id);

        // The cancel writes Cancelled and lists the rows (all still pending); before it writes any, the step writes its
        // job's rows as running and ends.
        var listed = 0;
        _store.Listed = async rows =>
        {
            if (rows.Count > 0 && rows[0].CampaignId == id && Interlocked.Exchange(ref listed, 1) == 0)
            {
                release.SetResult();
                await step;
            }
        };
        var cancel = await Campaigns.CancelAsync(id, CancellationToken.None);
        _store.Listed = null;
        _store.BeforeRowWrite = null;

        Assert.NotNull(cancel.Campaign);
        Assert.Equal(1, listed);
        await step;

        // A job the cancel missed would now run to its end and succeed.
        _agentGate.SetResult();
        Assert.Equal("cancelled", (await Client.WaitForEndAsync(job))["status"]!.GetValue<string>());
        Assert.Equal([job], (await JobRepositoriesAsync()).Keys);
        Assert.Empty((await _store.GetAsync(id, CancellationToken.None))!.Starting);
    }

    [Fact]
    public async Task A_cancel_that_died_after_marking_the_campaign_cancelled_leaves_the_sweep_to_cancel_its_running_job()
    {
        var id = await ApprovedAsync();
        var (step, release, job) = await StepHeldAtFirstRowAsync(id);

        // The cancel writes Cancelled, then its process dies as it lists the rows; the step writes its job's rows.
        var died = 0;
        _store.Listed = rows =>
        {
            if (rows.Count == 0 || rows[0].CampaignId != id || Interlocked.Exchange(ref died, 1) == 1)
            {
                return Task.CompletedTask;
            }

            release.SetResult();
            throw new IOException("The process cancelling the campaign went away.");
        };
        await Assert.ThrowsAsync<IOException>(() => Campaigns.CancelAsync(id, CancellationToken.None));
        _store.Listed = null;
        _store.BeforeRowWrite = null;
        await step;
        Assert.Contains((await GetAsync(id))["repositories"]!.AsArray(), r => r!["jobId"]?.GetValue<string>() == job && r["phase"]!.GetValue<string>() == "running");

        // The sweep still visits the cancelled campaign while a row runs, and cancels that row's job.
        await Driver.SweepAsync(CancellationToken.None);
        _agentGate.SetResult();
        Assert.Equal("cancelled", (await Client.WaitForEndAsync(job))["status"]!.GetValue<string>());
        Assert.Equal([job], (await JobRepositoriesAsync()).Keys);

        // Once its job's end is on the rows, nothing is left to follow; the repositories never started are skipped.
        await Driver.SweepAsync(CancellationToken.None);
        var after = await GetAsync(id);
        Assert.Equal("cancelled", Phase(after));
        Assert.Equal(
            [.. Enumerable.Repeat("done", 5), .. Enumerable.Repeat("skipped", 3)],
            after["repositories"]!.AsArray().Select(r => r!["phase"]!.GetValue<string>()));
        Assert.False((await _store.GetAsync(id, CancellationToken.None))!.Following);
    }

    [Fact]
    public async Task A_pause_that_lands_while_a_step_starts_its_jobs_holds_the_rest_until_the_resume()
    {
        _agentGate.SetResult();
        var id = await ApprovedAsync();

        // The moment the step writes its first job's first row, a user pauses the campaign.
        var paused = 0;
        _store.BeforeRowWrite = async row =>
        {
            if (StartedRow(row) && Interlocked.Exchange(ref paused, 1) == 0)
            {
                Assert.NotNull((await Campaigns.PauseAsync(id, CancellationToken.None)).Campaign);
            }
        };
        var decision = await Driver.StepAsync(id, CancellationToken.None);
        _store.BeforeRowWrite = null;

        Assert.Equal(2, decision!.Jobs.Count);
        var first = Assert.Single(await JobRepositoriesAsync());
        var stored = (await _store.GetAsync(id, CancellationToken.None))!;
        Assert.True(stored.Paused);
        var held = Assert.Single(stored.Starting);
        Assert.Contains("Paused", stored.Waiting, StringComparison.Ordinal);
        Assert.Equal(5, (await GetAsync(id))["repositories"]!.AsArray().Count(r => r!["jobId"]?.GetValue<string>() == first.Key));

        // Paused, a step (as the sweep takes it) finishes nothing of the record and plans nothing.
        await Client.WaitForEndAsync(first.Key);
        await Driver.StepAsync(id, CancellationToken.None);
        Assert.Single(await JobRepositoriesAsync());
        Assert.Equal(held.JobId, Assert.Single((await _store.GetAsync(id, CancellationToken.None))!.Starting).JobId);

        // Resumed, the next step creates the recorded job with its recorded id and repositories.
        await PostAsync($"/api/campaigns/{id}/resume");
        await Driver.StepAsync(id, CancellationToken.None);
        var jobs = await JobRepositoriesAsync();
        Assert.Equal(2, jobs.Count);
        Assert.Equal(Eight[5..], jobs[held.JobId]);
        Assert.Empty((await _store.GetAsync(id, CancellationToken.None))!.Starting);
    }
}
