using CodyBatch.Core.Campaigns;

namespace CodyBatch.Tests.Campaigns;

/// <summary>
/// Fleet campaigns end to end through the API against the fake GitHub's 300 repositories, stepped by the test (see
/// <see cref="FleetServer"/>). Every run costs $0.10 and adds a line to README.md.
/// </summary>
public sealed class FleetCampaignTests : FleetServer
{
    // Go and docker: every twelfth repository, less fleet/service-228 (archived): 24 repositories.
    private static readonly string[] GoDocker = [.. Enumerable.Range(0, FleetFixture.Count)
        .Where(i => FleetFixture.Language(i) == "Go" && FleetFixture.Docker(i) && !FleetFixture.Archived(i) && !FleetFixture.Fork(i))
        .Select(FleetFixture.Name)];

    private static object Request(int concurrency = 2, decimal? budget = null, int? maxOpen = null, int canaryJobs = 1) => new
    {
        canaryJobs,
        title = "Bump the base image",
        job = new { prompt = "Bump the base image to the newest one.", checks = Array.Empty<string>(), budgetUsd = 5m, publish = new { labels = new[] { "fleet" } } },
        selection = new { organization = "fleet", topic = "docker", language = "Go" },
        triage = "off",
        concurrency,
        budgetUsd = budget,
        maxOpenPullRequests = maxOpen,
    };

