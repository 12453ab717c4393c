using CodyBatch.Core.Campaigns;

namespace CodyBatch.Tests.Campaigns;

/// <summary>
/// A campaign's job settings include the shell and the network, here from its saved prompt: every job it starts (the
/// canary and each later one) has them, and no run of theirs is given a shell. The campaign loop is off; the test steps it.
/// </summary>
public sealed class CampaignEnvironmentTests : ServerOnFakeGitHub
{
    private const string WebhookSecret = "webhook-secret-for-tests";

    // Seven repositories that are neither archived (i % 25 == 3) nor forks (i % 20 == 11): a canary of five, then two.
    private static readonly string[] Chosen = [.. new[] { 0, 1, 2, 4, 5, 6, 8 }.Select(FleetFixture.Name)];

    private readonly List<bool> _shellGiven = [];
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
            lock (_shellGiven)
            {
                _shellGiven.Add(request.Shell is not null);
            }

            await File.AppendAllTextAsync(Path.Combine(request.WorkspacePath, "README.md"), "Offline fix.\n", ct);
            return AgentOutcome.Succeeded(new AgentResult(true, "Fixed offline.", "Offline fix", "Fixes it."), TokenUsage.Zero);
        });
        _client = Factory.CreateClient();
        GitHubApi.UseWebhook(Factory.CreateClient(), "/api/webhooks/github", WebhookSecret);
    }

    private async Task<List<string>> StepAsync(string id)
    {
        var before = await JobIdsAsync(id);
        await Factory.Services.GetRequiredService<CampaignDriver>().StepAsync(id, CancellationToken.None);
        var started = (await JobIdsAsync(id)).Except(before).ToList();
        foreach (var job in started)
        {
            await _client.WaitForEndAsync(job);
        }

        return started;
    }

    private async Task<HashSet<string>> JobIdsAsync(string id) =>
        [.. (await (await _client.GetAsync($"/api/campaigns/{id}")).JsonAsync())["repositories"]!.AsArray().Select(r => r!["jobId"]?.GetValue<string>()).OfType<string>()];

    [Fact]
    public async Task Every_job_of_a_campaign_on_a_saved_prompt_with_no_shell_and_no_network_has_neither()
    {
        var saved = await (await _client.PostAsJsonAsync("/api/prompts", new { name = "Offline", prompt = "Fix it offline.", shell = false, network = "none" })).JsonAsync();
        var created = await _client.PostAsJsonAsync("/api/campaigns", new
        {
            title = "Offline fix",
            savedPromptId = saved["id"]!.GetValue<string>(),
            job = new { checks = Array.Empty<string>() },
            selection = new { repositories = Chosen },
            triage = "off",
            canaryJobs = 1,
            concurrency = 2,
        });
        var body = await created.JsonAsync();
        Assert.True(created.StatusCode == HttpStatusCode.Created, body.ToJsonString());
        var id = body["campaign"]!["id"]!.GetValue<string>();

        await _client.PostAsync($"/api/campaigns/{id}/approve", null);
        var jobs = new List<string>();
        for (var step = 0; step < 10 && (await (await _client.GetAsync($"/api/campaigns/{id}")).JsonAsync())["phase"]!.GetValue<string>() != "done"; step++)
        {
            jobs.AddRange(await StepAsync(id));
            await _client.PostAsync($"/api/campaigns/{id}/approve", null);
        }

        Assert.Equal("done", (await (await _client.GetAsync($"/api/campaigns/{id}")).JsonAsync())["phase"]!.GetValue<string>());
        Assert.Equal(2, jobs.Count);
        foreach (var jobId in jobs)
        {
            var job = await (await _client.GetAsync($"/api/jobs/{jobId}")).JsonAsync();
            Assert.Equal((false, "none"), (job["shell"]!.GetValue<bool>(), job["network"]!.GetValue<string>()));
        }

        Assert.Equal(Chosen.Length, _shellGiven.Count);
        Assert.DoesNotContain(true, _shellGiven);
    }
}
