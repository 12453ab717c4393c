using System.Threading.Channels;
using CodyBatch.Core.Notifications;
using CodyBatch.Storage.Sqlite.Documents;
using CodyBatch.Storage.Sqlite.Jobs;
using CodyBatch.Testing.Notifications;
using CodyBatch.Tests.PullRequests;

namespace CodyBatch.Tests.Schedules;

/// <summary>
/// A schedule fired twice through <c>POST /events/schedules</c> (as EventBridge Scheduler calls
/// it), the schedule's clock moved by hand, against the in-process GitHub: one pull request per
/// repository, updated by the second firing; the job's notifications reach a signed receiver.
/// </summary>
public sealed class ScheduledCampaignTests : IAsyncLifetime
{
    private const string NotificationSecret = "notification-secret-for-tests";

    private readonly CampaignHost _host = new();
    private readonly FakeTimeProvider _clock = new(DateTimeOffset.UtcNow);
    private readonly Channel<NotificationDelivery> _logged = Channel.CreateUnbounded<NotificationDelivery>();
    private NotificationReceiver _receiver = null!;

    public async Task InitializeAsync()
    {
        _receiver = await NotificationReceiver.StartAsync(NotificationSecret);
        _host.Factory.Settings["CodyBatch:Schedules:Loop"] = "false";
        _host.Factory.Settings["CodyBatch:Notifications:WebhookUrl"] = _receiver.WebhookUrl;
        _host.Factory.Settings["CodyBatch:Notifications:SigningSecret"] = NotificationSecret;
        _host.Factory.Settings["CodyBatch:Notifications:SlackWebhookUrl"] = _receiver.SlackUrl;
        _host.Factory.Settings["CodyBatch:PublicUrl"] = "https://codybatch.example.com";
        _host.Factory.ConfigureServices = services =>
        {
            // Only the schedules' clock is fake; the workers keep real time.
            services.AddSingleton(sp => ActivatorUtilities.CreateInstance<ScheduleService>(sp, _clock));
            services.AddSingleton(sp => ActivatorUtilities.CreateInstance<ScheduleFirer>(sp, _clock));

            // Each delivery attempt the notifier logs is also told to the test, which awaits it.
            services.AddSingleton<INotificationLog>(sp => new ObservedNotificationLog(
                new SqliteNotificationLog(sp.GetRequiredService<SqliteJobStore>()), row => _logged.Writer.TryWrite(row)));
        };
        await _host.InitializeAsync();
        _host.GitHub.Add("octo", "lib").With("README.md", "# Lib\n");
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        await _receiver.DisposeAsync();
    }

    private async Task<JsonNode> FireAsync(DateTimeOffset at)
    {
        _clock.SetUtcNow(at.AddSeconds(30));
        var response = await _host.Client.PostAsync("/events/schedules", null);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var firing = Assert.Single((await response.JsonAsync())["firings"]!.AsArray())!["firing"]!;
        Assert.Equal("started", firing["outcome"]!.GetValue<string>());
        return await _host.Client.WaitForEndAsync(firing["jobId"]!.GetValue<string>());
    }

