using CodyBatch.Core.Notifications;
using CodyBatch.Storage.Sqlite.Documents;
using CodyBatch.Testing.Notifications;

namespace CodyBatch.Core.Tests.Notifications;

public sealed class JobNotifierTests : IAsyncLifetime
{
    private const string Secret = "notification-secret-for-tests";

    private readonly TempDirectory _folder = new();
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);
    private NotificationReceiver _receiver = null!;
    private SqliteJobStore _store = null!;

    public async Task InitializeAsync()
    {
        _receiver = await NotificationReceiver.StartAsync(Secret);
        _store = new SqliteJobStore(new SqliteStoreLocation(_folder.Combine("codybatch.db")));
        await _store.InitializeAsync(CancellationToken.None);
    }

    public async Task DisposeAsync()
    {
        await _receiver.DisposeAsync();
        _folder.Dispose();
    }

    private JobNotifier Notifier(bool slack = false, INotificationLog? log = null) => new(
        Options.Create(new NotificationOptions
        {
            WebhookUrl = new Uri(_receiver.WebhookUrl),
            SigningSecret = Secret,
            SlackWebhookUrl = slack ? new Uri(_receiver.SlackUrl) : null,
            MaxAttempts = 4,
            FirstRetryDelay = TimeSpan.FromSeconds(5),
        }),
        Options.Create(new CodyBatchOptions { PublicUrl = "https://codybatch.example.com/" }),
        _time,
        NullLogger<JobNotifier>.Instance,
        log ?? new SqliteNotificationLog(_store),
        new SqliteScheduleStore(_store));

    private Job EndedJob()
    {
        var now = _time.GetUtcNow();
        var job = JobLifecycle.Create("Fix the bug", "Fix it", JobMode.PullRequest, "claude-test", ["octo/one", "octo/two", "octo/three"], now);
        RepositoryRun Ended(RepositoryRun run, int i) => run with
        {
            Status = i == 2 ? RunStatus.Failed : RunStatus.Succeeded,
            WereChangesNecessary = i switch { 0 => true, 1 => false, _ => null },
            Error = i == 2 ? "The repository does not exist." : null,
            PullRequestUrl = i == 0 ? "https://github.com/octo/one/pull/7" : null,
            Usage = new TokenUsage(1000, 200, 0, 0, 0.25m),
        };
        return job with { Runs = [.. job.Runs.Select(Ended)], Status = JobStatus.Completed, FinishedAt = now };
    }

    [Fact]
    public async Task The_receiver_verifies_the_signature_and_reads_the_outcome_counts_cost_and_link()
    {
        var job = EndedJob();

        await Notifier(slack: true).NotifyAsync(job, CancellationToken.None);

        Assert.Empty(_receiver.Problems.Snapshot());
        var (status, body, headers) = Assert.Single(_receiver.Webhooks.Snapshot());
        Assert.Equal(204, status);
        Assert.Equal("job.ended", headers["X-CodyBatch-Event"].ToString());
        Assert.Equal(body!["id"]!.GetValue<string>(), headers["X-CodyBatch-Delivery"].ToString());
        Assert.Equal("job.ended", body["event"]!.GetValue<string>());
        Assert.Equal((job.Id, "completed", $"https://codybatch.example.com/jobs/{job.Id}"), (body["job"]!["id"]!.GetValue<string>(), body["job"]!["status"]!.GetValue<string>(), body["job"]!["url"]!.GetValue<string>()));
        Assert.Equal("""{"succeeded":2,"failed":1,"cancelled":0,"changed":1,"unchanged":1}""", body["outcomes"]!.ToJsonString());
        Assert.Equal(0.75m, body["costUsd"]!.GetValue<decimal>());
        Assert.Equal("https://github.com/octo/one/pull/7", body["repositories"]![0]!["pullRequestUrl"]!.GetValue<string>());
        var slack = Assert.Single(_receiver.SlackMessages.Snapshot());
        Assert.Equal(
            $"Cody Batch job *Fix it* completed: 2 succeeded (1 with changes), 1 failed, 0 cancelled · $0.75 · <https://codybatch.example.com/jobs/{job.Id}|Open the job>",
            slack["text"]!.GetValue<string>());
        var log = await new SqliteNotificationLog(_store).ListAsync(job.Id, CancellationToken.None);
        Assert.Equal([("slack", 200), ("webhook", 204)], log.Select(l => (l.Target, l.StatusCode!.Value)).Order());
        Assert.DoesNotContain(log, l => $"{l}".Contains("s3cr3t", StringComparison.Ordinal) || $"{l}".Contains(Secret, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_receiver_that_fails_twice_gets_the_delivery_on_the_third_try_after_growing_waits()
    {
        var job = EndedJob();
        _receiver.FailNextWebhooks(2, 503);
        var waits = new Queue<TimeSpan>([TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(10)]);

        // The moment a failed attempt's row is written, the clock moves by exactly the wait the next
        // attempt is due after. Had the notifier waited longer, or started its timer only after the
        // row was written, that retry would never come and the delivery would not end.
        var observed = new ObservedNotificationLog(new SqliteNotificationLog(_store), row =>
        {
            if (!row.Succeeded)
            {
                _time.Advance(waits.Dequeue());
            }
        });
        await Notifier(log: observed).NotifyAsync(job, CancellationToken.None).Expect("The delivery on the third try");

        var log = await new SqliteNotificationLog(_store).ListAsync(job.Id, CancellationToken.None);
        Assert.Equal([(1, 503, false), (2, 503, false), (3, 204, true)], log.Select(l => (l.Attempt, l.StatusCode!.Value, l.Succeeded)));
        Assert.Equal(TimeSpan.FromSeconds(5), log[0].NextAttemptAt - log[0].AttemptedAt);
        Assert.Equal(TimeSpan.FromSeconds(10), log[1].NextAttemptAt - log[1].AttemptedAt);
        Assert.Equal(log[0].NextAttemptAt, log[1].AttemptedAt);
        Assert.Equal(log[1].NextAttemptAt, log[2].AttemptedAt);
        Assert.Empty(waits);
        Assert.Null(log[2].NextAttemptAt);
        Assert.Equal("The receiver answered 503 Service Unavailable.", log[0].Error);
        var bodies = _receiver.Webhooks.Snapshot().Select(w => w.Body!.ToJsonString()).ToList();
        Assert.Equal(3, bodies.Count);
        Assert.Single(bodies.Distinct());
        Assert.Single(log.Select(l => l.DeliveryId).Distinct());
        Assert.Empty(_receiver.Problems.Snapshot());
    }

    [Fact]
    public async Task A_refusal_is_not_retried_and_a_wrong_secret_does_not_verify()
    {
        var job = EndedJob();
        _receiver.FailNextWebhooks(1, 400);

        await Notifier().NotifyAsync(job, CancellationToken.None);
        var wrong = new JobNotifier(
            Options.Create(new NotificationOptions { WebhookUrl = new Uri(_receiver.WebhookUrl), SigningSecret = "not-the-receivers-secret", MaxAttempts = 1 }),
            Options.Create(new CodyBatchOptions()),
            _time,
            NullLogger<JobNotifier>.Instance,
            new SqliteNotificationLog(_store),
            new SqliteScheduleStore(_store));
        await wrong.NotifyAsync(job, CancellationToken.None);

        var log = await new SqliteNotificationLog(_store).ListAsync(job.Id, CancellationToken.None);
        Assert.Equal([(1, 400), (1, 401)], log.Select(l => (l.Attempt, l.StatusCode!.Value)));
        Assert.Single(_receiver.Problems.Snapshot(), p => p.Contains("does not verify", StringComparison.Ordinal));
    }
}
