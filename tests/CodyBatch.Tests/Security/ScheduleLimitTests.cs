using Microsoft.AspNetCore.Builder;

namespace CodyBatch.Tests.Security;

/// <summary>Schedules have a minimum interval and a count cap, and their events route needs the API key on a self-hosted serve.</summary>
public sealed class ScheduleLimitTests : IDisposable
{
    private const string Key = "first-key-0123456789";

    private readonly ApiFactory _factory = new();

    public ScheduleLimitTests()
    {
        _factory.Settings["CodyBatch:ApiKeys:0"] = Key;
        _factory.Settings["CodyBatch:Schedules:Loop"] = "false";
    }

    public void Dispose() => _factory.Dispose();

    private HttpClient Authorized()
    {
        var client = _factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = new("Bearer", Key);
        return client;
    }

    private static object Schedule(string cron, string name = "Sweep") =>
        new { name, prompt = "Append a line", repositories = new[] { "acme/api" }, cron };

    [Theory]
    [InlineData("* * * * * *", "1 second")]
    [InlineData("*/30 * * * * *", "30 seconds")]
    [InlineData("0,10 0 6 * * *", "10 seconds")]
    public async Task A_cron_that_fires_more_often_than_the_minimum_interval_is_refused_with_a_sentence(string cron, string every)
    {
        var response = await Authorized().PostAsJsonAsync("/api/schedules", Schedule(cron));

        await JobsApiTests.AssertProblemAsync(response, HttpStatusCode.BadRequest, null);
        var message = (await response.JsonAsync())["errors"]!["cron"]![0]!.GetValue<string>();
        Assert.Equal(
            $"'{cron}' fires as often as every {every}, but a schedule may fire at most once every 1 minute (CodyBatch:Schedules:MinimumInterval). "
            + "Write five fields (minute hour day-of-month month day-of-week) that fire less often, like '*/5 * * * *' for every five minutes.",
            message);
        Assert.Empty((await (await Authorized().GetAsync("/api/schedules")).JsonAsync()).AsArray());
    }

    [Theory]
    [InlineData("* * * * *")]
    [InlineData("0 */5 * * * *")]
    public async Task Every_minute_or_less_often_is_allowed(string cron)
    {
        Assert.Equal(HttpStatusCode.Created, (await Authorized().PostAsJsonAsync("/api/schedules", Schedule(cron))).StatusCode);
    }

    [Fact]
    public async Task The_minimum_interval_is_a_setting()
    {
        _factory.Settings["CodyBatch:Schedules:MinimumInterval"] = "00:10:00";

        var refused = await Authorized().PostAsJsonAsync("/api/schedules", Schedule("*/5 * * * *"));
        var allowed = await Authorized().PostAsJsonAsync("/api/schedules", Schedule("*/10 * * * *"));

        Assert.Contains("at most once every 10 minutes", (await refused.JsonAsync())["errors"]!["cron"]![0]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Created, allowed.StatusCode);
    }

    [Fact]
    public async Task Past_the_count_cap_a_new_schedule_is_refused_until_one_is_deleted()
    {
        _factory.Settings["CodyBatch:Schedules:MaxSchedules"] = "2";
        var client = Authorized();
        var first = await (await client.PostAsJsonAsync("/api/schedules", Schedule("0 6 * * *", "One"))).JsonAsync();
        Assert.Equal(HttpStatusCode.Created, (await client.PostAsJsonAsync("/api/schedules", Schedule("0 7 * * *", "Two"))).StatusCode);

        var refused = await client.PostAsJsonAsync("/api/schedules", Schedule("0 8 * * *", "Three"));

        await JobsApiTests.AssertProblemAsync(refused, HttpStatusCode.BadRequest, null);
        Assert.Contains("at most 2 schedules (CodyBatch:Schedules:MaxSchedules)", (await refused.JsonAsync())["errors"]!["schedules"]![0]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(2, (await (await client.GetAsync("/api/schedules")).JsonAsync()).AsArray().Count);
        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync($"/api/schedules/{first["id"]!.GetValue<string>()}")).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await client.PostAsJsonAsync("/api/schedules", Schedule("0 8 * * *", "Three"))).StatusCode);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("Bearer wrong-key")]
    public async Task The_schedule_events_route_needs_the_api_key_on_serve(string? authorization)
    {
        var client = _factory.CreateClient();
        if (authorization is not null)
        {
            client.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", authorization);
        }

        // What the Lambda Web Adapter sets on a pass-through: not trusted where serve is not on Lambda.
        client.DefaultRequestHeaders.TryAddWithoutValidation("x-amzn-request-context", "null");

        var refused = await client.PostAsync("/events/schedules", null);

        await JobsApiTests.AssertProblemAsync(refused, HttpStatusCode.Unauthorized, "Send an API key of this server as 'Authorization: Bearer <key>'.");
        Assert.Equal(HttpStatusCode.OK, (await Authorized().PostAsync("/events/schedules", null)).StatusCode);
    }

    [Theory]
    [InlineData("null", HttpStatusCode.OK)]
    [InlineData("""{"accountId":"anonymous","http":{"method":"POST","path":"/events/schedules"}}""", HttpStatusCode.Unauthorized)]
    [InlineData(null, HttpStatusCode.Unauthorized)]
    public async Task On_lambda_only_the_adapters_pass_through_goes_without_a_key(string? requestContext, HttpStatusCode expected)
    {
        _factory.Settings["CodyBatch:Schedules:LambdaPassThrough"] = "true";

        // The adapter calls the app on loopback, as it does inside the Lambda sandbox.
        _factory.ConfigureServices = services => services.AddSingleton<IStartupFilter>(new FromLoopback());
        var client = _factory.CreateClient();
        if (requestContext is not null)
        {
            client.DefaultRequestHeaders.TryAddWithoutValidation("x-amzn-request-context", requestContext);
        }

        Assert.Equal(expected, (await client.PostAsync("/events/schedules", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/jobs")).StatusCode);
    }

    private sealed class FromLoopback : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use((context, following) =>
            {
                context.Connection.RemoteIpAddress = IPAddress.Loopback;
                return following(context);
            });
            next(app);
        };
    }
}
