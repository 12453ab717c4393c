using CodyBatch.Aws.Dispatch;
using CodyBatch.Testing.Notifications;

namespace CodyBatch.Aws.Tests;

/// <summary><c>codybatch sweep</c> against dynalite: jobs nobody works on are marked so the pipe dispatches them again.</summary>
[Collection(EmulatorCollection.Name)]
public sealed class ReconcilerTests(Emulators emulators) : IDisposable
{
    private readonly TempDirectory _data = new("codybatch-aws-sweep");
    private readonly string _table = $"codybatch-{Guid.NewGuid():N}";
    // An hour behind the system clock, which the worker host runs on: a lease that ran out here ran out for it too.
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow.AddHours(-1));

    public void Dispose() => _data.Dispose();

    private async Task<DynamoDbJobStore> StoreAsync()
    {
        var store = new DynamoDbJobStore(emulators.DynamoDb, _table, createTableIfMissing: true, time: _time);
        await store.InitializeAsync(CancellationToken.None);
        return store;
    }

    private DispatchReconciler Reconciler(DynamoDbJobStore store) =>
        new(store, emulators.DynamoDb, _table, Options.Create(new ReconcilerOptions()), _time, NullLogger<DispatchReconciler>.Instance);

    private async Task<Dictionary<string, AttributeValue>> RawAsync(string jobId) =>
        (await emulators.DynamoDb.GetItemAsync(new GetItemRequest { TableName = _table, Key = JobItems.Key(jobId), ConsistentRead = true })).Item;

    [Fact]
    public async Task A_job_whose_lease_expired_is_marked_for_dispatch_and_the_dispatched_worker_finishes_it()
    {
        var store = await StoreAsync();
        var job = JobLifecycle.Create("Append a line", null, JobMode.Patch, "claude-sonnet-4-5", ["acme/a"], _time.GetUtcNow());
        await store.CreateAsync(job, CancellationToken.None);
        // A worker claimed the run, then died (Batch timeout, out of memory): its lease is never renewed.
        Assert.NotNull(await store.TryUpdateAsync(JobLifecycle.TryClaim(job, "acme/a", "dead-worker", _time.GetUtcNow(), TimeSpan.FromSeconds(30))!, CancellationToken.None));
        var reconciler = Reconciler(store);
        Assert.Empty(await reconciler.SweepAsync(CancellationToken.None));
        Assert.False((await RawAsync(job.Id)).ContainsKey("redispatchAt"));

        _time.Advance(TimeSpan.FromMinutes(5));
        var marked = await reconciler.SweepAsync(CancellationToken.None);

        Assert.Equal([job.Id], marked);
        var raw = await RawAsync(job.Id);
        Assert.True(raw.ContainsKey("redispatchAt"));
        Assert.Equal("1", raw["version"].N);

        // What the pipe then starts: a worker for that job (the system clock is past the dead lease too).
        var bucket = await TestWorkers.BucketAsync(emulators);
        using var worker = TestWorkers.Create(_data.Path, store, emulators, bucket, new FakeRepositoryHost().AddSimple("acme/a"), ScriptedCodeAgent.AppendingTo("README.md"));
        await worker.StartAsync();
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var ended = await worker.Services.GetRequiredService<SingleJobRunner>().RunAsync(job.Id, limit.Token);
        await worker.StopAsync();

        Assert.Equal(JobStatus.Completed, ended.Status);
        Assert.Equal(2, ended.Runs[0].Attempts);
        Assert.False((await RawAsync(job.Id)).ContainsKey("redispatchAt"));
        Assert.Empty(await reconciler.SweepAsync(CancellationToken.None));
    }

    [Fact]
    public async Task A_mark_nobody_answered_is_set_anew_on_the_next_sweep()
    {
        var store = await StoreAsync();
        var job = JobLifecycle.Create("Append a line", null, JobMode.Patch, "claude-sonnet-4-5", ["acme/a"], _time.GetUtcNow());
        await store.CreateAsync(job, CancellationToken.None);
        _time.Advance(TimeSpan.FromMinutes(20));
        var reconciler = Reconciler(store);

        Assert.Equal([job.Id], await reconciler.SweepAsync(CancellationToken.None));
        var first = (await RawAsync(job.Id))["redispatchAt"].S;
        _time.Advance(TimeSpan.FromMinutes(5));
        Assert.Equal([job.Id], await reconciler.SweepAsync(CancellationToken.None));

        Assert.NotEqual(first, (await RawAsync(job.Id))["redispatchAt"].S);
    }

    [Fact]
    public async Task Live_runs_and_recently_queued_jobs_are_left_alone()
    {
        var store = await StoreAsync();
        var live = JobLifecycle.Create("One", null, JobMode.Patch, "m", ["acme/a"], _time.GetUtcNow());
        var fresh = JobLifecycle.Create("Two", null, JobMode.Patch, "m", ["acme/b"], _time.GetUtcNow());
        await store.CreateAsync(live, CancellationToken.None);
        await store.CreateAsync(fresh, CancellationToken.None);
        Assert.NotNull(await store.TryUpdateAsync(JobLifecycle.TryClaim(live, "acme/a", "w1", _time.GetUtcNow(), TimeSpan.FromHours(1))!, CancellationToken.None));
        _time.Advance(TimeSpan.FromMinutes(10));

        Assert.Empty(await Reconciler(store).SweepAsync(CancellationToken.None));
    }

    /// <summary>A one-run job whose run was claimed three times by workers that went away (their leases ran out).</summary>
    private async Task<Job> JobWhoseRunLostItsWorkerThriceAsync(DynamoDbJobStore store)
    {
        var job = JobLifecycle.Create("Crash", null, JobMode.Patch, "m", ["acme/a"], _time.GetUtcNow());
        await store.CreateAsync(job, CancellationToken.None);
        for (var attempt = 1; attempt <= 3; attempt++)
        {
            var current = (await store.GetAsync(job.Id, CancellationToken.None))!;
            Assert.NotNull(await store.TryUpdateAsync(JobLifecycle.TryClaim(current, "acme/a", $"w{attempt}", _time.GetUtcNow(), TimeSpan.FromSeconds(30))!, CancellationToken.None));
            _time.Advance(TimeSpan.FromMinutes(5));
        }

        return job;
    }

    [Fact]
    public async Task A_run_that_lost_its_worker_too_many_times_fails_with_a_sentence_instead()
    {
        var store = await StoreAsync();
        var job = await JobWhoseRunLostItsWorkerThriceAsync(store);

        var marked = await Reconciler(store).SweepAsync(CancellationToken.None);

        Assert.Empty(marked);
        var run = (await store.GetAsync(job.Id, CancellationToken.None))!.Runs.Single();
        Assert.Equal(RunStatus.Failed, run.Status);
        Assert.Equal(3, run.Attempts);
        Assert.Contains("CodyBatch:Aws:Reconciler:MaxAttempts", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task When_failing_a_run_ends_its_job_the_sweep_sends_the_jobs_notification()
    {
        const string Secret = "sweep-notification-secret";
        await using var receiver = await NotificationReceiver.StartAsync(Secret);
        using var notifier = new CodyBatch.Core.Notifications.JobNotifier(
            Options.Create(new CodyBatch.Core.Notifications.NotificationOptions { WebhookUrl = new Uri(receiver.WebhookUrl), SigningSecret = Secret, MaxAttempts = 1 }),
            Options.Create(new CodyBatch.Core.Configuration.CodyBatchOptions()),

            // The receiver checks the signed timestamp against the real clock (this test's store clock is an hour behind).
            TimeProvider.System,
            NullLogger<CodyBatch.Core.Notifications.JobNotifier>.Instance);
        var store = await StoreAsync();
        var job = await JobWhoseRunLostItsWorkerThriceAsync(store);

        var reconciler = new DispatchReconciler(store, emulators.DynamoDb, _table, Options.Create(new ReconcilerOptions()), _time, NullLogger<DispatchReconciler>.Instance, notifier);
        await reconciler.SweepAsync(CancellationToken.None);
        await notifier.WhenIdleAsync();

        var delivered = Assert.Single(receiver.Webhooks.Snapshot());
        Assert.Equal(204, delivered.Status);
        Assert.Equal(job.Id, delivered.Body!["job"]!["id"]!.GetValue<string>());
        Assert.Empty(receiver.Problems.Snapshot());

        // A second sweep finds nothing to end and sends nothing more.
        await reconciler.SweepAsync(CancellationToken.None);
        await notifier.WhenIdleAsync();
        Assert.Single(receiver.Webhooks.Snapshot());
    }
}
