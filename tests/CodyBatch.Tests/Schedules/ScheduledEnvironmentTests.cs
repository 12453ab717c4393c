using static CodyBatch.Testing.Anthropic.FakeReply;

namespace CodyBatch.Tests.Schedules;

/// <summary>
/// A schedule's shell and network (its own, or its saved prompt's) reach the job each firing starts, and that job's
/// run really has them: the real Claude agent against the fake Messages API, the schedule fired through
/// <c>POST /events/schedules</c> with the schedules' clock moved by hand.
/// </summary>
public sealed class ScheduledEnvironmentTests : ClaudeOnFakeGitHub
{
    private readonly FakeTimeProvider _clock = new(DateTimeOffset.UtcNow);

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        GitHubApi.Add("octo", "app").With("README.md", "# App\n");
        Factory.Settings["CodyBatch:Schedules:Loop"] = "false";
        Factory.ConfigureServices = services =>
        {
            // Only the schedules' clock is fake; the workers keep real time.
            services.AddSingleton(sp => ActivatorUtilities.CreateInstance<ScheduleService>(sp, _clock));
            services.AddSingleton(sp => ActivatorUtilities.CreateInstance<ScheduleFirer>(sp, _clock));
        };
    }

    private async Task<(JsonNode Schedule, JsonNode Job)> CreateAndFireAsync(HttpClient client, object request)
    {
        var created = await client.PostAsJsonAsync("/api/schedules", request);
        var schedule = await created.JsonAsync();
        Assert.True(created.StatusCode == HttpStatusCode.Created, schedule.ToJsonString());
        _clock.SetUtcNow(schedule["nextFirings"]![0]!.GetValue<DateTimeOffset>().AddSeconds(30));
        var fired = await client.PostAsync("/events/schedules", null);
        var firing = Assert.Single((await fired.JsonAsync())["firings"]!.AsArray())!["firing"]!;
        Assert.True(firing["outcome"]!.GetValue<string>() == "started", firing.ToJsonString());
        return (schedule, await client.WaitForEndAsync(firing["jobId"]!.GetValue<string>()));
    }

    [Fact]
    public async Task A_schedule_with_shell_false_and_network_none_starts_a_job_whose_run_offers_no_bash_tool()
    {
        Claude.Enqueue(Message(ToolUse("submit_result", new JsonObject { ["wereChangesNecessary"] = false, ["summary"] = "Nothing to do." })));
        var client = Factory.CreateClient();

        var (schedule, job) = await CreateAndFireAsync(client, new
        {
            name = "Offline sweep", prompt = "Look", repositories = new[] { "octo/app" }, mode = "patch", cron = "0 6 * * *", shell = false, network = "none",
        });

        Assert.Equal((false, "none"), (schedule["shell"]!.GetValue<bool>(), schedule["network"]!.GetValue<string>()));
        Assert.True(job["repositories"]![0]!["status"]!.GetValue<string>() == "succeeded", job.ToJsonString());
        Assert.Equal((false, "none"), (job["shell"]!.GetValue<bool>(), job["network"]!.GetValue<string>()));
        var first = Claude.Requests[0].Body;
        Assert.DoesNotContain(first["tools"]!.AsArray(), t => t!["name"]!.GetValue<string>() == "bash");
        Assert.Contains("You cannot run arbitrary commands and you cannot reach the network.", first["system"]![0]!["text"]!.GetValue<string>(), StringComparison.Ordinal);
        var thread = await client.GetStringAsync($"/api/jobs/{job["id"]!.GetValue<string>()}/repositories/octo/app/thread");
        Assert.Contains("The shell is turned off for this job (shell: false).", thread, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_schedule_on_a_saved_prompt_with_network_none_starts_a_job_whose_shell_reaches_nothing()
    {
        Claude.Enqueue(
            Message(ToolUse("bash", new JsonObject { ["command"] = "curl -sS --max-time 30 https://registry.npmjs.org/ 2>&1; echo \"rc=$?\"" })),
            Message(ToolUse("submit_result", new JsonObject { ["wereChangesNecessary"] = false, ["summary"] = "Offline." })));
        var client = Factory.CreateClient();
        var saved = await (await client.PostAsJsonAsync("/api/prompts", new { name = "Offline", prompt = "Look", mode = "patch", network = "none" })).JsonAsync();

        var (schedule, job) = await CreateAndFireAsync(client, new
        {
            name = "From the saved prompt", savedPromptId = saved["id"]!.GetValue<string>(), repositories = new[] { "octo/app" }, cron = "0 6 * * *",
        });

        Assert.Null(schedule["network"]);
        Assert.True(job["repositories"]![0]!["status"]!.GetValue<string>() == "succeeded", job.ToJsonString());
        Assert.Equal((true, "none"), (job["shell"]!.GetValue<bool>(), job["network"]!.GetValue<string>()));
        Assert.Contains("Network: none at all", Claude.Requests[0].Body["system"]![0]!["text"]!.GetValue<string>(), StringComparison.Ordinal);
        var result = Claude.Requests[1].Body["messages"]!.AsArray().Last()!["content"]!.AsArray()
            .First(b => b!["type"]!.GetValue<string>() == "tool_result")!["content"]!.GetValue<string>();
        Assert.Contains("rc=", result, StringComparison.Ordinal);
        Assert.DoesNotContain("rc=0", result, StringComparison.Ordinal);
        var thread = JsonNode.Parse(await client.GetStringAsync($"/api/jobs/{job["id"]!.GetValue<string>()}/repositories/octo/app/thread"))!;
        var network = Assert.Single(thread["entries"]!.AsArray(), e => e!["type"]!.GetValue<string>() == "network");
        Assert.Equal(("none", "the job asked for no network"), (network!["mode"]!.GetValue<string>(), network["reason"]!.GetValue<string>()));
        Assert.DoesNotContain(thread["entries"]!.AsArray(), e => e!["type"]!.GetValue<string>() == "egress");
    }
}
