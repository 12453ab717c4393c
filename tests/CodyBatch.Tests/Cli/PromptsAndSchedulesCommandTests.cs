namespace CodyBatch.Tests.Cli;

/// <summary><c>codybatch prompts</c> and <c>codybatch schedules</c> on a local data folder.</summary>
public sealed class PromptsAndSchedulesCommandTests : IDisposable
{
    private readonly TempDirectory _root = new("codybatch-cli");

    public void Dispose() => _root.Dispose();

    private Task<(int ExitCode, string Output, string Error)> RunAsync(params string[] args) => CliRun.InvokeAsync(_root.Combine("data"), args);

    [Fact]
    public async Task A_prompt_is_saved_edited_listed_used_by_a_schedule_paused_and_deleted()
    {
        var (added, id, _) = await RunAsync("prompts", "add", "--name", "Lint", "--prompt", "Fix what the linter finds.", "--check", "npm run lint", "--check", "npm test");
        id = id.Trim();
        var (edited, _, _) = await RunAsync("prompts", "edit", id, "--name", "Lint fixes", "--prompt", "Fix what the linter finds.", "--mode", "patch");
        var (_, list, _) = await RunAsync("prompts", "list");
        var (scheduled, schedule, _) = await RunAsync("schedules", "add", "acme/api", "acme/web", "--name", "Nightly lint", "--saved-prompt", id, "--cron", "30 2 * * *", "--time-zone", "Europe/Berlin", "--json");
        var scheduleId = JsonNode.Parse(schedule)!["id"]!.GetValue<string>();
        var (paused, pausedOutput, _) = await RunAsync("schedules", "pause", scheduleId);
        var (_, schedules, _) = await RunAsync("schedules", "list", "--json");
        var (deleted, _, _) = await RunAsync("schedules", "delete", scheduleId);
        var (missing, _, missingError) = await RunAsync("schedules", "delete", scheduleId);

        Assert.Equal((0, 0, 0, 0, 0), (added, edited, scheduled, paused, deleted));
        Assert.StartsWith("prompt-", id, StringComparison.Ordinal);
        Assert.Equal($"{id}  Lint fixes  (patch)\n", list.ReplaceLineEndings("\n"));
        Assert.Equal(5, JsonNode.Parse(schedule)!["nextFirings"]!.AsArray().Count);
        Assert.Equal($"{scheduleId}  next firing: none (paused)", pausedOutput.Trim());
        Assert.False(JsonNode.Parse(schedules)![0]!["enabled"]!.GetValue<bool>());
        Assert.Equal(2, missing);
        Assert.Contains($"there is no schedule {scheduleId}", missingError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bad_input_says_which_field_to_fix_and_exits_2()
    {
        var (exit, _, error) = await RunAsync("schedules", "add", "acme/api", "--name", "x", "--prompt", "p", "--cron", "every night");

        Assert.Equal(2, exit);
        Assert.Contains("codybatch: cron: 'every night' is not a cron expression", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Prompts_and_schedules_take_no_shell_and_a_network_as_run_does()
    {
        var (added, id, _) = await RunAsync("prompts", "add", "--name", "Offline", "--prompt", "Fix the docs.", "--no-shell", "--network", "none");
        id = id.Trim();
        var (edited, _, _) = await RunAsync("prompts", "edit", id, "--name", "Offline", "--prompt", "Fix the docs.", "--network", "none");
        var (_, list, _) = await RunAsync("prompts", "list");
        var (scheduled, schedule, _) = await RunAsync("schedules", "add", "acme/api", "--name", "Nightly", "--saved-prompt", id, "--cron", "30 2 * * *", "--no-shell", "--network", "registries", "--json");
        var scheduleId = JsonNode.Parse(schedule)!["id"]!.GetValue<string>();
        var (_, schedules, _) = await RunAsync("schedules", "list");
        var (changed, edited2, _) = await RunAsync("schedules", "edit", scheduleId, "acme/api", "acme/web", "--name", "Nightly", "--prompt", "Fix it.", "--cron", "30 3 * * *", "--network", "none", "--json");
        var (wrong, _, wrongError) = await RunAsync("schedules", "add", "acme/api", "--name", "x", "--prompt", "p", "--cron", "30 2 * * *", "--network", "internet");

        Assert.Equal((0, 0, 0), (added, edited, scheduled));
        Assert.Equal($"{id}  Offline  (pull request, network: none)\n", list.ReplaceLineEndings("\n"));
        var json = JsonNode.Parse(schedule)!;
        Assert.Equal((false, "registries"), (json["shell"]!.GetValue<bool>(), json["network"]!.GetValue<string>()));
        Assert.Contains("acme/api, no shell, network: registries", schedules, StringComparison.Ordinal);
        Assert.Equal(0, changed);
        var after = JsonNode.Parse(edited2)!;
        Assert.Equal((scheduleId, "none", "30 3 * * *", 2), (after["id"]!.GetValue<string>(), after["network"]!.GetValue<string>(), after["cron"]!.GetValue<string>(), after["repositories"]!.AsArray().Count));
        Assert.Null(after["shell"]);
        Assert.NotEqual(0, wrong);
        Assert.Contains("internet", wrongError, StringComparison.Ordinal);
        Assert.Contains("registries", wrongError, StringComparison.Ordinal);
    }
}
