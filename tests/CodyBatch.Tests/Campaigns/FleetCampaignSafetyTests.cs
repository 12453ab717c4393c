using CodyBatch.Core.Campaigns;
using CodyBatch.Storage.Sqlite.Campaigns;
using CodyBatch.Storage.Sqlite.Jobs;

namespace CodyBatch.Tests.Campaigns;

/// <summary>
/// A fleet campaign where things overlap or fail, stepped by the test against the fake GitHub's fleet (see
/// <see cref="FleetServer"/>): another author's open pull request on one of its repositories (noted, or held as a
/// patch that does not count as open and can be published later), a canary larger than the open pull request cap
/// (the preview says what will run, and that runs), and a step that dies between creating a job and writing its rows.
/// </summary>
public sealed class FleetCampaignSafetyTests : FleetServer
{
    private static readonly string[] Three = [FleetFixture.Name(0), FleetFixture.Name(4), FleetFixture.Name(8)];
    private static readonly string[] Eight = [.. new[] { 0, 1, 2, 4, 5, 6, 8, 9 }.Select(FleetFixture.Name)];

    private CampaignStoreProbe _store = null!;

    protected override void Configure() => Factory.ConfigureServices = services => services.AddSingleton<ICampaignStore>(sp =>
        new CampaignStoreProbe(new SqliteCampaignStore(sp.GetRequiredService<SqliteJobStore>())));

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        _store = (CampaignStoreProbe)Factory.Services.GetRequiredService<ICampaignStore>();
    }

    private static object Request(string[] repositories, int concurrency = 1, int canaryJobs = 0, int? maxOpen = null, string overlap = "note") => new
    {
        canaryJobs,
        title = "Bump the base image",
        job = new { prompt = "Bump the base image to the newest one.", checks = Array.Empty<string>(), publish = new { overlap } },
        selection = new { repositories },
        triage = "off",
        concurrency,
        maxOpenPullRequests = maxOpen,
    };

    /// <summary>Creates and approves the campaign, then steps it until it is done.</summary>
    private async Task<(string Id, JsonNode Done)> RunAsync(object request)
    {
        var id = (await CreateAsync(request))["campaign"]!["id"]!.GetValue<string>();
        await PostAsync($"/api/campaigns/{id}/approve");
        for (var steps = 0; Phase(await GetAsync(id)) != "done"; steps++)
        {
            Assert.True(steps < 10, (await GetAsync(id)).ToJsonString());
            await StepAsync(id);
        }

        return (id, await GetAsync(id));
    }

    private void TheirPullRequestOnServiceFour() =>
        GitHubApi.OpenPullRequestAs(FleetFixture.Name(4), "mallory", "feature/readme", new Dictionary<string, string?> { ["README.md"] = "# service 4, renamed\n" });

    private static JsonNode Row(JsonNode campaign, string repository) =>
        campaign["repositories"]!.AsArray().Single(r => r!["repository"]!.GetValue<string>() == repository)!;

    [Fact]
    public async Task An_overlapping_pull_request_is_noted_on_the_run_and_the_campaigns_pull_request_opens()
    {
        TheirPullRequestOnServiceFour();

        var (_, done) = await RunAsync(Request(Three, overlap: "note"));

        var row = Row(done, FleetFixture.Name(4));
        Assert.Equal("open", row["pullRequestState"]!.GetValue<string>());
        Assert.False(row["publishHeld"]!.GetValue<bool>());
        Assert.Contains("#1 by mallory (README.md)", row["notice"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Null(Row(done, FleetFixture.Name(0))["notice"]);
        Assert.Equal(3, done["counts"]!["openPullRequests"]!.GetValue<int>());
        Assert.Equal(0, done["counts"]!["heldPullRequests"]!.GetValue<int>());
        Assert.Equal(4, GitHubApi.PullRequests.Count);
    }

    [Fact]
    public async Task Hold_keeps_the_patch_counts_it_held_not_open_the_campaign_finishes_and_it_can_be_published_later()
    {
        TheirPullRequestOnServiceFour();

        // At most two open: were the held change counted as open, service-008 would wait for a merge and the campaign would not end.
        var (id, done) = await RunAsync(Request(Three, maxOpen: 2, overlap: "hold"));

        var row = Row(done, FleetFixture.Name(4));
        Assert.True(row["publishHeld"]!.GetValue<bool>());
        Assert.Null(row["pullRequestState"]);
        Assert.Null(row["pullRequestUrl"]);
        Assert.Equal("succeeded", row["runStatus"]!.GetValue<string>());
        Assert.Contains("publish.overlap is hold", row["notice"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal((2, 1), (done["counts"]!["openPullRequests"]!.GetValue<int>(), done["counts"]!["heldPullRequests"]!.GetValue<int>()));
        Assert.DoesNotContain(GitHubApi.PullRequests, p => p["repository"]!.GetValue<string>() == FleetFixture.Name(4) && p["user"]!["login"]!.GetValue<string>() != "mallory");

        // The change is kept as the run's patch.
        var jobId = row["jobId"]!.GetValue<string>();
        var held = (await (await Client.GetAsync($"/api/jobs/{jobId}")).JsonAsync())["repositories"]!.AsArray().Single(r => r!["repository"]!.GetValue<string>() == FleetFixture.Name(4))!;
        Assert.True(held["publishHeld"]!.GetValue<bool>());
        Assert.NotNull(held["patchUrl"]);

        // Published later: the pull request opens on the campaign's branch, and the campaign's next step shows it open.
        using (var published = await Client.PostAsync($"/api/jobs/{jobId}/repositories/{FleetFixture.Name(4)}/publish", null))
        {
            Assert.Equal(HttpStatusCode.OK, published.StatusCode);
        }

        var job = await Client.WaitForJobAsync(jobId, j => j["repositories"]!.AsArray().Single(r => r!["repository"]!.GetValue<string>() == FleetFixture.Name(4))!["pullRequestUrl"] is not null
            && j["status"]!.GetValue<string>() != "running");
        var ours = Assert.Single(GitHubApi.PullRequests, p => p["repository"]!.GetValue<string>() == FleetFixture.Name(4) && p["user"]!["login"]!.GetValue<string>() != "mallory");
        Assert.StartsWith($"codybatch/{id}-", ours["head"]!["ref"]!.GetValue<string>(), StringComparison.Ordinal);
        // The campaign is done, yet the sweep (as the server's loop and `codybatch sweep` run it) still follows it.
        var driver = Factory.Services.GetRequiredService<CampaignDriver>();
        Assert.True((await _store.GetAsync(id, CancellationToken.None))!.Following);
        await driver.SweepAsync(CancellationToken.None);
        var after = await GetAsync(id);
        Assert.Equal("done", Phase(after));
        Assert.Equal("open", Row(after, FleetFixture.Name(4))["pullRequestState"]!.GetValue<string>());
        Assert.False(Row(after, FleetFixture.Name(4))["publishHeld"]!.GetValue<bool>());
        Assert.Equal((3, 0), (after["counts"]!["openPullRequests"]!.GetValue<int>(), after["counts"]!["heldPullRequests"]!.GetValue<int>()));
        Assert.NotNull(job);

        // Merges after the end reach its rows and its cost per merged pull request; with nothing left open it is let go.
        foreach (var pr in GitHubApi.PullRequests.Where(p => p["state"]!.GetValue<string>() == "open" && p["user"]!["login"]!.GetValue<string>() != "mallory").ToList())
        {
            await GitHubApi.MergeAsync(pr["repository"]!.GetValue<string>(), pr["number"]!.GetValue<int>());
        }

        await driver.SweepAsync(CancellationToken.None);
        var merged = await GetAsync(id);
        Assert.Equal((0, 3), (merged["counts"]!["openPullRequests"]!.GetValue<int>(), merged["counts"]!["mergedPullRequests"]!.GetValue<int>()));
        Assert.NotNull(merged["money"]!["costPerMergedPullRequestUsd"]);
        Assert.False((await _store.GetAsync(id, CancellationToken.None))!.Following);
    }

    [Fact]
    public async Task A_canary_larger_than_the_open_pull_request_cap_is_previewed_clipped_and_runs_clipped()
    {
        var request = Request(Eight, concurrency: 2, canaryJobs: 1, maxOpen: 2);
        var preview = await (await Client.PostAsJsonAsync("/api/campaigns/preview", request)).JsonAsync();

        Assert.Equal(2, preview["canaryRepositories"]!.GetValue<int>());
        Assert.Contains("maxOpenPullRequests is 2", preview["canaryNote"]!.GetValue<string>(), StringComparison.Ordinal);

        var id = (await CreateAsync(request))["campaign"]!["id"]!.GetValue<string>();
        await PostAsync($"/api/campaigns/{id}/approve");
        var canary = Assert.Single(await StepAsync(id));
        await StepAsync(id);
        var waiting = await GetAsync(id);
        Assert.Equal("awaitingApproval", Phase(waiting));
        Assert.Equal(Eight[..2], waiting["repositories"]!.AsArray().Where(r => r!["canary"]!.GetValue<bool>()).Select(r => r!["repository"]!.GetValue<string>()));
        Assert.Equal(Eight[..2], (await JobRepositoriesAsync())[canary]);
    }

    [Fact]
    public async Task A_cancel_that_lands_while_a_step_starts_its_jobs_leaves_no_job_running_and_no_row_running()
    {
        var id = (await CreateAsync(Request(Eight, concurrency: 2)))["campaign"]!["id"]!.GetValue<string>();
        await PostAsync($"/api/campaigns/{id}/approve");
        var service = Factory.Services.GetRequiredService<CampaignService>();
        var cancelled = false;

        // The moment the step has recorded the jobs it is about to create, a user cancels the campaign.
        _store.Stored = campaign =>
        {
            if (!cancelled && campaign.Id == id && campaign.Starting.Count > 0)
            {
                cancelled = true;
                service.CancelAsync(id, CancellationToken.None).GetAwaiter().GetResult();
            }
        };
        await Factory.Services.GetRequiredService<CampaignDriver>().StepAsync(id, CancellationToken.None);
        _store.Stored = null;

        Assert.True(cancelled);
        var after = await GetAsync(id);
        Assert.Equal("cancelled", Phase(after));
        Assert.DoesNotContain(after["repositories"]!.AsArray(), r => r!["phase"]!.GetValue<string>() is "running" or "triaging");
        foreach (var job in await JobRepositoriesAsync())
        {
            var ended = await Client.WaitForEndAsync(job.Key);
            Assert.Equal("cancelled", ended["status"]!.GetValue<string>());
        }
    }

    [Fact]
    public async Task A_campaign_that_ended_before_campaigns_were_followed_is_stepped_once_by_the_sweep_and_followed_from_then()
    {
        var (id, _) = await RunAsync(Request(Three));

        // As stored before the flag existed: a done campaign with three open pull requests and no word on following.
        var stored = (await _store.GetAsync(id, CancellationToken.None))!;
        Assert.NotNull(await _store.TryUpdateAsync(stored with { Following = null }, CancellationToken.None));
        foreach (var pr in GitHubApi.PullRequests.Where(p => p["state"]!.GetValue<string>() == "open").ToList())
        {
            await GitHubApi.MergeAsync(pr["repository"]!.GetValue<string>(), pr["number"]!.GetValue<int>());
        }

        await Factory.Services.GetRequiredService<CampaignDriver>().SweepAsync(CancellationToken.None);

        var merged = await GetAsync(id);
        Assert.Equal((0, 3), (merged["counts"]!["openPullRequests"]!.GetValue<int>(), merged["counts"]!["mergedPullRequests"]!.GetValue<int>()));
        Assert.False((await _store.GetAsync(id, CancellationToken.None))!.Following);
    }

    /// <summary>Starts the campaign; its first step dies on the third row it writes. Returns the job that step created.</summary>
    private async Task<(string Id, CampaignDriver Driver, KeyValuePair<string, List<string>> FirstJob)> CrashedAsync()
    {
        var id = (await CreateAsync(Request(Eight, concurrency: 2)))["campaign"]!["id"]!.GetValue<string>();
        await PostAsync($"/api/campaigns/{id}/approve");
        var rowWrites = 0;
        _store.FailRowWrite = row => row.Phase == RepositoryPhase.Running && row.RunStatus == "queued" && ++rowWrites == 3;
        var driver = Factory.Services.GetRequiredService<CampaignDriver>();

        // The first job (service-000 … 006) exists, two of its rows were written, the third write failed.
        await Assert.ThrowsAsync<IOException>(() => driver.StepAsync(id, CancellationToken.None));
        _store.FailRowWrite = null;
        var crashed = await GetAsync(id);
        var firstJob = Assert.Single(await JobRepositoriesAsync());
        Assert.Equal(Eight[..5], firstJob.Value);
        Assert.Equal(2, crashed["repositories"]!.AsArray().Count(r => r!["jobId"]?.GetValue<string>() == firstJob.Key));
        Assert.Equal(2, (await _store.GetAsync(id, CancellationToken.None))!.Starting.Count);
        return (id, driver, firstJob);
    }

    [Fact]
    public async Task A_step_that_dies_after_creating_a_job_but_before_writing_its_rows_starts_no_repository_twice()
    {
        var (id, driver, firstJob) = await CrashedAsync();

        for (var steps = 0; Phase(await GetAsync(id)) != "done"; steps++)
        {
            Assert.True(steps < 10, (await GetAsync(id)).ToJsonString());
            await driver.StepAsync(id, CancellationToken.None);
            foreach (var job in JobIds(await GetAsync(id)))
            {
                await Client.WaitForEndAsync(job);
            }
        }

        var jobs = await JobRepositoriesAsync();
        var done = await GetAsync(id);
        Assert.Equal(Eight.Order(), jobs.Values.SelectMany(r => r).Order());
        Assert.Contains(firstJob.Key, jobs.Keys);
        Assert.Equal(2, jobs.Count);
        Assert.All(done["repositories"]!.AsArray(), r => Assert.Equal(jobs.Single(j => j.Value.Contains(r!["repository"]!.GetValue<string>())).Key, r!["jobId"]!.GetValue<string>()));
        Assert.Equal(Eight.Length, done["counts"]!["succeeded"]!.GetValue<int>());
    }

    [Fact]
    public async Task A_campaign_cancelled_after_such_a_step_starts_nothing_more_and_the_sweep_clears_the_record()
    {
        var (id, driver, firstJob) = await CrashedAsync();

        await PostAsync($"/api/campaigns/{id}/cancel");
        await driver.SweepAsync(CancellationToken.None);

        Assert.Equal([firstJob.Key], (await JobRepositoriesAsync()).Keys);
        await Client.WaitForEndAsync(firstJob.Key);
        Assert.Empty((await _store.GetAsync(id, CancellationToken.None))!.Starting);
        Assert.Equal("cancelled", Phase(await GetAsync(id)));
    }
}
