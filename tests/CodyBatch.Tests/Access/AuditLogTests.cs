using CodyBatch.Tests.PullRequests;
using Microsoft.AspNetCore.Builder;

namespace CodyBatch.Tests.Access;

/// <summary>
/// Who did what, read back through <c>GET /api/audit</c>: a job created by one key and cancelled by
/// another, a schedule's firing, a pull request merged as a signed webhook says; nothing secret in any of it.
/// </summary>
public sealed class AuditLogTests : IAsyncLifetime
{
    private readonly CampaignHost _host = new();
    private readonly FakeTimeProvider _scheduleClock = new(DateTimeOffset.UtcNow);
    private HttpClient _admin = null!;

    public async Task InitializeAsync()
    {
        _host.Factory.Settings["CodyBatch:ApiKeys:0"] = AccessClients.ConfiguredKey;
        _host.Factory.Settings["CodyBatch:Schedules:Loop"] = "false";
        _host.Settings["CodyBatch:Shepherd:FailingChecks"] = "false";
        _host.Factory.ConfigureServices = services =>
        {
            services.AddSingleton(sp => ActivatorUtilities.CreateInstance<ScheduleService>(sp, _scheduleClock));
            services.AddSingleton(sp => ActivatorUtilities.CreateInstance<ScheduleFirer>(sp, _scheduleClock));

            // The in-memory server has no network peer; give every request the address a client would have.
            services.AddTransient<IStartupFilter, ClientAddress>();
        };
        await _host.InitializeAsync();
        _admin = _host.Factory.WithKey(AccessClients.ConfiguredKey);
    }

    public Task DisposeAsync() => _host.DisposeAsync();

