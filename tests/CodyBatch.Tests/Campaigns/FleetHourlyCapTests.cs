using System.Globalization;
using System.Threading.Channels;
using CodyBatch.Core.Campaigns;
using CodyBatch.Storage.Sqlite.Campaigns;
using CodyBatch.Storage.Sqlite.Jobs;

namespace CodyBatch.Tests.Campaigns;

/// <summary>
/// The hourly pull request cap (H) on the running server: its campaign loop on, the campaign's clock (loop, driver and
/// service) and the fake GitHub's clock one fake clock, the real Claude agent on the fake Messages API. The test
/// moves the clock only once the loop has armed its timer after the step it expects; it reads both from one ordered
/// record (each step's stored campaign, then the timer armed after it).
/// </summary>
public sealed class FleetHourlyCapTests : FleetServer
{
    private const int PerHour = 2;
    private static readonly DateTimeOffset Start = new(2026, 1, 5, 9, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Interval = TimeSpan.FromMinutes(45);
    private static readonly string[] Five = [.. new[] { 0, 1, 2, 4, 5 }.Select(FleetFixture.Name)];

    private readonly Channel<Seen> _seen = Channel.CreateUnbounded<Seen>();
    private SweepClock _clock = null!;
    private FakeMessagesApi _claude = null!;
    private ClaudeClientFactory _clients = null!;

    protected override bool Loop => true;

    public override async Task InitializeAsync()
    {
        _claude = await FakeMessagesApi.StartAsync();
        _claude.Fallback = FleetClaude.Fix;
        _clients = RealClaude.Clients(_claude);
        await base.InitializeAsync();
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await _claude.DisposeAsync();
        _clients.Dispose();
    }

    protected override void Configure()
    {
        _clock = new SweepClock(Start, due => _seen.Writer.TryWrite(new(null, null, due)));
        GitHubApi.Clock = _clock;
        Factory.Agent = RealClaude.Agent(_clients);
        Factory.Settings["CodyBatch:Campaigns:Interval"] = "00:45:00";
        Factory.ConfigureServices = services =>
        {
            // Only the campaigns' clock is fake; the workers keep real time.
            services.AddSingleton<ICampaignStore>(sp => new CampaignStoreProbe(new SqliteCampaignStore(sp.GetRequiredService<SqliteJobStore>()))
            {
                // A step ends by storing the campaign without its lease.
                Stored = campaign => _ = campaign.LeaseOwner is null && _seen.Writer.TryWrite(new(campaign.Phase, campaign.Waiting, null)),
            });
            services.AddSingleton(sp => ActivatorUtilities.CreateInstance<CampaignDriver>(sp, (TimeProvider)_clock));
            services.AddSingleton(sp => ActivatorUtilities.CreateInstance<CampaignRunner>(sp, (TimeProvider)_clock));
            services.AddSingleton(sp => ActivatorUtilities.CreateInstance<CampaignService>(sp, (TimeProvider)_clock));
        };
    }

    /// <summary>Reads the record until a step stored the campaign as <paramref name="match"/> wants, then the timer armed after that step.</summary>
    private async Task<(string? Waiting, TimeSpan Armed)> SteppedAsync(Func<Seen, bool> match, string expected)
    {
        Seen? step = null;
        while (true)
        {
            var seen = await _seen.Reader.ReadAsync().AsTask().Expect(expected);
            if (step is null && seen.Armed is null && match(seen))
            {
                step = seen;
            }
            else if (step is not null && seen.Armed is { } armed)
            {
                return (step.Waiting, armed);
            }
        }
    }

    private static Func<Seen, bool> WaitingUntil(string time) => s => s.Waiting?.Contains($"the next can start at 2026-01-05 {time} UTC", StringComparison.Ordinal) == true;

    private List<DateTimeOffset> Opened() =>
        [.. GitHubApi.PullRequests.Select(p => DateTimeOffset.Parse(p["created_at"]!.GetValue<string>(), CultureInfo.InvariantCulture)).Order()];

    [Fact]
    public async Task It_opens_h_pull_requests_waits_with_its_wake_time_and_opens_the_next_when_the_hour_has_passed()
    {
        var created = await CreateAsync(new
        {
            job = new { prompt = "Bump the base image.", checks = Array.Empty<string>() },
            selection = new { repositories = Five },
            triage = "off",
            canaryJobs = 0,
            concurrency = 5,
            maxPullRequestsPerHour = PerHour,
        });
        var id = created["campaign"]!["id"]!.GetValue<string>();
        await PostAsync($"/api/campaigns/{id}/approve");

        // 09:00: two open, and the campaign says when the next may start; the loop sleeps no longer than its interval.
        var (_, armed) = await SteppedAsync(WaitingUntil("10:00"), "A step waiting for 10:00 after two pull requests");
        Assert.Equal(Interval, armed);
        Assert.Equal([Start, Start], Opened());
        Assert.Contains("2 pull request(s) opened in the past hour", (await GetAsync(id))["waiting"]!.GetValue<string>(), StringComparison.Ordinal);

        // 09:45: the interval's step starts nothing and sleeps until the wake time.
        _clock.Advance(Interval);
        (var waiting, armed) = await SteppedAsync(_ => true, "The step at 09:45");
        Assert.Equal(TimeSpan.FromMinutes(15), armed);
        Assert.True(WaitingUntil("10:00")(new(null, waiting, null)), waiting);
        Assert.Equal(2, Opened().Count);

        // 10:00: the first two leave the hour; the next two open.
        _clock.Advance(armed);
        (_, armed) = await SteppedAsync(WaitingUntil("11:00"), "A step waiting for 11:00 after four pull requests");
        Assert.Equal([Start, Start, Start.AddHours(1), Start.AddHours(1)], Opened());

        _clock.Advance(Interval);
        (_, armed) = await SteppedAsync(_ => true, "The step at 10:45");
        Assert.Equal(TimeSpan.FromMinutes(15), armed);
        _clock.Advance(armed);
        await SteppedAsync(s => s.Phase == CampaignPhase.Done, "The campaign done");

        var opened = Opened();
        Assert.Equal([Start, Start, Start.AddHours(1), Start.AddHours(1), Start.AddHours(2)], opened);
        Assert.All(opened, at => Assert.InRange(opened.Count(o => o >= at && o < at.AddHours(1)), 1, PerHour));
        Assert.Empty(_claude.Problems);
        Assert.Equal(Five.Length, (await GetAsync(id))["counts"]!["openPullRequests"]!.GetValue<int>());
    }

    /// <summary>A step's stored campaign (phase and waiting), or the timer the loop armed after a step.</summary>
    private sealed record Seen(CampaignPhase? Phase, string? Waiting, TimeSpan? Armed);

    /// <summary>A fake clock that tells each timer armed on it.</summary>
    private sealed class SweepClock(DateTimeOffset start, Action<TimeSpan> armed) : FakeTimeProvider(start)
    {
        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        {
            var timer = base.CreateTimer(callback, state, dueTime, period);
            armed(dueTime);
            return timer;
        }
    }
}
