namespace CodyBatch.Tests.Campaigns;

/// <summary>
/// A campaign's job settings include the shell and the network, here from its saved prompt: every job it starts (the
/// canary and each later one) has them, and no run of theirs is given a shell. The campaign loop is off; the test steps it.
/// </summary>
public sealed class CampaignEnvironmentTests : FleetServer
{
    // Seven repositories that are neither archived (i % 25 == 3) nor forks (i % 20 == 11): a canary of five, then two.
    private static readonly string[] Chosen = [.. new[] { 0, 1, 2, 4, 5, 6, 8 }.Select(FleetFixture.Name)];

    private readonly List<bool> _shellGiven = [];

    // The fleet's agent, noting whether each run was given a shell.
    protected override void Configure() => Factory.Agent = new ScriptedCodeAgent(async (request, ct) =>
    {
        lock (_shellGiven)
        {
            _shellGiven.Add(request.Shell is not null);
        }

        return await Agent.RunAsync(request, ct);
    });

    [Fact]
    public async Task Every_job_of_a_campaign_on_a_saved_prompt_with_no_shell_and_no_network_has_neither()
    {
        var saved = await (await Client.PostAsJsonAsync("/api/prompts", new { name = "Offline", prompt = "Fix it offline.", shell = false, network = "none" })).JsonAsync();
        var created = await CreateAsync(new
        {
            title = "Offline fix",
            savedPromptId = saved["id"]!.GetValue<string>(),
            job = new { checks = Array.Empty<string>() },
            selection = new { repositories = Chosen },
            triage = "off",
            canaryJobs = 1,
            concurrency = 2,
        });
        var id = created["campaign"]!["id"]!.GetValue<string>();

        await PostAsync($"/api/campaigns/{id}/approve");
        var jobs = new List<string>();
        for (var step = 0; step < 10 && Phase(await GetAsync(id)) != "done"; step++)
        {
            jobs.AddRange(await StepAsync(id));
            if (Phase(await GetAsync(id)) == "awaitingApproval")
            {
                await PostAsync($"/api/campaigns/{id}/approve");
            }
        }

        Assert.Equal("done", Phase(await GetAsync(id)));
        Assert.Equal(2, jobs.Count);
        foreach (var jobId in jobs)
        {
            var job = await (await Client.GetAsync($"/api/jobs/{jobId}")).JsonAsync();
            Assert.Equal((false, "none"), (job["shell"]!.GetValue<bool>(), job["network"]!.GetValue<string>()));
        }

        Assert.Equal(Chosen.Length, _shellGiven.Count);
        Assert.DoesNotContain(true, _shellGiven);
    }
}
