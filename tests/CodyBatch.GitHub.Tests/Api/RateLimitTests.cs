using System.Globalization;
using CodyBatch.Core.Engine;

namespace CodyBatch.GitHub.Tests.Api;

public sealed class RateLimitTests : GitHubFixture
{
    private static bool RepositoryRead(Testing.GitHub.FakeGitHubRequest r) => r.Method == "GET" && r.Path == "/repos/octo/app";

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        Api.Add("octo", "app").With("a.txt", "a\n");
    }

    [Fact]
    public async Task A_primary_rate_limit_is_waited_out_until_the_reset()
    {
        var reset = DateTimeOffset.UtcNow.AddSeconds(90).ToUnixTimeSeconds();
        Api.Fail(RepositoryRead, 403, "API rate limit exceeded for user ID 1.", new Dictionary<string, string>
        {
            ["x-ratelimit-remaining"] = "0",
            ["x-ratelimit-reset"] = reset.ToString(CultureInfo.InvariantCulture),
        });

        var resolved = await Host.ResolveAsync("octo/app", CancellationToken.None);

        Assert.Equal("octo/app", resolved.FullName);
        var wait = Assert.Single(Time.Delays, d => d > TimeSpan.FromSeconds(30));
        Assert.InRange(wait.TotalSeconds, 80, 95);
        Assert.Equal(2, Api.Requests.Count(RepositoryRead));
    }

    [Fact]
    public async Task A_secondary_rate_limit_waits_what_retry_after_says_and_shows_it_on_the_run()
    {
        Api.Fail(RepositoryRead, 403, "You have exceeded a secondary rate limit. Please wait a few minutes before you try again.", new Dictionary<string, string> { ["retry-after"] = "42" });
        var activities = new List<string?>();
        RunActivity.Current = new RunActivity(a =>
        {
            activities.Add(a);
            return Task.CompletedTask;
        });

        await Host.ResolveAsync("octo/app", CancellationToken.None);

        Assert.Contains(TimeSpan.FromSeconds(42), Time.Delays);
        Assert.Equal(["Waiting 42 seconds for GitHub's secondary rate limit before the next request to read octo/app.", null], activities);
    }

    [Fact]
    public async Task A_429_without_retry_after_waits_a_minute()
    {
        Api.Fail(RepositoryRead, 429, "Too many requests");

        await Host.ResolveAsync("octo/app", CancellationToken.None);

        Assert.Contains(TimeSpan.FromMinutes(1), Time.Delays);
    }

    [Fact]
    public async Task Rate_limits_are_retried_a_bounded_number_of_times()
    {
        Options.MaxRateLimitRetries = 2;
        for (var i = 0; i < 3; i++)
        {
            Api.Fail(RepositoryRead, 429, "Too many requests", new Dictionary<string, string> { ["retry-after"] = "1" });
        }

        var failure = await Assert.ThrowsAsync<RunFailedException>(() => Host.ResolveAsync("octo/app", CancellationToken.None));

        Assert.Equal("GitHub kept refusing to read octo/app because of its secondary rate limit, 3 times in a row; retry the run later.", failure.Message);
    }

    [Fact]
    public async Task A_wait_longer_than_allowed_fails_the_run_and_names_the_setting()
    {
        var reset = DateTimeOffset.UtcNow.AddHours(1).ToUnixTimeSeconds();
        Api.Fail(RepositoryRead, 403, "API rate limit exceeded", new Dictionary<string, string> { ["x-ratelimit-remaining"] = "0", ["x-ratelimit-reset"] = reset.ToString(CultureInfo.InvariantCulture) });

        var failure = await Assert.ThrowsAsync<RunFailedException>(() => Host.ResolveAsync("octo/app", CancellationToken.None));

        Assert.Contains("GitHub's primary rate limit allows the next request to read octo/app only in 60 minutes, longer than CodyBatch:GitHub:MaxRateLimitWait (15 minutes)", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Once_an_answer_says_the_limit_is_spent_no_run_and_no_list_page_sends_a_request_before_the_reset()
    {
        var clock = new ObservedClock(DateTimeOffset.UtcNow);
        Api.Clock = clock;
        for (var i = 0; i < 5; i++)
        {
            Api.Add("octo", $"service-{i}").With("a.txt", "a\n");
        }

        for (var i = 0; i < 120; i++)
        {
            Api.Add("acme", $"lib-{i:000}");
        }

        var (connection, calls, host) = Create(clock);
        using var _ = connection;
        var catalog = new RepositoryCatalog(connection, calls, Microsoft.Extensions.Options.Options.Create(Options), clock);
        Api.LimitRequests(remaining: 4, resetIn: TimeSpan.FromSeconds(60));
        await host.ResolveAsync("octo/app", CancellationToken.None);
        var reset = Api.RateLimitReset;

        // Two requests are left: five runs resolving at once and a two-page list share them.
        Task[] work = [.. Enumerable.Range(0, 5).Select(i => host.ResolveAsync($"octo/service-{i}", CancellationToken.None)), catalog.ListAsync(null, 1, CancellationToken.None)];
        // Each of the six callers ends up waiting for the reset on a timer, unless it got all it needed
        // from the two requests left (one resolve can, when it sends both before the others ask).
        var waiting = await clock.EachFinishedOrWaitingAsync(work, wait => wait > TimeSpan.FromSeconds(30), "Every caller done or waiting for the reset");
        Assert.InRange(waiting, 5, 6);
        var sent = Api.Requests.Count;
        Assert.Equal(4, sent);
        clock.Advance(TimeSpan.FromSeconds(59));
        Assert.Equal(sent, Api.Requests.Count);
        Assert.Equal(waiting, work.Count(t => !t.IsCompleted));

        clock.Advance(TimeSpan.FromSeconds(3));
        await Task.WhenAll(work).Expect("Every caller finishing after the reset");

        Assert.Empty(Api.Problems);
        Assert.True(Api.Requests.Count == 2 + 10 + 2, string.Join("\n", Api.Requests.Select(r => $"{r.Method} {r.Path}{r.Query} {r.At:HH:mm:ss.fff}")));
        Assert.All(Api.Requests.Skip(sent), r => Assert.True(r.At >= reset, $"{r.Method} {r.Path}{r.Query} was sent at {r.At:HH:mm:ss.fff}, before the reset at {reset:HH:mm:ss}"));
        Assert.Equal(126, (await catalog.ListAsync(null, 1, CancellationToken.None)).Total);
    }

    [Fact]
    public async Task A_plain_403_is_not_taken_for_a_rate_limit()
    {
        Api.Fail(RepositoryRead, 403, "Resource not accessible by integration");

        var failure = await Assert.ThrowsAsync<RunFailedException>(() => Host.ResolveAsync("octo/app", CancellationToken.None));

        Assert.Equal("The service account may not read octo/app (Resource not accessible by integration).", failure.Message);
        Assert.DoesNotContain(Time.Delays, d => d > TimeSpan.FromSeconds(1));
    }
}