    [Fact]
    public async Task Create_cancel_firing_and_webhook_are_each_recorded_with_who_what_where_and_outcome()
    {
        var (_, alphaKey) = await _admin.CreateKeyAsync("alpha", "operator");
        var (_, betaKey) = await _admin.CreateKeyAsync("beta", "operator");
        var (_, viewerKey) = await _admin.CreateKeyAsync("victor", "viewer");
        var alpha = _host.Factory.WithKey(alphaKey);
        var beta = _host.Factory.WithKey(betaKey);

        // A job by alpha, run to its pull request; cancelled (too late to matter) by beta.
        var created = await alpha.CreateJobAsync("octo/app");
        var jobId = (await created.JsonAsync())["id"]!.GetValue<string>();
        var job = await alpha.WaitForEndAsync(jobId);
        Assert.Equal(HttpStatusCode.OK, (await beta.PostAsync($"/api/jobs/{jobId}/cancel", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await _host.Factory.WithKey(viewerKey).PostAsync($"/api/jobs/{jobId}/cancel", null)).StatusCode);

        // A refresh asked for by beta reads a failing check from GitHub (no webhook for it).
        var head = CampaignHost.PullRequestOf(job)["headSha"]!.GetValue<string>();
        _host.GitHub.HoldDeliveries = true;
        await _host.GitHub.CheckRunAsync("octo/app", head, "build", "completed", "failure");
        _host.GitHub.HoldDeliveries = false;
        Assert.Equal(HttpStatusCode.OK, (await beta.PostAsync($"/api/jobs/{jobId}/refresh", null)).StatusCode);

        // GitHub says the pull request was merged.
        await _host.GitHub.MergeAsync("octo/app", CampaignHost.PullRequestOf(job)["number"]!.GetValue<int>());

        // A schedule fires.
        var schedule = await (await _admin.PostAsJsonAsync("/api/schedules", new
        {
            name = "Nightly",
            prompt = "Apply the security fix.",
            repositories = new[] { "octo/app" },
            cron = "0 3 * * *",
            timeZone = "UTC",
        })).JsonAsync();
        _scheduleClock.SetUtcNow(schedule["nextFirings"]![0]!.GetValue<DateTimeOffset>().AddSeconds(30));
        var fired = await (await _admin.PostAsync("/events/schedules", null)).JsonAsync();
        var firedJob = fired["firings"]![0]!["firing"]!["jobId"]!.GetValue<string>();
        await alpha.WaitForEndAsync(firedJob);

        var byAlpha = await AuditAsync("?actor=alpha");
        var byBeta = await AuditAsync("?actor=beta&action=CancelJob");
        var aboutJob = await AuditAsync($"?target={jobId}");
        var firings = await AuditAsync("?action=schedule.fired");
        var webhook = await AuditAsync("?actor=webhook&action=pullRequest.changed");
        var refused = await AuditAsync("?actor=victor");
        var refreshed = await AuditAsync("?action=pullRequest.refreshed");
        var firedBy = await (await _admin.GetAsync($"/api/jobs/{firedJob}")).JsonAsync();

        var create = Assert.Single(byAlpha);
        Assert.Equal(("CreateJob", $"job {jobId}", "succeeded", 201), (S(create, "action"), S(create, "target"), S(create, "outcome"), create!["status"]!.GetValue<int>()));
        Assert.Equal(ClientAddress.Address, S(create, "address"));
        Assert.NotNull(create["actorKeyId"]);
        var cancel = Assert.Single(byBeta);
        Assert.Equal(($"job {jobId}", "succeeded"), (S(cancel, "target"), S(cancel, "outcome")));
        Assert.Equal(["RefreshPullRequests", "CancelJob", "CancelJob", "CreateJob"], aboutJob.Select(e => S(e, "action")));
        Assert.Equal(["beta", "victor", "beta", "alpha"], aboutJob.Select(e => S(e, "actor")));
        Assert.Equal(("refused", 403), (S(Assert.Single(refused), "outcome"), refused[0]!["status"]!.GetValue<int>()));
        var firing = Assert.Single(firings);
        Assert.Equal(("schedule Nightly", $"schedule {schedule["id"]}", "succeeded"), (S(firing, "actor"), S(firing, "target"), S(firing, "outcome")));
        Assert.Contains(firedJob, S(firing, "detail"), StringComparison.Ordinal);
        Assert.Equal("schedule Nightly", firedBy["author"]!.GetValue<string>());
        var merged = Assert.Single(webhook, e => S(e, "detail").Contains("open → merged", StringComparison.Ordinal));
        Assert.Equal("octo/app#1", S(merged, "target"));
        Assert.Null(merged!["address"]);
        var refresh = Assert.Single(refreshed);
        Assert.Equal(("beta", "octo/app#1"), (S(refresh, "actor"), S(refresh, "target")));
        Assert.Contains("checks failure", S(refresh, "detail"), StringComparison.Ordinal);

        // Authorship filters the lists.
        var alphaJobs = await (await _admin.GetAsync("/api/jobs?author=alpha")).JsonAsync();
        var scheduleJobs = await (await _admin.GetAsync("/api/jobs?author=schedule%20Nightly")).JsonAsync();
        Assert.Equal([jobId], alphaJobs["items"]!.AsArray().Select(j => j!["id"]!.GetValue<string>()));
        Assert.Equal([firedJob], scheduleJobs["items"]!.AsArray().Select(j => j!["id"]!.GetValue<string>()));
        Assert.Equal("configured key 1", (await (await _admin.GetAsync("/api/schedules?author=configured%20key%201")).JsonAsync())[0]!["author"]!.GetValue<string>());
        Assert.Empty((await (await _admin.GetAsync("/api/schedules?author=alpha")).JsonAsync()).AsArray());

        // Nothing secret anywhere in the log.
        var everything = await (await _admin.GetAsync("/api/audit?limit=200")).Content.ReadAsStringAsync();
        Assert.Contains("CreateApiKey", everything, StringComparison.Ordinal);
        foreach (var secret in new[] { alphaKey, betaKey, viewerKey, AccessClients.ConfiguredKey, CampaignHost.Secret, _host.GitHub.Token })
        {
            Assert.DoesNotContain(secret, everything, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task The_audit_log_is_for_admins_and_its_query_is_checked()
    {
        var (_, operatorKey) = await _admin.CreateKeyAsync("oscar", "operator");

        var forbidden = await _host.Factory.WithKey(operatorKey).GetAsync("/api/audit");
        var badLimit = await _admin.GetAsync("/api/audit?limit=0");
        var badCursor = await _admin.GetAsync("/api/audit?cursor=nonsense");

        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, badLimit.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, badCursor.StatusCode);
    }

    private async Task<JsonArray> AuditAsync(string query)
    {
        var response = await _admin.GetAsync("/api/audit" + query);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.JsonAsync())["items"]!.AsArray();
    }

    private static string S(JsonNode? entry, string field) => entry![field]!.GetValue<string>();

    private sealed class ClientAddress : IStartupFilter
    {
        public const string Address = "203.0.113.7";

        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use((context, nextMiddleware) =>
            {
                context.Connection.RemoteIpAddress = IPAddress.Parse(Address);
                return nextMiddleware(context);
            });
            next(app);
        };
    }
}
