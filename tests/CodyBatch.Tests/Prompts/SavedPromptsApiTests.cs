using CodyBatch.Core.Prompts;

namespace CodyBatch.Tests.Prompts;

public sealed class SavedPromptsApiTests : IDisposable
{
    private readonly ApiFactory _factory = new();

    public void Dispose() => _factory.Dispose();

    [Fact]
    public async Task Saved_prompts_are_created_edited_listed_and_deleted_beside_the_built_in_templates()
    {
        var client = _factory.CreateClient();

        var created = await client.PostAsJsonAsync("/api/prompts", new { name = "Lock files", description = "Refresh them.", prompt = "Refresh every lock file.", mode = "patch", checks = new[] { "npm test" }, model = "claude-custom" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var id = (await created.JsonAsync())["id"]!.GetValue<string>();
        Assert.Equal($"/api/prompts/{id}", created.Headers.Location!.OriginalString);
        var edited = await client.PutAsJsonAsync($"/api/prompts/{id}", new { name = "Lock files", prompt = "Refresh every lock file, then run the tests.", checks = new[] { "npm test", "npm run lint" } });
        var listed = (await (await client.GetAsync("/api/prompts")).JsonAsync()).AsArray();
        var templates = (await (await client.GetAsync("/api/templates")).JsonAsync()).AsArray();

        Assert.Equal(HttpStatusCode.OK, edited.StatusCode);
        var prompt = Assert.Single(listed)!;
        Assert.Equal(("Refresh every lock file, then run the tests.", "pullRequest", "", 2), (prompt["prompt"]!.GetValue<string>(), prompt["mode"]!.GetValue<string>(), prompt["description"]!.GetValue<string>(), prompt["checks"]!.AsArray().Count));
        Assert.Null(prompt["model"]);
        Assert.Equal(4, templates.Count);
        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync($"/api/prompts/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.DeleteAsync($"/api/prompts/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/api/prompts/{id}")).StatusCode);
        Assert.Empty((await (await client.GetAsync("/api/prompts")).JsonAsync()).AsArray());
    }

    [Fact]
    public async Task A_bad_saved_prompt_is_a_problem_that_names_each_field_and_stores_nothing()
    {
        var client = _factory.CreateClient();

        var response = await client.PostAsJsonAsync("/api/prompts", new { name = "", prompt = new string('x', 20_001), mode = "merge", checks = new[] { "ok", "" }, model = "bad model!" });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        var errors = (await response.JsonAsync())["errors"]!.AsObject();
        Assert.Equal(["checks[1]", "mode", "model", "name", "prompt"], errors.Select(e => e.Key).Order(StringComparer.Ordinal));
        Assert.Contains("'pullRequest' or 'patch'", errors["mode"]![0]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Empty((await (await client.GetAsync("/api/prompts")).JsonAsync()).AsArray());
        Assert.Equal(HttpStatusCode.NotFound, (await client.PutAsJsonAsync("/api/prompts/prompt-01jz0000000000000000000000", new { name = "n", prompt = "p" })).StatusCode);
    }

    [Fact]
    public async Task Schedules_are_paused_resumed_listed_with_next_firings_and_deleted()
    {
        var client = _factory.CreateClient();
        var saved = await (await client.PostAsJsonAsync("/api/prompts", new { name = "Docs", prompt = "Fix the docs." })).JsonAsync();

        var created = await client.PostAsJsonAsync("/api/schedules", new { name = "Docs weekly", savedPromptId = saved["id"]!.GetValue<string>(), repositories = new[] { "acme/api" }, cron = "0 7 * * 1", timeZone = "Asia/Tokyo" });
        var id = (await created.JsonAsync())["id"]!.GetValue<string>();
        var paused = await (await client.PostAsync($"/api/schedules/{id}/pause", null)).JsonAsync();
        var resumed = await (await client.PostAsync($"/api/schedules/{id}/resume", null)).JsonAsync();
        var bad = await client.PostAsJsonAsync("/api/schedules", new { name = "x", prompt = "p", repositories = new[] { "acme/api" }, cron = "0 7 * *", timeZone = "Tokyo" });

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.False(paused["enabled"]!.GetValue<bool>());
        Assert.Empty(paused["nextFirings"]!.AsArray());
        Assert.True(resumed["enabled"]!.GetValue<bool>());
        Assert.All(resumed["nextFirings"]!.AsArray(), n => Assert.EndsWith("+09:00", n!.GetValue<string>(), StringComparison.Ordinal));
        Assert.Equal(DayOfWeek.Monday, resumed["nextFirings"]![0]!.GetValue<DateTimeOffset>().DayOfWeek);
        Assert.Single((await (await client.GetAsync("/api/schedules")).JsonAsync()).AsArray());
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Equal(["cron", "timeZone"], (await bad.JsonAsync())["errors"]!.AsObject().Select(e => e.Key).Order(StringComparer.Ordinal));
        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync($"/api/schedules/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.PostAsync($"/api/schedules/{id}/pause", null)).StatusCode);
    }

    [Fact]
    public async Task Saved_prompts_and_schedules_keep_shell_and_network_and_leave_them_null_when_not_given()
    {
        var client = _factory.CreateClient();

        var saved = await (await client.PostAsJsonAsync("/api/prompts", new { name = "Offline", prompt = "Fix the docs.", shell = false, network = "none" })).JsonAsync();
        var plain = await (await client.PostAsJsonAsync("/api/prompts", new { name = "Plain", prompt = "Fix the docs." })).JsonAsync();
        var id = saved["id"]!.GetValue<string>();
        var edited = await (await client.PutAsJsonAsync($"/api/prompts/{id}", new { name = "Offline", prompt = "Fix the docs.", network = "none" })).JsonAsync();
        var created = await client.PostAsJsonAsync("/api/schedules", new { name = "Nightly", prompt = "Fix the docs.", repositories = new[] { "acme/api" }, cron = "0 7 * * *", shell = false, network = "registries" });
        var scheduleId = (await created.JsonAsync())["id"]!.GetValue<string>();
        var schedule = await (await client.GetAsync($"/api/schedules/{scheduleId}")).JsonAsync();

        Assert.Equal((false, "none"), (saved["shell"]!.GetValue<bool>(), saved["network"]!.GetValue<string>()));
        Assert.Null(plain["shell"]);
        Assert.Null(plain["network"]);
        Assert.Null(edited["shell"]);
        Assert.Equal("none", edited["network"]!.GetValue<string>());
        Assert.Equal("none", (await (await client.GetAsync($"/api/prompts/{id}")).JsonAsync())["network"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal((false, "registries"), (schedule["shell"]!.GetValue<bool>(), schedule["network"]!.GetValue<string>()));

        var edited2 = await client.PutAsJsonAsync($"/api/schedules/{scheduleId}", new { name = "Nightly", savedPromptId = id, repositories = new[] { "acme/api" }, cron = "0 7 * * *" });
        var changed = await edited2.JsonAsync();
        var wrong = await client.PutAsJsonAsync($"/api/schedules/{scheduleId}", new { name = "Nightly", prompt = "p", repositories = new[] { "acme/api" }, cron = "0 7 * * *", network = "internet" });
        Assert.Equal(HttpStatusCode.OK, edited2.StatusCode);
        Assert.Equal((id, 5), (changed["savedPromptId"]!.GetValue<string>(), changed["nextFirings"]!.AsArray().Count));
        Assert.Null(changed["shell"]);
        Assert.Null(changed["network"]);
        Assert.Equal(HttpStatusCode.BadRequest, wrong.StatusCode);
        Assert.Equal(["network"], (await wrong.JsonAsync())["errors"]!.AsObject().Select(e => e.Key));
        Assert.Equal(HttpStatusCode.NotFound, (await client.PutAsJsonAsync("/api/schedules/schedule-01jz0000000000000000000000", new { name = "n", prompt = "p" })).StatusCode);
    }

    [Fact]
    public async Task A_wrong_network_or_a_widened_shell_on_a_saved_prompt_or_schedule_is_a_problem_naming_the_field()
    {
        _factory.Settings["CodyBatch:Shell:Enabled"] = "false";
        var client = _factory.CreateClient();

        var prompt = await client.PostAsJsonAsync("/api/prompts", new { name = "n", prompt = "p", network = "internet" });
        var schedule = await client.PostAsJsonAsync("/api/schedules", new { name = "n", prompt = "p", repositories = new[] { "acme/api" }, cron = "0 7 * * *", shell = true, network = "internet" });
        var typed = await client.PostAsJsonAsync("/api/schedules", new { name = "n", prompt = "p", repositories = new[] { "acme/api" }, cron = "0 7 * * *", shell = "off" });

        Assert.Equal(HttpStatusCode.BadRequest, prompt.StatusCode);
        Assert.Equal(
            "Network must be \"registries\" (the package registries on the server's allow-list) or \"none\", not \"internet\".",
            (await prompt.JsonAsync())["errors"]!["network"]![0]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.BadRequest, schedule.StatusCode);
        var errors = (await schedule.JsonAsync())["errors"]!;
        Assert.Equal(["network", "shell"], errors.AsObject().Select(e => e.Key).Order(StringComparer.Ordinal));
        Assert.Contains("CodyBatch:Shell:Enabled is false", errors["shell"]![0]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, typed.StatusCode);
        Assert.Contains("\"shell\" has the wrong type", (await typed.JsonAsync())["errors"]!["shell"]![0]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Empty((await (await client.GetAsync("/api/prompts")).JsonAsync()).AsArray());
        Assert.Empty((await (await client.GetAsync("/api/schedules")).JsonAsync()).AsArray());
    }

    [Fact]
    public async Task A_schedule_or_campaign_on_a_saved_prompt_whose_shell_the_server_no_longer_gives_is_refused_naming_the_saved_prompt()
    {
        _factory.Settings["CodyBatch:Shell:Enabled"] = "false";
        var client = _factory.CreateClient();

        // Saved while the server still gave a shell (stored as it was then; today's validation would refuse it).
        var now = DateTimeOffset.UtcNow;
        var saved = new SavedPrompt { Id = SavedPromptService.NewId(now), Name = "Lint", Prompt = "Run the linter and fix what it finds.", Shell = true, CreatedAt = now, UpdatedAt = now };
        await _factory.Services.GetRequiredService<ISavedPromptStore>().CreateAsync(saved, CancellationToken.None);
        object Schedule(bool? shell) => new { name = "Nightly lint", savedPromptId = saved.Id, repositories = new[] { "acme/api" }, cron = "0 7 * * *", shell };

        var refused = await client.PostAsJsonAsync("/api/schedules", Schedule(null));
        var narrowed = await client.PostAsJsonAsync("/api/schedules", Schedule(false));
        var scheduleId = (await narrowed.JsonAsync())["id"]!.GetValue<string>();
        var edited = await client.PutAsJsonAsync($"/api/schedules/{scheduleId}", Schedule(null));
        var campaign = await client.PostAsJsonAsync("/api/campaigns", new { savedPromptId = saved.Id, job = new { }, selection = new { repositories = new[] { "acme/api" } }, triage = "off" });

        var expected = $"The saved prompt \"Lint\" ({saved.Id}) asks for a shell, and this server gives Claude no shell (CodyBatch:Shell:Enabled is false); "
            + "edit the saved prompt to leave shell out or set it to false, or set shell to false in this request.";
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Equal([expected], (await refused.JsonAsync())["errors"]!["shell"]!.AsArray().Select(m => m!.GetValue<string>()));
        Assert.Equal(HttpStatusCode.Created, narrowed.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, edited.StatusCode);
        Assert.Equal([expected], (await edited.JsonAsync())["errors"]!["shell"]!.AsArray().Select(m => m!.GetValue<string>()));
        Assert.False((await (await client.GetAsync($"/api/schedules/{scheduleId}")).JsonAsync())["shell"]!.GetValue<bool>());
        Assert.Equal(HttpStatusCode.BadRequest, campaign.StatusCode);
        Assert.Equal([expected], (await campaign.JsonAsync())["errors"]!["job.shell"]!.AsArray().Select(m => m!.GetValue<string>()));
    }
}
