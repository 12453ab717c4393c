using CodyBatch.Campaigns;
using CodyBatch.Core.Campaigns;
using CodyBatch.Core.Jobs;
using CodyBatch.Storage.Sqlite.Jobs;

namespace CodyBatch.Tests.Campaigns;

/// <summary>
/// What reading a campaign costs: a step of the driver reads only the jobs that changed since it last read them (and
/// still sees a merge), and the campaign page answers 304 to its own entity tag until the campaign or any of its rows
/// is written, by this process or another.
/// </summary>
public sealed class CampaignReadsTests : ServerOnFakeGitHub
{
    private const string WebhookSecret = "webhook-secret-for-tests";

    private CountingJobStore _jobs = null!;
    private readonly FakeTimeProvider _pageClock = new(DateTimeOffset.UtcNow);
    private HttpClient _client = null!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        FleetFixture.AddTo(GitHubApi);
        Factory.Settings["CodyBatch:Campaigns:Loop"] = "false";
        Factory.Settings["CodyBatch:GitHub:WebhookSecret"] = WebhookSecret;
        Factory.Settings["CodyBatch:PullRequests:RefreshInterval"] = "00:00:00";
        Factory.Agent = new ScriptedCodeAgent(async (request, ct) =>
        {
            await File.AppendAllTextAsync(Path.Combine(request.WorkspacePath, "README.md"), "Base image bumped.\n", ct);
            return AgentOutcome.Succeeded(new AgentResult(true, "Bumped the base image.", "Bump the base image", "Bumps it."), new TokenUsage(1000, 100, CostUsd: 0.10m));
        });
        Factory.ConfigureServices = services =>
        {
            services.AddSingleton<IJobStore>(sp => _jobs = new CountingJobStore(sp.GetRequiredService<SqliteJobStore>()));

            // Only the page cache's clock is fake (it bounds how long a step keeps the page).
            services.AddSingleton(sp => ActivatorUtilities.CreateInstance<CampaignPages>(sp, (TimeProvider)_pageClock));
        };
        _client = Factory.CreateClient();
        GitHubApi.UseWebhook(Factory.CreateClient(), "/api/webhooks/github", WebhookSecret);
    }

    private async Task<string> CreateAsync(int maxOpen)
    {
        var response = await _client.PostAsJsonAsync("/api/campaigns", new
        {
            canaryJobs = 0,
            job = new { prompt = "Bump the base image to the newest one.", checks = Array.Empty<string>() },
            selection = new { organization = "fleet", topic = "docker", language = "Go" },
            triage = "off",
            concurrency = 1,
            maxOpenPullRequests = maxOpen,
        });
        var body = await response.JsonAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, body.ToJsonString());
        return body["campaign"]!["id"]!.GetValue<string>();
    }

    /// <summary>One step of the driver; the jobs it read while stepping, by id.</summary>
    private async Task<IReadOnlyList<string>> StepAsync(string id)
    {
        _jobs.Clear();
        Assert.NotNull(await Factory.Services.GetRequiredService<CampaignDriver>().StepAsync(id, CancellationToken.None));
        return _jobs.Reads;
    }

    private async Task<JsonNode> GetAsync(string id) => await (await _client.GetAsync($"/api/campaigns/{id}")).JsonAsync();

    private async Task<string> StartedJobAsync(string id) =>
        (await GetAsync(id))["repositories"]!.AsArray().Select(r => r!["jobId"]?.GetValue<string>()).OfType<string>().Last();

    [Fact]
    public async Task A_step_reads_only_the_jobs_that_changed_and_still_sees_a_merge()
    {
        var id = await CreateAsync(maxOpen: 5);
        await _client.PostAsync($"/api/campaigns/{id}/approve", null);
        await StepAsync(id);
        var first = await StartedJobAsync(id);
        await _client.WaitForEndAsync(first);

        // The job ended since the step that started it: read once, its five pull requests fill the cap.
        Assert.Equal([first], await StepAsync(id));
        Assert.Contains("Pacing", (await GetAsync(id))["waiting"]!.GetValue<string>(), StringComparison.Ordinal);
        // Nothing changed: no job is read, though its rows follow five open pull requests.
        Assert.Empty(await StepAsync(id));
        Assert.Empty(await StepAsync(id));

        var open = GitHubApi.PullRequests.First(p => p["state"]!.GetValue<string>() == "open");
        await GitHubApi.MergeAsync(open["repository"]!.GetValue<string>(), open["number"]!.GetValue<int>());
        var afterMerge = await StepAsync(id);

        var campaign = await GetAsync(id);
        Assert.Equal(1, campaign["counts"]!["mergedPullRequests"]!.GetValue<int>());
        // The merge made room for one: the next job takes one repository (the worker may read it at once).
        var second = await StartedJobAsync(id);
        Assert.NotEqual(first, second);
        Assert.Equal(first, afterMerge[0]);
        Assert.All(afterMerge.Skip(1), read => Assert.Equal(second, read));
        Assert.Single((await (await _client.GetAsync($"/api/jobs/{second}")).JsonAsync())["repositories"]!.AsArray());
    }

    [Fact]
    public async Task The_page_answers_not_modified_to_its_tag_until_the_campaign_or_a_row_is_written()
    {
        var id = await CreateAsync(maxOpen: 5);
        var first = await _client.GetAsync($"/api/campaigns/{id}");
        var tag = first.Headers.ETag;
        Assert.NotNull(tag);
        Assert.Equal("no-cache", first.Headers.CacheControl?.ToString());

        var unchanged = await GetIfNoneMatchAsync(id, tag);
        Assert.Equal(HttpStatusCode.NotModified, unchanged.StatusCode);
        Assert.Empty(await unchanged.Content.ReadAsByteArrayAsync());
        Assert.Equal(tag, unchanged.Headers.ETag);

        // A write to one row alone, as another process would make it, straight to the store.
        var store = Factory.Services.GetRequiredService<ICampaignStore>();
        var row = (await store.ListRepositoriesAsync(id, CancellationToken.None))[3];
        Assert.NotNull(await store.TryUpdateRepositoryAsync(row with { Phase = RepositoryPhase.Skipped }, CancellationToken.None));
        var rowWritten = await GetIfNoneMatchAsync(id, tag);
        Assert.Equal(HttpStatusCode.OK, rowWritten.StatusCode);
        Assert.Equal("skipped", (await rowWritten.JsonAsync())["repositories"]![3]!["phase"]!.GetValue<string>());
        Assert.NotEqual(tag, rowWritten.Headers.ETag);

        // A write to the campaign record.
        tag = rowWritten.Headers.ETag;
        await _client.PostAsync($"/api/campaigns/{id}/pause", null);
        var paused = await GetIfNoneMatchAsync(id, tag!);
        Assert.Equal(HttpStatusCode.OK, paused.StatusCode);
        Assert.True((await paused.JsonAsync())["paused"]!.GetValue<bool>());
        Assert.Equal(HttpStatusCode.NotFound, (await _client.GetAsync($"/api/campaigns/{JobId.New(DateTimeOffset.UtcNow)}")).StatusCode);
    }

    [Fact]
    public async Task While_a_step_runs_here_the_page_answers_as_before_it_and_its_end_or_a_users_action_shows_the_writes()
    {
        var id = await CreateAsync(maxOpen: 5);

        // A row written while a step runs in this process: the page kept from before the step answers, with its tag.
        var (pages, tag) = await SkipRowWhileSteppingAsync(id, 2);
        Assert.Equal(HttpStatusCode.NotModified, (await GetIfNoneMatchAsync(id, tag)).StatusCode);

        // The step's end builds the page again from the store.
        await pages.SteppedAsync(id, CancellationToken.None);
        var stepped = await GetIfNoneMatchAsync(id, tag);
        Assert.Equal(HttpStatusCode.OK, stepped.StatusCode);
        Assert.Equal("skipped", (await stepped.JsonAsync())["repositories"]![2]!["phase"]!.GetValue<string>());
        tag = stepped.Headers.ETag!;

        // A user's action while a step runs shows at once.
        pages.Stepping(id);
        Assert.Equal(HttpStatusCode.OK, (await _client.PostAsync($"/api/campaigns/{id}/pause", null)).StatusCode);
        var paused = await GetIfNoneMatchAsync(id, tag);
        Assert.Equal(HttpStatusCode.OK, paused.StatusCode);
        Assert.True((await paused.JsonAsync())["paused"]!.GetValue<bool>());
        await pages.SteppedAsync(id, CancellationToken.None);
    }

    [Fact]
    public async Task A_step_that_outlasts_the_lag_bound_no_longer_keeps_the_page()
    {
        var id = await CreateAsync(maxOpen: 5);
        var (pages, tag) = await SkipRowWhileSteppingAsync(id, 1);
        _pageClock.Advance(CampaignPages.MaxStepLag);

        var read = await GetIfNoneMatchAsync(id, tag);
        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        Assert.Equal("skipped", (await read.JsonAsync())["repositories"]![1]!["phase"]!.GetValue<string>());
        await pages.SteppedAsync(id, CancellationToken.None);
    }

    // Reads the page (its tag), then a step of this process begins and writes row `index` as skipped.
    private async Task<(CampaignPages Pages, EntityTagHeaderValue Tag)> SkipRowWhileSteppingAsync(string id, int index)
    {
        var tag = (await _client.GetAsync($"/api/campaigns/{id}")).Headers.ETag!;
        var pages = Factory.Services.GetRequiredService<CampaignPages>();
        var store = Factory.Services.GetRequiredService<ICampaignStore>();
        pages.Stepping(id);
        var row = (await store.ListRepositoriesAsync(id, CancellationToken.None))[index];
        Assert.NotNull(await store.TryUpdateRepositoryAsync(row with { Phase = RepositoryPhase.Skipped }, CancellationToken.None));
        return (pages, tag);
    }

    private Task<HttpResponseMessage> GetIfNoneMatchAsync(string id, EntityTagHeaderValue tag)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, $"/api/campaigns/{id}");
        request.Headers.IfNoneMatch.Add(tag);
        return _client.SendAsync(request);
    }
}