    [Fact]
    public async Task Two_firings_open_one_pull_request_per_repository_and_the_second_updates_them()
    {
        var created = await _host.Client.PostAsJsonAsync("/api/schedules", new
        {
            name = "Weekday security sweep",
            prompt = "Apply the security fix.",
            repositories = new[] { "octo/app", "octo/lib" },
            cron = "0 6 * * 1-5",
            timeZone = "Europe/Berlin",
        });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var schedule = await created.JsonAsync();
        var id = schedule["id"]!.GetValue<string>();
        var next = schedule["nextFirings"]!.AsArray().Select(n => n!.GetValue<DateTimeOffset>()).ToList();
        Assert.Equal(5, next.Count);
        Assert.All(next, n => Assert.Equal(6, TimeZoneInfo.ConvertTime(n, TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin")).Hour));

        var first = await FireAsync(next[0]);
        _host.Line = "Security fix applied, better.";
        _host.Title = "Apply the better security fix";
        _host.Body = "Second attempt.";
        var second = await FireAsync(next[1]);

        var firstId = first["id"]!.GetValue<string>();
        Assert.Equal(firstId, second["campaign"]!["id"]!.GetValue<string>());
        Assert.All(second["repositories"]!.AsArray(), run => Assert.Equal("succeeded", run!["status"]!.GetValue<string>()));
        var pulls = _host.GitHub.PullRequests;
        Assert.Equal(["octo/app", "octo/lib"], pulls.Select(p => p["html_url"]!.GetValue<string>().Split("/pull/")[0]["https://github.example/".Length..]).Order(StringComparer.Ordinal));
        Assert.All(pulls, pull =>
        {
            Assert.Equal(("open", "Apply the better security fix"), (pull["state"]!.GetValue<string>(), pull["title"]!.GetValue<string>()));
            Assert.StartsWith("Second attempt.", pull["body"]!.GetValue<string>(), StringComparison.Ordinal);
        });
        Assert.Single(_host.GitHub.Requests, r => r.Method == "POST" && r.Path == "/repos/octo/app/pulls");
        Assert.Single(_host.GitHub.Requests, r => r.Method == "POST" && r.Path == "/repos/octo/lib/pulls");
        foreach (var (repository, head) in new[] { ("octo/app", "# App\n"), ("octo/lib", "# Lib\n") })
        {
            var sha = _host.GitHub.Branch(repository, $"codybatch/{firstId}-{repository[5..]}");
            Assert.Equal(head + "Security fix applied, better.\n", System.Text.Encoding.UTF8.GetString(_host.GitHub.FilesOf(sha!)["README.md"].Content));
        }

        Assert.Empty(_host.GitHub.Problems);
        var stored = await (await _host.Client.GetAsync($"/api/schedules/{id}")).JsonAsync();
        Assert.Equal(firstId, stored["campaignId"]!.GetValue<string>());
        Assert.Equal(
            [second["id"]!.GetValue<string>(), firstId],
            stored["firings"]!.AsArray().Select(f => f!["jobId"]!.GetValue<string>()));
    }

    [Fact]
    public async Task A_schedules_budget_is_checked_shown_and_set_on_every_job_it_starts()
    {
        var refused = await _host.Client.PostAsJsonAsync("/api/schedules", new
        {
            name = "Budgeted", prompt = "Apply the security fix.", repositories = new[] { "octo/lib" }, cron = "0 6 * * *", budgetUsd = 0,
        });
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("between $0.01 and $10,000", (await refused.JsonAsync())["errors"]!["budgetUsd"]![0]!.GetValue<string>(), StringComparison.Ordinal);

        var created = await (await _host.Client.PostAsJsonAsync("/api/schedules", new
        {
            name = "Budgeted", prompt = "Apply the security fix.", repositories = new[] { "octo/lib" }, cron = "0 6 * * *", budgetUsd = 2.5m,
        })).JsonAsync();
        Assert.Equal(2.5m, created["budgetUsd"]!.GetValue<decimal>());

        var job = await FireAsync(created["nextFirings"]![0]!.GetValue<DateTimeOffset>());

        Assert.Equal(2.5m, job["budgetUsd"]!.GetValue<decimal>());
    }

    [Fact]
    public async Task A_scheduled_job_that_finds_work_notifies_a_signed_receiver_and_slack_and_the_log_is_on_the_job()
    {
        var created = await (await _host.Client.PostAsJsonAsync("/api/schedules", new
        {
            name = "Nightly",
            prompt = "Apply the security fix.",
            repositories = new[] { "octo/app" },
            cron = "0 3 * * *",
            timeZone = "America/New_York",
        })).JsonAsync();

        var job = await FireAsync(created["nextFirings"]![0]!.GetValue<DateTimeOffset>());
        var jobId = job["id"]!.GetValue<string>();
        for (var rows = 0; rows < 2;)
        {
            var row = await _logged.Reader.ReadAsync().AsTask().Expect("The webhook and the Slack message being logged");
            rows += row.JobId == jobId ? 1 : 0;
        }

        var log = await (await _host.Client.GetAsync($"/api/jobs/{jobId}/notifications")).JsonAsync();

        Assert.Equal(["slack", "webhook"], log.AsArray().Select(l => l!["target"]!.GetValue<string>()).Order(StringComparer.Ordinal));
        Assert.All(log.AsArray(), l => Assert.True(l!["succeeded"]!.GetValue<bool>()));
        Assert.DoesNotContain("s3cr3t", log.ToJsonString(), StringComparison.Ordinal);
        var (_, body, _) = Assert.Single(_receiver.Webhooks.Snapshot());
        Assert.Equal(("schedule.new_work", "Nightly", jobId), (body!["event"]!.GetValue<string>(), body["schedule"]!["name"]!.GetValue<string>(), body["job"]!["id"]!.GetValue<string>()));
        Assert.Equal(1, body["outcomes"]!["changed"]!.GetValue<int>());
        Assert.StartsWith("Schedule 'Nightly' found new work: job *Nightly* completed: 1 succeeded (1 with changes)", Assert.Single(_receiver.SlackMessages.Snapshot())["text"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Empty(_receiver.Problems.Snapshot());
        Assert.Equal(HttpStatusCode.NotFound, (await _host.Client.GetAsync("/api/jobs/01jz0000000000000000000000/notifications")).StatusCode);
    }
}