    [Fact]
    public async Task Creating_resolves_the_selection_and_shows_it_before_anything_runs()
    {
        var created = await CreateAsync(Request());

        Assert.Equal(GoDocker, created["preview"]!["repositories"]!.AsArray().Select(r => r!.GetValue<string>()));
        Assert.Contains(created["preview"]!["excluded"]!.AsArray(), e => e!["repository"]!.GetValue<string>() == FleetFixture.Name(228));
        var campaign = created["campaign"]!;
        Assert.Equal("preview", campaign["phase"]!.GetValue<string>());
        Assert.Equal(GoDocker.Length, campaign["counts"]!["total"]!.GetValue<int>());
        Assert.All(campaign["repositories"]!.AsArray(), r => Assert.Equal("pending", r!["phase"]!.GetValue<string>()));
        Assert.Empty((await (await Client.GetAsync("/api/jobs")).JsonAsync())["items"]!.AsArray());
        Assert.Equal(campaign["id"]!.GetValue<string>(), (await (await Client.GetAsync("/api/campaigns")).JsonAsync()).AsArray().Single()!["id"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_bad_request_says_what_to_fix_per_field()
    {
        var response = await Client.PostAsJsonAsync("/api/campaigns", new
        {
            job = new { prompt = "", repositories = new[] { "fleet/service-000" } },
            selection = new { topic = "docker", patterns = new[] { "no-slash" } },
            triage = "sometimes",
            concurrency = 0,
            budgetUsd = -1,
        });
        var errors = (await response.JsonAsync())["errors"]!.AsObject();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Superset(new HashSet<string> { "job.prompt", "job.repositories", "selection.patterns[0]", "triage", "concurrency", "budgetUsd" }, errors.Select(e => e.Key).ToHashSet());
        Assert.Empty((await (await Client.GetAsync("/api/campaigns")).JsonAsync()).AsArray());
    }

    [Fact]
    public async Task The_canary_waits_for_approval_then_fan_out_runs_jobs_of_five_at_most_m_at_once_in_the_campaign()
    {
        var id = (await CreateAsync(Request(concurrency: 2)))["campaign"]!["id"]!.GetValue<string>();
        await PostAsync($"/api/campaigns/{id}/approve");

        var canary = Assert.Single(await StepAsync(id));
        var waiting = await GetAsync(id);
        Assert.Equal("canary", waiting["phase"]!.GetValue<string>());
        Assert.Empty(await StepAsync(id));
        waiting = await GetAsync(id);
        Assert.Equal("awaitingApproval", waiting["phase"]!.GetValue<string>());
        Assert.Equal(RunCost, waiting["money"]!["costPerRepositoryUsd"]!.GetValue<decimal>());
        Assert.Equal(RunCost * GoDocker.Length, waiting["money"]!["forecastUsd"]!.GetValue<decimal>());
        Assert.Contains("Waiting for approval", waiting["waiting"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Empty(await StepAsync(id));

        await PostAsync($"/api/campaigns/{id}/approve");
        var batches = new List<List<string>>();
        while ((await GetAsync(id))["phase"]!.GetValue<string>() != "done")
        {
            var started = await StepAsync(id);
            Assert.InRange(started.Count, 0, 2);
            batches.Add(started);
        }

        var done = await GetAsync(id);
        var jobs = new List<JsonNode>();
        foreach (var jobId in batches.SelectMany(b => b).Prepend(canary))
        {
            jobs.Add(await (await Client.GetAsync($"/api/jobs/{jobId}")).JsonAsync());
        }

        Assert.All(jobs, j => Assert.InRange(j["repositories"]!.AsArray().Count, 1, 5));
        Assert.All(jobs, j => Assert.Equal(id, j["campaign"]!["id"]!.GetValue<string>()));
        // The job settings pass through as given: the per-job budget and the publish choices.
        Assert.All(jobs, j => Assert.Equal(5m, j["budgetUsd"]!.GetValue<decimal>()));
        Assert.All(jobs, j => Assert.Equal("fleet", j["publish"]!["labels"]![0]!.GetValue<string>()));
        Assert.Equal(GoDocker, jobs.SelectMany(j => j["repositories"]!.AsArray().Select(r => r!["repository"]!.GetValue<string>())));
        Assert.Equal(GoDocker.Length, done["counts"]!["succeeded"]!.GetValue<int>());
        Assert.Equal(GoDocker.Length, done["counts"]!["openPullRequests"]!.GetValue<int>());
        Assert.Equal(RunCost * GoDocker.Length, done["money"]!["spentUsd"]!.GetValue<decimal>());
        // The campaign's branch per repository, as a re-run of any of its jobs would reuse.
        Assert.All(jobs.SelectMany(j => j["repositories"]!.AsArray()), r => Assert.StartsWith($"codybatch/{id}-", r!["pullRequestBranch"]!.GetValue<string>(), StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_budget_stops_it_where_the_arithmetic_says_with_what_is_left()
    {
        // Canary 5 × $0.10; then one job at a time starts while spent < $1.55: at $0.50, $1.00 and $1.50; $2.00 stops it.
        var id = (await CreateAsync(Request(concurrency: 1, budget: 1.55m)))["campaign"]!["id"]!.GetValue<string>();
        await PostAsync($"/api/campaigns/{id}/approve");
        await StepAsync(id);
        await StepAsync(id);
        await PostAsync($"/api/campaigns/{id}/approve");

        var fixJobs = 0;
        while ((await GetAsync(id))["phase"]!.GetValue<string>() == "fanOut")
        {
            fixJobs += (await StepAsync(id)).Count;
        }

        var stopped = await GetAsync(id);
        Assert.Equal("stoppedAtBudget", stopped["phase"]!.GetValue<string>());
        Assert.Equal(3, fixJobs);
        Assert.Equal(2.00m, stopped["money"]!["spentUsd"]!.GetValue<decimal>());
        Assert.Equal(GoDocker.Length - 20, stopped["counts"]!["left"]!.GetValue<int>());
        Assert.Contains($"{GoDocker.Length - 20} repositories left", stopped["waiting"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Empty(await StepAsync(id));
    }

    [Fact]
    public async Task Pause_holds_it_resume_continues_cancel_skips_what_did_not_start()
    {
        var id = (await CreateAsync(Request(concurrency: 1)))["campaign"]!["id"]!.GetValue<string>();
        await PostAsync($"/api/campaigns/{id}/approve");
        await PostAsync($"/api/campaigns/{id}/pause");
        await PostAsync($"/api/campaigns/{id}/pause", HttpStatusCode.Conflict);

        Assert.Empty(await StepAsync(id));
        Assert.True((await GetAsync(id))["paused"]!.GetValue<bool>());

        await PostAsync($"/api/campaigns/{id}/resume");
        Assert.Single(await StepAsync(id));

        var cancelled = await PostAsync($"/api/campaigns/{id}/cancel");
        Assert.Equal("cancelled", cancelled["phase"]!.GetValue<string>());
        Assert.Equal(GoDocker.Length - 5, cancelled["counts"]!["skipped"]!.GetValue<int>());
        Assert.Empty(await StepAsync(id));
        await PostAsync($"/api/campaigns/{id}/approve", HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task At_most_p_pull_requests_are_open_at_any_time_and_it_resumes_as_they_merge()
    {
        var id = (await CreateAsync(Request(concurrency: 3, maxOpen: 3, canaryJobs: 0)))["campaign"]!["id"]!.GetValue<string>();
        await PostAsync($"/api/campaigns/{id}/approve");

        var mostOpen = 0;
        var steps = 0;
        while ((await GetAsync(id))["phase"]!.GetValue<string>() != "done")
        {
            Assert.True(++steps < 60, "The campaign did not finish.");
            var started = await StepAsync(id);
            var open = GitHubApi.PullRequests.Where(p => p["state"]!.GetValue<string>() == "open").ToList();
            mostOpen = Math.Max(mostOpen, open.Count);
            if (started.Count == 0 && (await GetAsync(id))["phase"]!.GetValue<string>() != "done")
            {
                // Held by the cap: it says so, and a merge (its webhook) makes room.
                Assert.Contains("Pacing", (await GetAsync(id))["waiting"]!.GetValue<string>(), StringComparison.Ordinal);
                await GitHubApi.MergeAsync(open[0]["repository"]!.GetValue<string>(), open[0]["number"]!.GetValue<int>());
            }
        }

        var done = await GetAsync(id);
        Assert.Equal(3, mostOpen);
        Assert.Equal(GoDocker.Length, GitHubApi.PullRequests.Count);
        Assert.Equal(GoDocker.Length, done["counts"]!["openPullRequests"]!.GetValue<int>() + done["counts"]!["mergedPullRequests"]!.GetValue<int>());
        Assert.True(done["counts"]!["mergedPullRequests"]!.GetValue<int>() >= GoDocker.Length - 3);
        Assert.NotNull(done["money"]!["costPerMergedPullRequestUsd"]);
        Assert.NotEmpty(done["burndown"]!.AsArray());
    }
}
