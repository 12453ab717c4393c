using CodyBatch.Core.Admission;
using CodyBatch.Core.Prompts;
using CodyBatch.Core.Schedules;
using CodyBatch.Storage.Sqlite.Documents;

namespace CodyBatch.Core.Tests.Schedules;

/// <summary>The schedule loop's step against SQLite stores, with the clock moved by hand.</summary>
public sealed class ScheduleFirerTests : IDisposable
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 2, 10, 5, 0, TimeSpan.Zero);

    private readonly TempDirectory _folder = new();
    private FakeTimeProvider _time = new(T0);
    private readonly SqliteJobStore _jobs;
    private readonly SqliteScheduleStore _schedules;
    private readonly SqliteSavedPromptStore _prompts;

    public ScheduleFirerTests()
    {
        _jobs = new SqliteJobStore(new SqliteStoreLocation(_folder.Combine("codybatch.db")));
        _schedules = new SqliteScheduleStore(_jobs);
        _prompts = new SqliteSavedPromptStore(_jobs);
    }

    public void Dispose() => _folder.Dispose();

    /// <summary>A fresh runner on the same database, as a restarted server would have.</summary>
    private ScheduleRunner Runner(MissedFiringPolicy policy = MissedFiringPolicy.RunOnce, JobRequestValidator? validator = null)
    {
        var host = Options.Create(new CodyBatchOptions());
        var firer = new ScheduleFirer(
            _schedules, _prompts, _jobs, validator ?? new JobRequestValidator(host), new WorkSignal(),
            new TokenBucketAdmission(Options.Create(new JobRateLimitOptions { Burst = 1_000 }), _time),
            Options.Create(new ScheduleOptions { MissedFirings = policy, MissedAfter = TimeSpan.FromMinutes(5) }), _time);
        return new ScheduleRunner(firer, Options.Create(new ScheduleOptions()), _time, NullLogger<ScheduleRunner>.Instance);
    }

    private ScheduleService Service() => new(_schedules, _prompts, new JobRequestValidator(Options.Create(new CodyBatchOptions())), Options.Create(new ScheduleOptions()), _time);

    private async Task<Schedule> CreateAsync(string cron, string zone = "UTC", string? savedPromptId = null)
    {
        var result = await Service().CreateAsync(
            new ScheduleRequest
            {
                Name = "Keep the docs fresh",
                Prompt = savedPromptId is null ? "Bring the README in line with the code." : null,
                SavedPromptId = savedPromptId,
                Repositories = ["octo/app", "octo/lib"],
                Cron = cron,
                TimeZone = zone,
            },
            CancellationToken.None);
        Assert.Empty(result.Errors);
        return result.Schedule!;
    }

    private async Task<Schedule> ReadAsync(string id) => (await _schedules.GetAsync(id, CancellationToken.None))!;

    private async Task EndAsync(string jobId) =>
        await _jobs.UpdateAsync(jobId, job => JobLifecycle.Cancel(job, _time.GetUtcNow()), CancellationToken.None);

    [Fact]
    public async Task A_schedule_fires_at_nine_in_berlin_before_and_after_the_spring_change()
    {
        _time = new FakeTimeProvider(new DateTimeOffset(2026, 3, 27, 12, 0, 0, TimeSpan.Zero));
        var schedule = await CreateAsync("0 9 * * *", "Europe/Berlin");
        var runner = Runner();
        var started = new List<DateTimeOffset>();

        // Step through three days a minute at a time, as the loop would, ending each job before the next.
        for (var now = _time.GetUtcNow(); now < new DateTimeOffset(2026, 3, 30, 12, 0, 0, TimeSpan.Zero); now = now.AddMinutes(1))
        {
            _time.SetUtcNow(now);
            foreach (var (_, firing) in await runner.RunOnceAsync(CancellationToken.None))
            {
                Assert.Equal(FiringOutcome.Started, firing.Outcome);
                started.Add(firing.HandledAt);
                await EndAsync(firing.JobId!);
            }
        }

        Assert.Equal(
            [new DateTimeOffset(2026, 3, 28, 8, 0, 0, TimeSpan.Zero), new DateTimeOffset(2026, 3, 29, 7, 0, 0, TimeSpan.Zero), new DateTimeOffset(2026, 3, 30, 7, 0, 0, TimeSpan.Zero)],
            started);
        var stored = await ReadAsync(schedule.Id);
        Assert.Equal(3, stored.Firings.Count);
        Assert.Equal(DateTimeOffset.Parse("2026-03-29T09:00:00+02:00"), stored.Firings[1].ScheduledFor);
    }

    [Fact]
    public async Task A_firing_while_the_previous_job_still_runs_is_skipped_and_recorded_and_the_next_is_a_rerun_in_the_campaign()
    {
        var schedule = await CreateAsync("*/10 * * * *");
        var runner = Runner();

        _time.SetUtcNow(T0.AddMinutes(5)); // 10:10
        var first = Assert.Single(await runner.RunOnceAsync(CancellationToken.None)).Firing;
        _time.SetUtcNow(T0.AddMinutes(15)); // 10:20, the first job still queued
        var overlapping = Assert.Single(await runner.RunOnceAsync(CancellationToken.None)).Firing;
        await EndAsync(first.JobId!);
        _time.SetUtcNow(T0.AddMinutes(25)); // 10:30
        var third = Assert.Single(await runner.RunOnceAsync(CancellationToken.None)).Firing;

        Assert.Equal(FiringOutcome.Started, first.Outcome);
        Assert.Equal(FiringOutcome.SkippedOverlap, overlapping.Outcome);
        Assert.Null(overlapping.JobId);
        Assert.Equal($"Job {first.JobId} from the previous firing was still queued.", overlapping.Reason);
        Assert.Equal(FiringOutcome.Started, third.Outcome);
        var jobs = await _jobs.ListAsync(new JobQuery(), CancellationToken.None);
        Assert.Equal(2, jobs.Items.Count);
        var rerun = (await _jobs.GetAsync(third.JobId!, CancellationToken.None))!;
        Assert.Equal(first.JobId, rerun.CampaignId);
        Assert.Equal(("Keep the docs fresh", "Bring the README in line with the code."), (rerun.Title, rerun.Prompt));
        var stored = await ReadAsync(schedule.Id);
        Assert.Equal([FiringOutcome.Started, FiringOutcome.SkippedOverlap, FiringOutcome.Started], stored.Firings.Select(f => f.Outcome));
        Assert.Equal((first.JobId, third.JobId), (stored.CampaignId, stored.LastJobId));
    }

    [Fact]
    public async Task After_a_restart_missed_firings_start_one_job_under_run_once()
    {
        var schedule = await CreateAsync("0 * * * *");

        // The server is down from 10:05 to 15:02; a new process starts and runs its first round.
        _time.SetUtcNow(new DateTimeOffset(2026, 11, 2, 15, 2, 0, TimeSpan.Zero));
        var recorded = await Runner(MissedFiringPolicy.RunOnce).RunOnceAsync(CancellationToken.None);

        var firings = recorded.Select(r => r.Firing).ToList();
        Assert.Equal([FiringOutcome.Missed, FiringOutcome.Started], firings.Select(f => f.Outcome));
        Assert.Equal("4 firings from 2026-11-02 11:00:00Z to 2026-11-02 14:00:00Z fell due while Cody Batch was not running; the policy (CodyBatch:Schedules:MissedFirings) is RunOnce, so one job stands for them all.", firings[0].Reason);

        // The 15:00 firing is two minutes late, within MissedAfter: it is on time and started.
        Assert.Equal(new DateTimeOffset(2026, 11, 2, 15, 0, 0, TimeSpan.Zero), firings[1].ScheduledFor);
        Assert.Single((await _jobs.ListAsync(new JobQuery(), CancellationToken.None)).Items);
        Assert.Empty(await Runner(MissedFiringPolicy.RunOnce).RunOnceAsync(CancellationToken.None));
        Assert.Equal(_time.GetUtcNow(), (await ReadAsync(schedule.Id)).CheckedThrough);
    }

    [Fact]
    public async Task After_a_restart_long_after_the_last_firing_run_once_starts_one_job_for_the_latest()
    {
        await CreateAsync("0 * * * *");

        _time.SetUtcNow(new DateTimeOffset(2026, 11, 2, 15, 30, 0, TimeSpan.Zero));
        var firings = (await Runner(MissedFiringPolicy.RunOnce).RunOnceAsync(CancellationToken.None)).Select(r => r.Firing).ToList();

        Assert.Equal([FiringOutcome.Missed, FiringOutcome.Started], firings.Select(f => f.Outcome));
        Assert.StartsWith("4 firings from 2026-11-02 11:00:00Z to 2026-11-02 14:00:00Z", firings[0].Reason, StringComparison.Ordinal);
        Assert.Equal(new DateTimeOffset(2026, 11, 2, 15, 0, 0, TimeSpan.Zero), firings[1].ScheduledFor);
        Assert.Single((await _jobs.ListAsync(new JobQuery(), CancellationToken.None)).Items);
    }

    [Fact]
    public async Task After_a_restart_missed_firings_start_nothing_under_skip_and_the_next_on_time_firing_runs()
    {
        var schedule = await CreateAsync("0 * * * *");

        _time.SetUtcNow(new DateTimeOffset(2026, 11, 2, 15, 30, 0, TimeSpan.Zero));
        var afterRestart = Assert.Single(await Runner(MissedFiringPolicy.Skip).RunOnceAsync(CancellationToken.None)).Firing;
        _time.SetUtcNow(new DateTimeOffset(2026, 11, 2, 16, 0, 20, TimeSpan.Zero));
        var next = Assert.Single(await Runner(MissedFiringPolicy.Skip).RunOnceAsync(CancellationToken.None)).Firing;

        Assert.Equal(FiringOutcome.Missed, afterRestart.Outcome);
        Assert.Equal("5 firings from 2026-11-02 11:00:00Z to 2026-11-02 15:00:00Z fell due while Cody Batch was not running; the policy (CodyBatch:Schedules:MissedFirings) is Skip.", afterRestart.Reason);
        Assert.Equal(FiringOutcome.Started, next.Outcome);
        Assert.Single((await _jobs.ListAsync(new JobQuery(), CancellationToken.None)).Items);
        Assert.Equal([FiringOutcome.Missed, FiringOutcome.Started], (await ReadAsync(schedule.Id)).Firings.Select(f => f.Outcome));
    }

    [Fact]
    public async Task A_paused_schedule_starts_nothing_and_resuming_does_not_replay_the_pause()
    {
        var schedule = await CreateAsync("0 * * * *");
        await Service().SetEnabledAsync(schedule.Id, false, CancellationToken.None);
        _time.SetUtcNow(new DateTimeOffset(2026, 11, 2, 13, 0, 10, TimeSpan.Zero));

        Assert.Empty(await Runner().RunOnceAsync(CancellationToken.None));
        await Service().SetEnabledAsync(schedule.Id, true, CancellationToken.None);
        Assert.Empty(await Runner().RunOnceAsync(CancellationToken.None));
        _time.SetUtcNow(new DateTimeOffset(2026, 11, 2, 14, 0, 10, TimeSpan.Zero));

        Assert.Equal(FiringOutcome.Started, Assert.Single(await Runner().RunOnceAsync(CancellationToken.None)).Firing.Outcome);
    }

    [Fact]
    public async Task A_firing_uses_the_saved_prompt_as_it_is_then_and_fails_with_a_reason_once_it_is_deleted()
    {
        var prompts = new SavedPromptService(_prompts, new JobRequestValidator(Options.Create(new CodyBatchOptions())), _time);
        var saved = (await prompts.CreateAsync(new SavedPromptRequest { Name = "Docs", Prompt = "Fix the docs.", Mode = "patch", Model = "claude-custom", Checks = ["make docs"] }, CancellationToken.None)).Prompt!;
        var schedule = await CreateAsync("0 * * * *", savedPromptId: saved.Id);
        await prompts.UpdateAsync(saved.Id, new SavedPromptRequest { Name = "Docs", Prompt = "Fix the docs, all of them.", Mode = "patch", Model = "claude-custom", Checks = ["make docs", "make docs-check"] }, CancellationToken.None);

        _time.SetUtcNow(new DateTimeOffset(2026, 11, 2, 11, 0, 5, TimeSpan.Zero));
        var first = Assert.Single(await Runner().RunOnceAsync(CancellationToken.None)).Firing;
        await EndAsync(first.JobId!);
        await prompts.DeleteAsync(saved.Id, CancellationToken.None);
        _time.SetUtcNow(new DateTimeOffset(2026, 11, 2, 12, 0, 5, TimeSpan.Zero));
        var second = Assert.Single(await Runner().RunOnceAsync(CancellationToken.None)).Firing;

        var job = (await _jobs.GetAsync(first.JobId!, CancellationToken.None))!;
        Assert.Equal(("Fix the docs, all of them.", JobMode.Patch, "claude-custom"), (job.Prompt, job.Mode, job.Model));
        Assert.Equal(["make docs", "make docs-check"], job.Checks);
        Assert.Equal(FiringOutcome.Failed, second.Outcome);
        Assert.Contains($"The saved prompt {saved.Id} was deleted", second.Reason, StringComparison.Ordinal);
        Assert.Equal(schedule.Id, (await ReadAsync(schedule.Id)).Id);
    }

    [Fact]
    public async Task Bad_schedules_are_refused_field_by_field()
    {
        var result = await Service().CreateAsync(
            new ScheduleRequest { Name = "", Prompt = "x", SavedPromptId = "prompt-nope", Repositories = [], Cron = "every day", TimeZone = "Nowhere/Else" },
            CancellationToken.None);

        Assert.Null(result.Schedule);
        Assert.Equal(["cron", "name", "prompt", "repositories", "timeZone"], result.Errors.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_firing_gives_its_job_the_schedules_shell_and_network_else_the_saved_prompts_else_the_servers()
    {
        var validator = new JobRequestValidator(Options.Create(new CodyBatchOptions()));
        var prompts = new SavedPromptService(_prompts, validator, _time);
        var offline = (await prompts.CreateAsync(new SavedPromptRequest { Name = "Offline", Prompt = "Fix the docs.", Shell = false, Network = "none" }, CancellationToken.None)).Prompt!;
        async Task<string> CreateWithAsync(string name, string? savedPromptId, bool? shell, string? network) =>
            (await Service().CreateAsync(
                new ScheduleRequest
                {
                    Name = name, Prompt = savedPromptId is null ? "Fix the docs." : null, SavedPromptId = savedPromptId, Repositories = ["octo/app"], Cron = "0 * * * *", Shell = shell, Network = network,
                },
                CancellationToken.None)).Schedule!.Id;
        var own = await CreateWithAsync("own", null, false, "none");
        var fromSaved = await CreateWithAsync("from the saved prompt", offline.Id, null, null);
        var overridden = await CreateWithAsync("network overridden", offline.Id, null, "registries");
        var plain = await CreateWithAsync("as before the fields", null, null, null);

        _time.SetUtcNow(new DateTimeOffset(2026, 11, 2, 11, 0, 5, TimeSpan.Zero));
        var fired = await Runner().RunOnceAsync(CancellationToken.None);

        async Task<(bool? Shell, JobNetwork Network)> JobOf(string scheduleId)
        {
            var job = (await _jobs.GetAsync(fired.Single(f => f.ScheduleId == scheduleId).Firing.JobId!, CancellationToken.None))!;
            return (job.Shell, job.Network);
        }

        Assert.Equal((false, JobNetwork.None), ((await ReadAsync(own)).Shell, (await ReadAsync(own)).Network));
        Assert.Equal((null, null), ((await ReadAsync(plain)).Shell, (await ReadAsync(plain)).Network));
        Assert.Equal((false, JobNetwork.None), await JobOf(own));
        Assert.Equal((false, JobNetwork.None), await JobOf(fromSaved));
        Assert.Equal((false, JobNetwork.Registries), await JobOf(overridden));
        Assert.Equal((true, JobNetwork.Registries), await JobOf(plain));
    }

    [Fact]
    public async Task A_rerun_firing_takes_the_schedules_network_even_when_the_campaigns_last_job_had_another()
    {
        var schedule = await CreateAsync("0 * * * *");
        _time.SetUtcNow(new DateTimeOffset(2026, 11, 2, 11, 0, 5, TimeSpan.Zero));
        var first = Assert.Single(await Runner().RunOnceAsync(CancellationToken.None)).Firing;
        await EndAsync(first.JobId!);
        var stored = await ReadAsync(schedule.Id);
        Assert.NotNull(await _schedules.TryUpdateAsync(stored with { Shell = false, Network = JobNetwork.None }, CancellationToken.None));

        _time.SetUtcNow(new DateTimeOffset(2026, 11, 2, 12, 0, 5, TimeSpan.Zero));
        var second = Assert.Single(await Runner().RunOnceAsync(CancellationToken.None)).Firing;

        var rerun = (await _jobs.GetAsync(second.JobId!, CancellationToken.None))!;
        Assert.Equal(first.JobId, rerun.CampaignId);
        Assert.Equal((false, JobNetwork.None), (rerun.Shell, rerun.Network));
        Assert.Equal((true, JobNetwork.Registries), ((await _jobs.GetAsync(first.JobId!, CancellationToken.None))!.Shell, (await _jobs.GetAsync(first.JobId!, CancellationToken.None))!.Network));
    }

    [Fact]
    public async Task A_schedule_or_saved_prompt_cannot_widen_the_servers_shell_or_network_and_a_wrong_network_names_the_values()
    {
        var narrow = new JobRequestValidator(
            Options.Create(new CodyBatchOptions()),
            shellOptions: Options.Create(new Core.Environments.ShellOptions { Enabled = false }),
            egressOptions: Options.Create(new Core.Environments.EgressOptions { Network = JobNetwork.None }));
        var schedules = new ScheduleService(_schedules, _prompts, narrow, Options.Create(new ScheduleOptions()), _time);
        var prompts = new SavedPromptService(_prompts, narrow, _time);

        var widen = await schedules.CreateAsync(
            new ScheduleRequest { Name = "n", Prompt = "p", Repositories = ["octo/app"], Cron = "0 * * * *", Shell = true, Network = "registries" }, CancellationToken.None);
        var wrong = await prompts.CreateAsync(new SavedPromptRequest { Name = "n", Prompt = "p", Network = "internet" }, CancellationToken.None);
        var wrongSchedule = await schedules.CreateAsync(
            new ScheduleRequest { Name = "n", Prompt = "p", Repositories = ["octo/app"], Cron = "0 * * * *", Network = "internet" }, CancellationToken.None);
        var narrowed = await prompts.CreateAsync(new SavedPromptRequest { Name = "n", Prompt = "p", Shell = false, Network = "none" }, CancellationToken.None);

        Assert.Null(widen.Schedule);
        Assert.Contains("CodyBatch:Shell:Enabled is false", Assert.Single(widen.Errors["shell"]), StringComparison.Ordinal);
        Assert.Contains("cannot ask for the registries", Assert.Single(widen.Errors["network"]), StringComparison.Ordinal);
        const string Expected = "Network must be \"registries\" (the package registries on the server's allow-list) or \"none\", not \"internet\".";
        Assert.Equal([Expected], wrong.Errors["network"]);
        Assert.Equal([Expected], wrongSchedule.Errors["network"]);
        Assert.Empty(await _schedules.ListAsync(CancellationToken.None));
        Assert.Equal((false, JobNetwork.None), (narrowed.Prompt!.Shell, narrowed.Prompt.Network));
    }

    [Fact]
    public async Task A_firing_on_a_saved_prompt_whose_shell_and_network_the_server_no_longer_gives_fails_naming_the_saved_prompt()
    {
        var wide = await new SavedPromptService(_prompts, new JobRequestValidator(Options.Create(new CodyBatchOptions())), _time)
            .CreateAsync(new SavedPromptRequest { Name = "Lint", Prompt = "Run the linter.", Shell = true, Network = "registries" }, CancellationToken.None);
        await CreateAsync("0 * * * *", savedPromptId: wide.Prompt!.Id);

        // The server has since turned the shell and the network off.
        var narrow = new JobRequestValidator(
            Options.Create(new CodyBatchOptions()),
            shellOptions: Options.Create(new Core.Environments.ShellOptions { Enabled = false }),
            egressOptions: Options.Create(new Core.Environments.EgressOptions { Network = JobNetwork.None }));
        _time.SetUtcNow(T0.AddMinutes(55)); // 11:00, its first firing
        var (_, firing) = Assert.Single(await Runner(validator: narrow).RunOnceAsync(CancellationToken.None));

        Assert.Equal(FiringOutcome.Failed, firing.Outcome);
        Assert.StartsWith($"The job was refused: The saved prompt \"Lint\" ({wide.Prompt.Id}) asks for a shell, ", firing.Reason, StringComparison.Ordinal);
        Assert.Contains($"The saved prompt \"Lint\" ({wide.Prompt.Id}) asks for the registries network, ", firing.Reason, StringComparison.Ordinal);
        Assert.Empty((await _jobs.ListAsync(new JobQuery(), CancellationToken.None)).Items);
    }

    [Fact]
    public async Task An_edited_schedule_keeps_its_campaign_and_its_next_firing_takes_the_new_shell_and_network()
    {
        var schedule = await CreateAsync("0 * * * *");
        _time.SetUtcNow(new DateTimeOffset(2026, 11, 2, 11, 0, 5, TimeSpan.Zero));
        var first = Assert.Single(await Runner().RunOnceAsync(CancellationToken.None)).Firing;
        await EndAsync(first.JobId!);

        var edited = await Service().UpdateAsync(
            schedule.Id,
            new ScheduleRequest { Name = "Offline now", Prompt = "Bring the README in line with the code.", Repositories = ["octo/app", "octo/lib"], Cron = "0 * * * *", Shell = false, Network = "none" },
            CancellationToken.None);
        var moved = await Service().UpdateAsync(schedule.Id, new ScheduleRequest { Name = "x", Prompt = "p", Repositories = ["octo/app"], Cron = "0 * * * *" }, CancellationToken.None);
        var missing = await Service().UpdateAsync("schedule-" + JobId.New(T0), new ScheduleRequest { Name = "x" }, CancellationToken.None);
        var bad = await Service().UpdateAsync(schedule.Id, new ScheduleRequest { Name = "x", Prompt = "p", Repositories = ["octo/app"], Cron = "0 * * * *", Network = "internet" }, CancellationToken.None);
        _time.SetUtcNow(new DateTimeOffset(2026, 11, 2, 12, 0, 5, TimeSpan.Zero));
        var second = Assert.Single(await Runner().RunOnceAsync(CancellationToken.None)).Firing;

        Assert.Empty(edited.Errors);
        Assert.Equal((first.JobId, "Offline now", 1), (edited.Schedule!.CampaignId, edited.Schedule.Name, edited.Schedule.Firings.Count));
        Assert.True(missing.NotFound);
        Assert.Equal(["network"], bad.Errors.Keys);
        Assert.Contains("Keep these repositories, or create a new schedule for others.", Assert.Single(moved.Errors["repositories"]), StringComparison.Ordinal);
        Assert.Equal("Offline now", (await ReadAsync(schedule.Id)).Name);
        var job = (await _jobs.GetAsync(second.JobId!, CancellationToken.None))!;
        Assert.Equal((first.JobId, false, JobNetwork.None), (job.CampaignId, job.Shell, job.Network));
        Assert.Equal(["octo/app", "octo/lib"], job.Runs.Select(r => r.Repository));
    }

    [Fact]
    public async Task A_firing_asking_for_a_shell_the_server_has_since_turned_off_fails_with_the_reason_and_starts_nothing()
    {
        var schedule = await Service().CreateAsync(
            new ScheduleRequest { Name = "Shelled", Prompt = "Fix it.", Repositories = ["octo/app"], Cron = "0 * * * *", Shell = true }, CancellationToken.None);
        var shellOff = new JobRequestValidator(Options.Create(new CodyBatchOptions()), shellOptions: Options.Create(new Core.Environments.ShellOptions { Enabled = false }));

        _time.SetUtcNow(new DateTimeOffset(2026, 11, 2, 11, 0, 5, TimeSpan.Zero));
        var firing = Assert.Single(await Runner(validator: shellOff).RunOnceAsync(CancellationToken.None)).Firing;

        Assert.True(schedule.Schedule!.Shell);
        Assert.Equal((FiringOutcome.Failed, null), (firing.Outcome, firing.JobId));
        Assert.Contains("CodyBatch:Shell:Enabled is false", firing.Reason, StringComparison.Ordinal);
    }
}
