using System.Globalization;
using CodyBatch.Core.Engine;
using CodyBatch.Core.Runs;

namespace CodyBatch.GitHub.Tests.GitHub;

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
        Assert.Equal(["Waiting 42 seconds for GitHub's secondary rate limit, then retrying to read octo/app.", null], activities);
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
    public async Task A_plain_403_is_not_taken_for_a_rate_limit()
    {
        Api.Fail(RepositoryRead, 403, "Resource not accessible by integration");

        var failure = await Assert.ThrowsAsync<RunFailedException>(() => Host.ResolveAsync("octo/app", CancellationToken.None));

        Assert.Equal("The service account may not read octo/app (Resource not accessible by integration).", failure.Message);
        Assert.DoesNotContain(Time.Delays, d => d > TimeSpan.FromSeconds(1));
    }
}
