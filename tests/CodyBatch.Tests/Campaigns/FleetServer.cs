using CodyBatch.Core.Campaigns;

namespace CodyBatch.Tests.Campaigns;

/// <summary>
/// The server on the fake GitHub's 300 fleet repositories, for fleet campaign tests: the API client and the steps a
/// test takes on a campaign. Unless a test class turns it back on, the server's campaign loop is off and a test steps
/// the campaign itself (the step the loop and <c>codybatch sweep</c> take), awaiting the jobs' ends through their
/// event streams. The agent is <see cref="Agent"/>: every run adds a line to README.md and costs <see cref="RunCost"/>.
/// </summary>
public abstract class FleetServer : ServerOnFakeGitHub
{
    protected const decimal RunCost = 0.10m;
    protected const string WebhookSecret = "webhook-secret-for-tests";

    protected HttpClient Client { get; private set; } = null!;

    /// <summary>Whether the server's campaign loop runs (off: the test steps).</summary>
    protected virtual bool Loop => false;

    protected static ScriptedCodeAgent Agent => new(async (request, ct) =>
    {
        await File.AppendAllTextAsync(Path.Combine(request.WorkspacePath, "README.md"), "Base image bumped.\n", ct);
        return AgentOutcome.Succeeded(new AgentResult(true, "Bumped the base image.", "Bump the base image", "Bumps it."), new TokenUsage(1000, 100, CostUsd: RunCost));
    });

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        FleetFixture.AddTo(GitHubApi);
        Factory.Settings["CodyBatch:Campaigns:Loop"] = Loop ? "true" : "false";
        Factory.Settings["CodyBatch:GitHub:WebhookSecret"] = WebhookSecret;
        Factory.Settings["CodyBatch:PullRequests:RefreshInterval"] = "00:00:00";
        Factory.Agent = Agent;
        Configure();
        Client = Factory.CreateClient();
        GitHubApi.UseWebhook(Factory.CreateClient(), "/api/webhooks/github", WebhookSecret);
    }

    /// <summary>Further settings before the server starts.</summary>
    protected virtual void Configure()
    {
    }

    protected async Task<JsonNode> CreateAsync(object request)
    {
        var response = await Client.PostAsJsonAsync("/api/campaigns", request);
        var body = await response.JsonAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, body.ToJsonString());
        return body;
    }

    protected async Task<JsonNode> GetAsync(string id) => await (await Client.GetAsync($"/api/campaigns/{id}")).JsonAsync();

    protected async Task<JsonNode> PostAsync(string path, HttpStatusCode expected = HttpStatusCode.OK)
    {
        var response = await Client.PostAsync(path, null);
        var body = await response.JsonAsync();
        Assert.True(response.StatusCode == expected, $"{path}: {(int)response.StatusCode} {body.ToJsonString()}");
        return body;
    }

    /// <summary>One step; returns the jobs it started (ids), after waiting for each to end.</summary>
    protected async Task<List<string>> StepAsync(string id)
    {
        var before = JobIds(await GetAsync(id));
        var decision = await Factory.Services.GetRequiredService<CampaignDriver>().StepAsync(id, CancellationToken.None);
        Assert.NotNull(decision);
        var started = JobIds(await GetAsync(id)).Except(before).ToList();
        Assert.Equal(decision.Jobs.Count, started.Count);
        foreach (var job in started)
        {
            await Client.WaitForEndAsync(job);
        }

        return started;
    }

    protected static HashSet<string> JobIds(JsonNode campaign) =>
        [.. campaign["repositories"]!.AsArray().Select(r => r!["jobId"]?.GetValue<string>()).OfType<string>()];

    /// <summary>The repositories of every job of the server, by job id.</summary>
    protected async Task<Dictionary<string, List<string>>> JobRepositoriesAsync()
    {
        var jobs = (await (await Client.GetAsync("/api/jobs?limit=100")).JsonAsync())["items"]!.AsArray();
        var repositories = new Dictionary<string, List<string>>();
        foreach (var job in jobs)
        {
            var id = job!["id"]!.GetValue<string>();
            var full = await (await Client.GetAsync($"/api/jobs/{id}")).JsonAsync();
            repositories[id] = [.. full["repositories"]!.AsArray().Select(r => r!["repository"]!.GetValue<string>())];
        }

        return repositories;
    }

    protected static string Phase(JsonNode campaign) => campaign["phase"]!.GetValue<string>();
}
