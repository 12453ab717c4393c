using CodyBatch.Core.Engine;

namespace CodyBatch.Tests;

/// <summary><c>GET /api/jobs/{id}/events</c> and the thread served while a run works.</summary>
public sealed class JobEventsApiTests : IDisposable
{
    private readonly ApiFactory _factory = new();

    public JobEventsApiTests()
    {
        _factory.Settings["CodyBatch:Worker:ProgressInterval"] = "00:00:00.050";
        _factory.Settings["CodyBatch:Worker:ThreadStoreInterval"] = "00:00:00.100";
        _factory.Settings["CodyBatch:Worker:LeaseDuration"] = "00:01:00";
    }

    public void Dispose() => _factory.Dispose();

    [Fact]
    public async Task The_stream_carries_stages_activity_usage_and_new_thread_entries_while_the_run_works_then_ends()
    {
        var proceed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _factory.Agent = new ScriptedCodeAgent(async (request, ct) =>
        {
            request.Thread.Add("request", new JsonObject { ["turn"] = 1, ["messages"] = new JsonArray() });
            request.Usage.Report(new TokenUsage(InputTokens: 321, CostUsd: 0.5m));
            await RunActivity.Current!.ReportAsync("turn 1 · search_code `query(`");
            await proceed.Task.WaitAsync(ct);
            request.Thread.Add("response", new JsonObject { ["turn"] = 1, ["content"] = new JsonArray(new JsonObject { ["type"] = "text", ["text"] = "Found it." }) });
            await File.AppendAllTextAsync(Path.Combine(request.WorkspacePath, "README.md"), "x\n", ct);
            return AgentOutcome.Succeeded(new AgentResult(true, "Done."), new TokenUsage(InputTokens: 400, CostUsd: 0.6m));
        });
        // The run waits at its fetch until the stream is open: the stream sends only entries stored after
        // it opened, so a run that got ahead (as on a loaded machine) would leave it nothing to send.
        var streamOpen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _factory.Repositories.BeforeFetch = (_, ct) => streamOpen.Task.WaitAsync(ct);
        var client = _factory.CreateClient();
        var id = (await (await client.CreateJobAsync("acme/api")).JsonAsync())["id"]!.GetValue<string>();

        using var response = await client.GetAsync($"/api/jobs/{id}/events", HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        using var events = new EventReader(await response.Content.ReadAsStreamAsync());
        streamOpen.SetResult();

        var activity = await events.NextAsync("activity", e => e["activity"]?.GetValue<string>() is not null);
        var usage = await events.NextAsync("usage", e => e["usage"]!["inputTokens"]!.GetValue<long>() == 321);
        var firstEntries = await events.NextAsync("thread", e => e["entries"]!.AsArray().Any(x => x!["type"]!.GetValue<string>() == "request"));
        var thread = await (await client.GetAsync($"/api/jobs/{id}/repositories/acme/api/thread")).JsonAsync();
        proceed.SetResult();
        var moreEntries = await events.NextAsync("thread", e => e["entries"]!.AsArray().Any(x => x!["type"]!.GetValue<string>() == "response"));
        var end = await events.NextAsync("end", _ => true);
        var stages = events.Seen.Where(e => e.Name == "stage").Select(e => e.Data["status"]!.GetValue<string>()).ToList();

        Assert.Equal("acme/api", activity["repository"]!.GetValue<string>());
        Assert.Equal("turn 1 · search_code `query(`", activity["activity"]!.GetValue<string>());
        Assert.Equal(0.5m, usage["usage"]!["costUsd"]!.GetValue<decimal>());
        // Entries come in order without gaps: each event starts where the entries sent before end.
        var sent = events.Seen.Where(e => e.Name == "thread").Select(e => e.Data).ToList();
        Assert.Equal(0, sent[0]["from"]!.GetValue<int>());
        for (var i = 1; i < sent.Count; i++)
        {
            Assert.Equal(sent[i - 1]["from"]!.GetValue<int>() + sent[i - 1]["entries"]!.AsArray().Count, sent[i]["from"]!.GetValue<int>());
        }

        Assert.Contains("request", thread["entries"]!.AsArray().Select(e => e!["type"]!.GetValue<string>()));
        Assert.DoesNotContain("response", thread["entries"]!.AsArray().Select(e => e!["type"]!.GetValue<string>()));
        Assert.Contains("response", moreEntries["entries"]!.AsArray().Select(e => e!["type"]!.GetValue<string>()));
        Assert.Contains("request", firstEntries["entries"]!.AsArray().Select(e => e!["type"]!.GetValue<string>()));
        // The stream samples the store, so a stage shorter than its poll (publishing, here) may pass unseen.
        Assert.Contains("analyzing", stages);
        Assert.Equal("succeeded", stages[^1]);
        Assert.Equal("completed", end["status"]!.GetValue<string>());
        Assert.Null(await events.ReadOrEndAsync());
    }

    [Fact]
    public async Task A_finished_job_sends_its_state_and_ends_and_an_unknown_one_is_404()
    {
        var client = _factory.CreateClient();
        var id = (await (await client.CreateJobAsync("acme/api")).JsonAsync())["id"]!.GetValue<string>();
        await client.WaitForEndAsync(id);

        var text = await client.GetStringAsync($"/api/jobs/{id}/events");

        Assert.Contains("event: job\ndata: {", text, StringComparison.Ordinal);
        Assert.EndsWith($"event: end\ndata: {{\"id\":\"{id}\",\"status\":\"completed\"}}\n\n", text, StringComparison.Ordinal);
        await JobsApiTests.AssertProblemAsync(await client.GetAsync("/api/jobs/01kaaaaaaaaaaaaaaaaaaaaaaa/events"), HttpStatusCode.NotFound, null);
    }
}
