using CodyBatch.Core.Notifications;
using CodyBatch.Core.Prompts;
using CodyBatch.Core.Schedules;

namespace CodyBatch.Testing;

/// <summary>
/// What every store of saved prompts, schedules and notification deliveries must do. A store's
/// test class derives from this and supplies fresh, empty stores on one database.
/// </summary>
public abstract class SavedPromptStoreContract
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 1, 12, 0, 0, TimeSpan.Zero);

    /// <summary>New, empty, initialized stores on one database.</summary>
    protected abstract Task<(ISavedPromptStore Prompts, IScheduleStore Schedules, INotificationLog Notifications)> CreateStoresAsync();

    /// <summary>
    /// Takes the <c>shell</c> and <c>network</c> properties out of a stored schedule and a stored saved prompt, leaving
    /// them as a store written before those fields existed would hold them.
    /// </summary>
    protected abstract Task RemoveShellAndNetworkAsync(string scheduleId, string promptId);

    private static SavedPrompt NewPrompt(string name, int minutes = 0) => new()
    {
        Id = SavedPromptService.NewId(T0.AddMinutes(minutes)),
        Name = name,
        Description = "Keeps the lock files fresh — ünïcødé",
        Prompt = "Upgrade every dependency to its newest patch release.\nKeep behaviour.",
        Mode = JobMode.Patch,
        Checks = ["npm test", "npm run lint"],
        Model = "claude-test",
        CreatedAt = T0.AddMinutes(minutes),
        UpdatedAt = T0.AddMinutes(minutes),
    };

    private static Schedule NewSchedule(int minutes) => new()
    {
        Id = "schedule-" + JobId.New(T0.AddMinutes(minutes)),
        Name = "Nightly",
        Prompt = "Fix what the linter finds.",
        Repositories = ["octo/one", "octo/two"],
        Mode = JobMode.PullRequest,
        Checks = ["make test"],
        Cron = "0 3 * * *",
        TimeZone = "Europe/Berlin",
        CheckedThrough = T0,
        CreatedAt = T0.AddMinutes(minutes),
        UpdatedAt = T0.AddMinutes(minutes),
    };

    [Fact]
    public async Task A_saved_prompt_reads_back_with_every_field()
    {
        var (store, _, _) = await CreateStoresAsync();
        var prompt = NewPrompt("Dependencies");

        await store.CreateAsync(prompt, CancellationToken.None);

        Assert.Equal(prompt with { Checks = [] }, (await store.GetAsync(prompt.Id, CancellationToken.None))! with { Checks = [] });
        Assert.Equal(["npm test", "npm run lint"], (await store.GetAsync(prompt.Id, CancellationToken.None))!.Checks);
        Assert.Null(await store.GetAsync(SavedPromptService.NewId(T0.AddDays(1)), CancellationToken.None));
    }

    [Fact]
    public async Task Saved_prompts_list_by_name_ignoring_case()
    {
        var (store, _, _) = await CreateStoresAsync();
        foreach (var (name, minute) in new[] { ("beta", 0), ("Alpha", 1), ("gamma", 2) })
        {
            await store.CreateAsync(NewPrompt(name, minute), CancellationToken.None);
        }

        Assert.Equal(["Alpha", "beta", "gamma"], (await store.ListAsync(CancellationToken.None)).Select(p => p.Name));
    }

    [Fact]
    public async Task A_second_create_with_the_same_id_is_refused_and_keeps_the_first()
    {
        var (store, _, _) = await CreateStoresAsync();
        var prompt = NewPrompt("First");
        await store.CreateAsync(prompt, CancellationToken.None);

        await Assert.ThrowsAsync<InvalidOperationException>(() => store.CreateAsync(prompt with { Name = "Second" }, CancellationToken.None));

        Assert.Equal("First", (await store.GetAsync(prompt.Id, CancellationToken.None))!.Name);
    }

    [Fact]
    public async Task An_update_from_a_stale_version_is_refused_and_loses_nothing()
    {
        var (store, _, _) = await CreateStoresAsync();
        var prompt = NewPrompt("Original");
        await store.CreateAsync(prompt, CancellationToken.None);

        var first = await store.TryUpdateAsync(prompt with { Name = "Edited once" }, CancellationToken.None);
        var stale = await store.TryUpdateAsync(prompt with { Name = "Edited from a stale copy" }, CancellationToken.None);

        Assert.Equal(1, first!.Version);
        Assert.Null(stale);
        var stored = (await store.GetAsync(prompt.Id, CancellationToken.None))!;
        Assert.Equal(("Edited once", 1L), (stored.Name, stored.Version));
    }

    [Fact]
    public async Task Delete_removes_only_that_prompt_and_says_whether_there_was_one()
    {
        var (store, _, _) = await CreateStoresAsync();
        var keep = NewPrompt("Keep", 0);
        var drop = NewPrompt("Drop", 1);
        await store.CreateAsync(keep, CancellationToken.None);
        await store.CreateAsync(drop, CancellationToken.None);

        Assert.True(await store.DeleteAsync(drop.Id, CancellationToken.None));
        Assert.False(await store.DeleteAsync(drop.Id, CancellationToken.None));

        Assert.Equal([keep.Id], (await store.ListAsync(CancellationToken.None)).Select(p => p.Id));
        Assert.Null(await store.TryUpdateAsync(drop with { Name = "Back" }, CancellationToken.None));
    }

    [Fact]
    public async Task Schedules_read_back_list_oldest_first_update_on_version_and_delete()
    {
        var (_, store, _) = await CreateStoresAsync();
        var later = NewSchedule(5);
        var earlier = NewSchedule(1);
        await store.CreateAsync(later, CancellationToken.None);
        await store.CreateAsync(earlier, CancellationToken.None);
        var firing = new ScheduleFiring(T0.AddHours(1), T0.AddHours(1).AddSeconds(3), FiringOutcome.SkippedOverlap, null, "Job x was still running.");

        var updated = await store.TryUpdateAsync(earlier.Record(firing) with { Enabled = false, CampaignId = "c1", LastJobId = "j1" }, CancellationToken.None);
        var stale = await store.TryUpdateAsync(earlier with { Name = "Stale" }, CancellationToken.None);

        Assert.Null(stale);
        Assert.Equal([earlier.Id, later.Id], (await store.ListAsync(CancellationToken.None)).Select(s => s.Id));
        var stored = (await store.GetAsync(earlier.Id, CancellationToken.None))!;
        Assert.Equal((false, "c1", "j1", 1L), (stored.Enabled, stored.CampaignId, stored.LastJobId, stored.Version));
        Assert.Equal([firing], stored.Firings);
        Assert.Equal(["octo/one", "octo/two"], stored.Repositories);
        Assert.Equal(("0 3 * * *", "Europe/Berlin", T0), (stored.Cron, stored.TimeZone, stored.CheckedThrough));
        Assert.Equal(updated!.Version, stored.Version);
        Assert.True(await store.DeleteAsync(later.Id, CancellationToken.None));
        Assert.Null(await store.GetAsync(later.Id, CancellationToken.None));
    }

    [Fact]
    public async Task Shell_and_network_read_back_and_records_stored_before_them_read_as_following_the_server()
    {
        var (prompts, schedules, _) = await CreateStoresAsync();
        var prompt = NewPrompt("Offline") with { Shell = false, Network = JobNetwork.None };
        var plainPrompt = NewPrompt("Plain", 1);
        var schedule = NewSchedule(2) with { Shell = false, Network = JobNetwork.Registries };
        var old = NewSchedule(3) with { Shell = false, Network = JobNetwork.None };
        var oldPrompt = NewPrompt("Old", 4) with { Shell = false, Network = JobNetwork.None };
        await prompts.CreateAsync(prompt, CancellationToken.None);
        await prompts.CreateAsync(plainPrompt, CancellationToken.None);
        await prompts.CreateAsync(oldPrompt, CancellationToken.None);
        await schedules.CreateAsync(schedule, CancellationToken.None);
        await schedules.CreateAsync(old, CancellationToken.None);

        await RemoveShellAndNetworkAsync(old.Id, oldPrompt.Id);

        var storedPrompt = (await prompts.GetAsync(prompt.Id, CancellationToken.None))!;
        var storedPlain = (await prompts.GetAsync(plainPrompt.Id, CancellationToken.None))!;
        var storedSchedule = (await schedules.GetAsync(schedule.Id, CancellationToken.None))!;
        var storedOld = (await schedules.GetAsync(old.Id, CancellationToken.None))!;
        var storedOldPrompt = (await prompts.GetAsync(oldPrompt.Id, CancellationToken.None))!;
        Assert.Equal((false, JobNetwork.None), (storedPrompt.Shell, storedPrompt.Network));
        Assert.Equal((null, null), (storedPlain.Shell, storedPlain.Network));
        Assert.Equal((false, JobNetwork.Registries), (storedSchedule.Shell, storedSchedule.Network));
        Assert.Equal((null, null), (storedOld.Shell, storedOld.Network));
        Assert.Equal((null, null), (storedOldPrompt.Shell, storedOldPrompt.Network));
        Assert.Equal((old.Name, old.Cron), (storedOld.Name, storedOld.Cron));
        Assert.Equal(oldPrompt.Prompt, storedOldPrompt.Prompt);
    }

    [Fact]
    public async Task Notification_deliveries_list_per_job_in_the_order_they_were_made()
    {
        var (_, _, log) = await CreateStoresAsync();
        NotificationDelivery Attempt(string job, int attempt, bool ok) => new()
        {
            JobId = job,
            DeliveryId = "d1",
            Event = JobNotification.JobEnded,
            Target = "webhook",
            Attempt = attempt,
            AttemptedAt = T0.AddSeconds(attempt * 10),
            StatusCode = ok ? 200 : 503,
            Succeeded = ok,
            Error = ok ? null : "The receiver answered 503 Service Unavailable.",
            NextAttemptAt = ok ? null : T0.AddSeconds((attempt * 10) + 5),
        };
        await log.AddAsync(Attempt("job-a", 1, false), CancellationToken.None);
        await log.AddAsync(Attempt("job-b", 1, true), CancellationToken.None);
        await log.AddAsync(Attempt("job-a", 2, true), CancellationToken.None);

        Assert.Equal([Attempt("job-a", 1, false), Attempt("job-a", 2, true)], await log.ListAsync("job-a", CancellationToken.None));
        Assert.Single(await log.ListAsync("job-b", CancellationToken.None));
        Assert.Empty(await log.ListAsync("job-c", CancellationToken.None));
    }
}
