namespace CodyBatch.Tests.Access;

/// <summary>Spend per key, campaign and day adds up to the runs' costs; a reached cap refuses a job with a sentence naming it.</summary>
public sealed class SpendTests : IDisposable
{
    private static readonly Dictionary<string, decimal> Costs = new() { ["acme/api"] = 0.0123m, ["acme/web"] = 0.5m, ["acme/docs"] = 0.07m };

    private readonly ApiFactory _factory = new();
    private readonly HttpClient _admin;

    public SpendTests()
    {
        _factory.Settings["CodyBatch:ApiKeys:0"] = AccessClients.ConfiguredKey;
        _factory.Agent = new ScriptedCodeAgent(async (request, ct) =>
        {
            // Each repository costs its own amount, so a wrong grouping cannot add up by accident.
            var usage = new TokenUsage(InputTokens: 100, OutputTokens: 10, CostUsd: Costs[request.Repository]);
            request.Usage.Report(usage);
            await File.AppendAllTextAsync(Path.Combine(request.WorkspacePath, "README.md"), "changed\n", ct);
            return AgentOutcome.Succeeded(new AgentResult(true, "Changed.", "Change", "Body"), usage);
        });
        _admin = _factory.WithKey(AccessClients.ConfiguredKey);
    }

    public void Dispose() => _factory.Dispose();

    [Fact]
    public async Task Spend_per_key_campaign_and_day_adds_up_to_the_runs_costs()
    {
        var alpha = _factory.WithKey((await _admin.CreateKeyAsync("alpha", "operator")).Secret);
        var beta = _factory.WithKey((await _admin.CreateKeyAsync("beta", "operator")).Secret);
        var jobs = new List<JsonNode>
        {
            await RunAsync(alpha, "acme/api", "acme/web"),
            await RunAsync(alpha, "acme/docs"),
            await RunAsync(beta, "acme/web", "acme/docs"),
            await RunAsync(_admin, "acme/api"),
        };
        var rerun = await _admin.PostAsync($"/api/jobs/{jobs[1]["id"]}/rerun", null);
        jobs.Add(await _admin.WaitForEndAsync((await rerun.JsonAsync())["id"]!.GetValue<string>()));

        var spend = await (await alpha.GetAsync("/api/spend")).JsonAsync();

        // What the runs themselves say they cost, grouped by hand.
        var runs = jobs.SelectMany(j => j["repositories"]!.AsArray().Select(r => (
            Author: j["author"]!.GetValue<string>(),
            Campaign: j["campaign"]!["id"]!.GetValue<string>(),
            Day: j["createdAt"]!.GetValue<DateTimeOffset>().UtcDateTime.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
            Cost: r!["usage"]!["costUsd"]!.GetValue<decimal>()))).ToList();
        Assert.Equal(7, runs.Count);
        Assert.Equal(runs.Sum(r => r.Cost), spend["totalUsd"]!.GetValue<decimal>());
        Assert.Equal(1.2346m, spend["totalUsd"]!.GetValue<decimal>());
        Assert.Equal(
            runs.GroupBy(r => (r.Author, r.Day)).ToDictionary(g => $"{g.Key.Author} {g.Key.Day}", g => g.Sum(r => r.Cost)),
            spend["byAuthorAndDay"]!.AsArray().ToDictionary(l => $"{l!["author"]} {l["day"]}", l => l!["costUsd"]!.GetValue<decimal>()));
        Assert.Equal(
            runs.GroupBy(r => r.Author).ToDictionary(g => g.Key, g => g.Sum(r => r.Cost)),
            spend["byAuthor"]!.AsArray().ToDictionary(l => l!["name"]!.GetValue<string>(), l => l!["costUsd"]!.GetValue<decimal>()));
        Assert.Equal(
            runs.GroupBy(r => r.Campaign).ToDictionary(g => g.Key, g => g.Sum(r => r.Cost)),
            spend["byCampaign"]!.AsArray().ToDictionary(l => l!["name"]!.GetValue<string>(), l => l!["costUsd"]!.GetValue<decimal>()));
        Assert.Equal(0.0123m + 0.5m + 0.07m, spend["byAuthor"]!.AsArray().Single(l => l!["name"]!.GetValue<string>() == "alpha")!["costUsd"]!.GetValue<decimal>());
    }

    [Fact]
    public async Task A_reached_server_cap_refuses_the_next_job_with_a_sentence_naming_it()
    {
        using var capped = new ApiFactory { Agent = _factory.Agent };
        capped.Settings["CodyBatch:Spend:MonthlyCapUsd"] = "0.5";
        var client = capped.CreateClient();
        await RunAsync(client, "acme/api");

        var under = await RunAsync(client, "acme/web");
        var refused = await client.CreateJobAsync("acme/docs");
        var spend = await (await client.GetAsync("/api/spend")).JsonAsync();

        Assert.Equal("completed", under["status"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.PaymentRequired, refused.StatusCode);
        var detail = (await refused.JsonAsync())["detail"]!.GetValue<string>();
        Assert.StartsWith("The server's monthly spend cap of $0.50 (CodyBatch:Spend:MonthlyCapUsd) is reached: jobs created in ", detail, StringComparison.Ordinal);
        Assert.Contains(" cost $0.51.", detail, StringComparison.Ordinal);
        Assert.Equal(2, (await (await client.GetAsync("/api/jobs")).JsonAsync())["items"]!.AsArray().Count);
        Assert.Equal(0.5m, spend["serverMonthlyCapUsd"]!.GetValue<decimal>());
    }

    [Fact]
    public async Task A_keys_own_cap_refuses_its_jobs_and_no_one_elses()
    {
        var frugal = _factory.WithKey((await _admin.CreateKeyAsync("frugal", "operator", monthlyCapUsd: 0.01m)).Secret);
        await RunAsync(frugal, "acme/api");

        var refused = await frugal.CreateJobAsync("acme/api");
        var rerun = await frugal.PostAsync($"/api/jobs/{(await (await frugal.GetAsync("/api/jobs")).JsonAsync())["items"]![0]!["id"]}/rerun", null);
        var others = await _admin.CreateJobAsync("acme/api");

        Assert.Equal(HttpStatusCode.PaymentRequired, refused.StatusCode);
        Assert.StartsWith("The API key frugal's monthly spend cap of $0.01 is reached: its jobs created in ", (await refused.JsonAsync())["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.PaymentRequired, rerun.StatusCode);
        Assert.Equal(HttpStatusCode.Created, others.StatusCode);
    }

    private static async Task<JsonNode> RunAsync(HttpClient client, params string[] repositories)
    {
        var created = await client.PostAsJsonAsync("/api/jobs", new { prompt = "Change it", repositories, mode = "patch" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        return await client.WaitForEndAsync((await created.JsonAsync())["id"]!.GetValue<string>());
    }
}
