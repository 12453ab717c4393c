using System.Text.Json;
using System.Text.Json.Nodes;

namespace CodyBatch.Core.Tests.Engine;

public sealed class LiveProgressTests : IDisposable
{
    private readonly TempDirectory _data = new("codybatch-live");

    public void Dispose() => _data.Dispose();

    [Fact]
    public async Task A_working_run_shows_its_activity_usage_and_thread_so_far_before_it_ends()
    {
        // The run's clock is the test's: progress writes happen only when the test moves it, and the lease (a minute,
        // renewed every 20 s) cannot come due in the few seconds it moves, so only a progress write can show these.
        var clock = new ObservedClock(DateTimeOffset.UtcNow);
        var reported = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var finish = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var agent = new ScriptedCodeAgent(async (request, ct) =>
        {
            request.Thread.Add("request", new JsonObject { ["turn"] = 1, ["messages"] = new JsonArray() });
            request.Thread.Add("response", new JsonObject { ["turn"] = 1, ["content"] = new JsonArray(new JsonObject { ["type"] = "text", ["text"] = "Looking." }) });
            request.Usage.Report(new TokenUsage(InputTokens: 500, CostUsd: 0.01m));
            await RunActivity.Current!.ReportAsync("turn 1 · search_code `query(`");
            reported.SetResult();
            await finish.Task.WaitAsync(ct);
            await File.AppendAllTextAsync(Path.Combine(request.WorkspacePath, "README.md"), "one\ntwo\n", ct);
            request.Thread.Add("response", new JsonObject { ["turn"] = 2, ["content"] = new JsonArray() });
            return AgentOutcome.Succeeded(new AgentResult(true, "Done."), new TokenUsage(InputTokens: 900, CostUsd: 0.02m));
        });
        await using var engine = await EngineHarness.StartAsync(
            _data.Path, new FakeRepositoryHost().AddSimple("acme/api"), agent, new Dictionary<string, string?>
            {
                ["CodyBatch:Worker:LeaseDuration"] = "00:01:00",
                ["CodyBatch:Worker:ProgressInterval"] = "00:00:02",
                ["CodyBatch:Worker:ThreadStoreInterval"] = "00:00:05",
            },
            configure: s => s.AddSingleton<TimeProvider>(clock));

        var created = await engine.CreateAsync("acme/api");
        await reported.Task.Expect("The agent reporting its first turn");
        // The lease keeper wrote once as it started and now waits out the progress interval; past the thread's
        // interval too, its next write carries everything the agent reported by now.
        await clock.ArmedAsync(TimeSpan.FromSeconds(2));
        clock.Advance(TimeSpan.FromSeconds(5));
        // Four entries: the run's network and shell (recorded before the agent starts), the request and the response.
        var working = await engine.WaitForAsync(
            created.Id,
            job => job.Runs[0] is { Status: RunStatus.Analyzing, Activity: not null, ThreadEntries: >= 4, ThreadArtifact: not null } run && run.Usage.InputTokens == 500);
        var run = working.Runs[0];
        var thread = JsonNode.Parse(await engine.ReadArtifactAsync(run.ThreadArtifact!))!;
        finish.SetResult();
        var ended = await engine.WaitForEndAsync(created.Id);

        Assert.Equal("turn 1 · search_code `query(`", run.Activity);
        Assert.Equal(0.01m, run.Usage.CostUsd);
        // The agent's entries so far (the engine may record others, such as checks, around them).
        var types = thread["entries"]!.AsArray().Select(e => e!["type"]!.GetValue<string>()).ToList();
        Assert.Equal(run.ThreadEntries, types.Count);
        Assert.Equal(["request", "response"], types.Where(t => t is "request" or "response"));
        var done = ended.Runs[0];
        Assert.Equal(RunStatus.Succeeded, done.Status);
        Assert.Null(done.Activity);
        var stored = JsonDocument.Parse(await engine.ReadArtifactAsync(done.ThreadArtifact!)).RootElement.GetProperty("entries");
        Assert.Equal(stored.GetArrayLength(), done.ThreadEntries);
        Assert.Equal(2, stored.EnumerateArray().Count(e => e.GetProperty("type").GetString() == "response"));
        Assert.Equal(new DiffStat(1, 2, 0), done.Changes);
    }

    [Fact]
    public void A_diff_stat_counts_files_and_lines_inside_hunks_only()
    {
        const string Patch = """
            diff --git a/a.txt b/a.txt
            index 1111111..2222222 100644
            --- a/a.txt
            +++ b/a.txt
            @@ -1,2 +1,2 @@
             same
            -old
            +new
            diff --git a/img.png b/img.png
            new file mode 100644
            index 0000000..3333333
            Binary files /dev/null and b/img.png differ
            diff --git a/old.txt b/new.txt
            similarity index 100%
            rename from old.txt
            rename to new.txt
            """;

        Assert.Equal(new DiffStat(3, 1, 1), DiffStat.Of(Patch));
    }
}
