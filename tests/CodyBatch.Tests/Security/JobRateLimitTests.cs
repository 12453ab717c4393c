using CodyBatch.Core.Admission;

namespace CodyBatch.Tests.Security;

/// <summary>
/// The job rate limit cannot be sidestepped: it keys on the authenticated key however the request
/// spelled it (behind CloudFront too), and every way a job starts (create, re-run, retry, a schedule's
/// firing) takes from the same allowance. The limiter's clock is moved by hand.
/// </summary>
public sealed class JobRateLimitTests : IDisposable
{
    private const string Key = "first-key-0123456789";
    private const string OtherKey = "second-key-abcdefghij";

    private readonly ApiFactory _factory = new();
    private readonly FakeTimeProvider _limitClock = new(DateTimeOffset.Parse("2026-12-01T09:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
    private readonly FakeTimeProvider _scheduleClock = new(DateTimeOffset.Parse("2026-12-01T09:00:10Z", System.Globalization.CultureInfo.InvariantCulture));
    private int _signatures;

    public JobRateLimitTests()
    {
        _factory.Settings["CodyBatch:ApiKeys:0"] = Key;
        _factory.Settings["CodyBatch:ApiKeys:1"] = OtherKey;
        _factory.Settings["CodyBatch:RateLimit:Burst"] = "3";
        _factory.Settings["CodyBatch:RateLimit:JobsPerMinute"] = "1";
        _factory.Settings["CodyBatch:Schedules:Loop"] = "false";
        _factory.ConfigureServices = services =>
        {
            services.AddSingleton<IJobAdmission>(sp => new TokenBucketAdmission(sp.GetRequiredService<IOptions<JobRateLimitOptions>>(), _limitClock));
            services.AddSingleton(sp => ActivatorUtilities.CreateInstance<ScheduleService>(sp, _scheduleClock));
            services.AddSingleton(sp => ActivatorUtilities.CreateInstance<ScheduleFirer>(sp, _scheduleClock));
        };
    }

    public void Dispose() => _factory.Dispose();

    private HttpClient Client(string authorization)
    {
        var client = _factory.CreateClient();
        client.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", authorization);
        return client;
    }

    // As CloudFront sends it to the function URL: its own signature (new on every request) in Authorization, the viewer's key beside it.
    private async Task<HttpResponseMessage> ThroughCloudFrontAsync(Func<HttpClient, Task<HttpResponseMessage>> send)
    {
        var client = _factory.CreateClient();
        client.DefaultRequestHeaders.TryAddWithoutValidation(
            "Authorization", $"AWS4-HMAC-SHA256 Credential=AKID/20261201/eu-west-1/lambda/aws4_request, SignedHeaders=host;x-amz-date, Signature={++_signatures:x64}");
        client.DefaultRequestHeaders.TryAddWithoutValidation("X-CodyBatch-Authorization", $"Bearer {Key}");
        return await send(client);
    }

    [Fact]
    public async Task One_key_in_any_spelling_and_behind_cloudfront_shares_one_allowance()
    {
        var lower = Client($"bearer {Key}");
        var spaced = Client($"Bearer   {Key}");
        var tabbed = Client($"BEARER\t{Key} ");

        var allowed = new[]
        {
            (await lower.CreateJobAsync("acme/api")).StatusCode,
            (await spaced.CreateJobAsync("acme/api")).StatusCode,
            (await ThroughCloudFrontAsync(c => c.CreateJobAsync("acme/api"))).StatusCode,
        };
        var refused = new[]
        {
            await lower.CreateJobAsync("acme/api"),
            await spaced.CreateJobAsync("acme/api"),
            await tabbed.CreateJobAsync("acme/api"),
            await ThroughCloudFrontAsync(c => c.CreateJobAsync("acme/api")),
        };

        Assert.All(allowed, status => Assert.Equal(HttpStatusCode.Created, status));
        Assert.All(refused, response => Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode));
        Assert.Equal(60, refused[0].Headers.RetryAfter!.Delta!.Value.TotalSeconds);
        Assert.Contains("CodyBatch:RateLimit", (await refused[3].JsonAsync())["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Created, (await Client($"Bearer {OtherKey}").CreateJobAsync("acme/api")).StatusCode);

        _limitClock.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(HttpStatusCode.Created, (await tabbed.CreateJobAsync("acme/api")).StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await lower.CreateJobAsync("acme/api")).StatusCode);
    }

    [Fact]
    public async Task Reruns_and_retries_take_from_the_same_allowance_as_new_jobs()
    {
        _factory.Agent = new ScriptedCodeAgent((_, _) => Task.FromResult(AgentOutcome.Failed("The scripted agent gives up.", TokenUsage.Zero)));
        var client = Client($"Bearer {Key}");
        var id = (await (await client.CreateJobAsync("acme/api")).JsonAsync())["id"]!.GetValue<string>();
        Assert.Equal("failed", (await client.WaitForEndAsync(id))["status"]!.GetValue<string>());

        var retried = await client.PostAsync($"/api/jobs/{id}/repositories/acme/api/retry", null);
        Assert.Equal(HttpStatusCode.OK, retried.StatusCode);
        await client.WaitForEndAsync(id);
        var rerun = await client.PostAsync($"/api/jobs/{id}/rerun", null);
        Assert.Equal(HttpStatusCode.Created, rerun.StatusCode);
        await client.WaitForEndAsync((await rerun.JsonAsync())["id"]!.GetValue<string>());

        // Three starts used the burst of three: each way of starting one more is refused.
        Assert.Equal(HttpStatusCode.TooManyRequests, (await client.PostAsync($"/api/jobs/{id}/repositories/acme/api/retry", null)).StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await client.PostAsync($"/api/jobs/{id}/retry-failed", null)).StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await client.PostAsync($"/api/jobs/{id}/rerun", null)).StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await client.CreateJobAsync("acme/api")).StatusCode);
        Assert.Equal(3, _factory.Agent is ScriptedCodeAgent agent ? agent.Calls : -1);
    }

    [Fact]
    public async Task A_schedules_firings_take_from_the_allowance_of_the_key_that_created_it()
    {
        var client = Client($"Bearer {Key}");
        var created = await client.PostAsJsonAsync("/api/schedules", new { name = "Every minute", prompt = "Append a line", repositories = new[] { "acme/api" }, cron = "* * * * *" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);

        var first = await FireAsync(client, TimeSpan.FromMinutes(1));
        Assert.Equal("started", first["outcome"]!.GetValue<string>());
        await client.WaitForEndAsync(first["jobId"]!.GetValue<string>());

        // The firing took one of three: two new jobs are left, then the allowance is empty.
        Assert.Equal(HttpStatusCode.Created, (await client.CreateJobAsync("acme/api")).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await client.CreateJobAsync("acme/api")).StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await client.CreateJobAsync("acme/api")).StatusCode);

        var refused = await FireAsync(client, TimeSpan.FromMinutes(1));
        Assert.Equal("failed", refused["outcome"]!.GetValue<string>());
        Assert.Null(refused["jobId"]);
        Assert.Contains("job rate limit of the caller who created this schedule (CodyBatch:RateLimit)", refused["reason"]!.GetValue<string>(), StringComparison.Ordinal);

        // Another key's allowance is its own.
        Assert.Equal(HttpStatusCode.Created, (await Client($"Bearer {OtherKey}").CreateJobAsync("acme/api")).StatusCode);
    }

    private async Task<System.Text.Json.Nodes.JsonNode> FireAsync(HttpClient client, TimeSpan later)
    {
        _scheduleClock.Advance(later);
        var response = await client.PostAsync("/events/schedules", null);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return Assert.Single((await response.JsonAsync())["firings"]!.AsArray())!["firing"]!;
    }
}
