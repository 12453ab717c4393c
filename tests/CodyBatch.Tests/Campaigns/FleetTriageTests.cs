using System.Text.RegularExpressions;
using CodyBatch.Core.Campaigns;
using static CodyBatch.Testing.Anthropic.FakeReply;

namespace CodyBatch.Tests.Campaigns;

/// <summary>
/// A campaign with triage, end to end: the real Claude agent against the fake Messages API (a scripted Claude that
/// reads each repository's overview and answers by its README) and the real GitHub host against the fake GitHub's 300
/// repositories. The campaign loop is off; the test steps the campaign and awaits each job's end.
/// </summary>
public sealed partial class FleetTriageTests : ServerOnFakeGitHub
{
    private static readonly string[] ReadOnlyTools = ["repository_overview", "search_code", "find_files", "read_file", "submit_result"];

    // The topic payments: every tenth repository, 30 in all (more than 25: triage turns on by itself).
    private static readonly int[] Payments = [.. Enumerable.Range(0, FleetFixture.Count).Where(FleetFixture.Payments)];

    private FakeMessagesApi _claude = null!;
    private ClaudeClientFactory _clients = null!;
    private HttpClient _client = null!;

    // Triage says a change is necessary in every twentieth repository (15 of the 30).
    private static bool Necessary(int index) => index % 20 == 0;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        FleetFixture.AddTo(GitHubApi);
        _claude = await FakeMessagesApi.StartAsync();
        _claude.Fallback = Answer;
        _clients = RealClaude.Clients(_claude);
        Factory.Agent = RealClaude.Agent(_clients);
        Factory.Settings["CodyBatch:Campaigns:Loop"] = "false";
        _client = Factory.CreateClient();
    }

    public override async Task DisposeAsync()
    {
        await _claude.DisposeAsync();
        _clients.Dispose();
        await base.DisposeAsync();
    }

    // Triage: the overview, then the answer by the README's "# service N". Fix: create a file, then submit.
    private static FakeReply Answer(FakeRequest request)
    {
        var messages = request.Body["messages"]!.AsArray();
        var tools = request.Body["tools"]!.AsArray().Select(t => t!["name"]!.GetValue<string>()).ToList();
        if (!tools.Contains("str_replace_based_edit_tool"))
        {
            if (messages.Count == 1)
            {
                return Message(ToolUse("repository_overview", []));
            }

            var index = int.Parse(ServiceRegex().Match(messages.ToJsonString()).Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
            return Message(ToolUse("submit_result", new JsonObject
            {
                ["wereChangesNecessary"] = Necessary(index),
                ["reason"] = Necessary(index) ? $"service {index} pins the old base image." : $"service {index} has no image.",
                ["confidence"] = 0.8,
            }));
        }

        return FleetClaude.Fix(request);
    }

    [GeneratedRegex(@"# service (\d+)")]
    private static partial Regex ServiceRegex();

    private async Task<JsonNode> GetAsync(string id) => await (await _client.GetAsync($"/api/campaigns/{id}")).JsonAsync();

    private async Task<int> StepAsync(string id)
    {
        var decision = await Factory.Services.GetRequiredService<CampaignDriver>().StepAsync(id, CancellationToken.None);
        var campaign = await GetAsync(id);
        var jobs = campaign["repositories"]!.AsArray()
            .SelectMany(r => new[] { r!["triageJobId"]?.GetValue<string>(), r["jobId"]?.GetValue<string>() }).OfType<string>().Distinct();
        foreach (var job in jobs)
        {
            await _client.WaitForEndAsync(job);
        }

        return decision!.Jobs.Count;
    }

    [Fact]
    public async Task Triage_reads_only_marks_the_expected_repositories_and_the_fix_runs_only_there()
    {
        var created = await _client.PostAsJsonAsync("/api/campaigns", new
        {
            job = new { prompt = "Bump the base image.", checks = Array.Empty<string>() },
            selection = new { organization = "fleet", topic = "payments" },
            concurrency = 3,
        });
        var body = await created.JsonAsync();
        Assert.True(created.StatusCode == HttpStatusCode.Created, body.ToJsonString());
        Assert.True(body["preview"]!["triage"]!.GetValue<bool>());
        var id = body["campaign"]!["id"]!.GetValue<string>();

        Assert.Equal(HttpStatusCode.OK, (await _client.PostAsync($"/api/campaigns/{id}/approve", null)).StatusCode);
        Assert.Equal(3, await StepAsync(id));
        Assert.Equal(3, await StepAsync(id));
        var writesDuringTriage = GitHubApi.Requests.Count(r => r.Method is not "GET" and not "HEAD");

        // Triage ended: the canary starts on the first five that need the change.
        Assert.Equal(1, await StepAsync(id));
        var triaged = await GetAsync(id);
        Assert.Empty(_claude.Problems);
        Assert.Equal(0, writesDuringTriage);
        var rows = triaged["repositories"]!.AsArray();
        Assert.Equal(Payments.Select(i => Necessary(i)), rows.Select(r => r!["triage"]!["necessary"]!.GetValue<bool>()));
        Assert.All(rows, r => Assert.True(r!["triageCostUsd"]!.GetValue<decimal>() > 0));
        Assert.Equal(Payments.Where(i => !Necessary(i)).Select(FleetFixture.Name), rows.Where(r => r!["phase"]!.GetValue<string>() == "notNeeded").Select(r => r!["repository"]!.GetValue<string>()));
        Assert.Equal(Payments.Where(Necessary).Take(5).Select(FleetFixture.Name), rows.Where(r => r!["canary"]!.GetValue<bool>()).Select(r => r!["repository"]!.GetValue<string>()));
        var triageRequests = _claude.Requests.Where(r => r.Body["model"]!.GetValue<string>() == "claude-haiku-4-5").ToList();
        Assert.Equal(Payments.Length * 2, triageRequests.Count);
        foreach (var request in triageRequests)
        {
            Assert.Equal(ReadOnlyTools, request.Body["tools"]!.AsArray().Select(t => t!["name"]!.GetValue<string>()));
        }

        // The canary waits, with triage's figures beside its own.
        Assert.Equal(0, await StepAsync(id));
        var waiting = await GetAsync(id);
        Assert.Equal("awaitingApproval", waiting["phase"]!.GetValue<string>());
        Assert.Equal(15, waiting["counts"]!["triageNecessary"]!.GetValue<int>());
        Assert.Equal(10, waiting["counts"]!["left"]!.GetValue<int>());
        Assert.True(waiting["money"]!["triageSpentUsd"]!.GetValue<decimal>() > 0);
        Assert.NotNull(waiting["money"]!["forecastUsd"]);

        // A hand override: one triage ruled out gets the fix after all.
        var overridden = FleetFixture.Name(Payments.First(i => !Necessary(i)));
        var overrideResponse = await _client.PostAsJsonAsync($"/api/campaigns/{id}/repositories/{overridden}/triage", new { necessary = true });
        Assert.Equal(HttpStatusCode.OK, overrideResponse.StatusCode);
        Assert.Equal(11, (await overrideResponse.JsonAsync())["counts"]!["left"]!.GetValue<int>());

        Assert.Equal(HttpStatusCode.OK, (await _client.PostAsync($"/api/campaigns/{id}/approve", null)).StatusCode);
        Assert.Equal(3, await StepAsync(id));
        Assert.Equal(0, await StepAsync(id));

        var done = await GetAsync(id);
        Assert.Equal("done", done["phase"]!.GetValue<string>());
        var fixedRepositories = GitHubApi.PullRequests.Select(p => p["repository"]!.GetValue<string>()).Order().ToList();
        Assert.Equal(Payments.Where(Necessary).Select(FleetFixture.Name).Append(overridden).Order(), fixedRepositories);
        Assert.Equal(16, done["counts"]!["openPullRequests"]!.GetValue<int>());
    }
}
