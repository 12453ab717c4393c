using CodyBatch.Bench.Caching;
using CodyBatch.Claude.Agent;
using CodyBatch.Testing;
using CodyBatch.Testing.Anthropic;
using Microsoft.Extensions.Configuration;

// Scripted agent sessions against the fake Messages API, which bills with Anthropic's caching
// rules. Every figure is billed-equivalent input tokens: uncached input + 1.25 × cache writes +
// 0.1 × cache reads. Three comparisons:
//   caching  a session of N turns with prompt caching against the same prompts sent uncached;
//   context  a 60-turn session with large file views, with context editing against without it;
//   job      a 5-repository job whose runs share the cached prefix (tools, system prompt, task)
//            against the same runs each paying for that prefix on its own.
//
//   dotnet run -c Release --project bench/CodyBatch.Bench.Caching -- [--scenario all|caching|context|job]
//       [--turns 30] [--files 300] [--long-turns 60] [--long-lines 150] [--repositories 5] [--job-turns 6]
var settings = new ConfigurationBuilder().AddCommandLine(args).Build();
var scenario = settings.GetValue("scenario", "all")!;
using var root = new TempDirectory("codybatch-cachebench");

if (scenario is "all" or "caching")
{
    var turns = settings.GetValue("turns", 30);
    var (workspace, files) = await Session.WorkspaceAsync(root, "bench/app", settings.GetValue("files", 300), 30);
    await using (workspace)
    {
        await using var api = await FakeMessagesApi.StartAsync();
        Session.Script(api, files, turns - 2);
        var outcome = await Session.RunAsync(api, new JobPrefixGate(TimeProvider.System), new ClaudeOptions { MaxTurns = turns + 5 }, workspace, "bench/app", "Read the services");
        var requests = api.Requests;
        var cached = requests.Sum(r => Session.Billed(r.Usage));
        var uncached = requests.Sum(r => Session.Whole(r.Usage));
        Console.WriteLine($"[caching] {requests.Count} requests; prompt grows from {Session.Whole(requests[0].Usage):N0} to {Session.Whole(requests[^1].Usage):N0} tokens");
        Console.WriteLine($"[caching] cache reads {requests.Sum(r => r.Usage.CacheReadTokens):N0}, cache writes {requests.Sum(r => r.Usage.CacheWriteTokens):N0}, uncached input {requests.Sum(r => r.Usage.InputTokens):N0} tokens");
        Console.WriteLine($"[caching] billed-equivalent input with caching: {cached:N0}; the same prompts uncached: {uncached:N0}");
        Console.WriteLine($"[caching] ratio: {cached / uncached:0.000}× (goal: at most 0.25×); agent's cost figure ${outcome.Usage.CostUsd:0.0000} at Sonnet list prices");
    }
}

if (scenario is "all" or "context")
{
    var turns = settings.GetValue("long-turns", 60);
    var (workspace, files) = await Session.WorkspaceAsync(root, "bench/long", 120, settings.GetValue("long-lines", 150));
    await using (workspace)
    {
        async Task<(double Billed, long LastPrompt)> Long(bool editing)
        {
            await using var api = await FakeMessagesApi.StartAsync();
            Session.Script(api, files, turns - 2);
            await Session.RunAsync(api, new JobPrefixGate(TimeProvider.System), new ClaudeOptions { MaxTurns = turns + 5, ContextEditing = editing, MaxTokens = 100_000_000, MaxCostUsd = 10_000 }, workspace, "bench/long", "Read the services");
            return (api.Requests.Sum(r => Session.Billed(r.Usage)), (long)Session.Whole(api.Requests[^1].Usage));
        }

        var (without, withoutLast) = await Long(editing: false);
        var (with, withLast) = await Long(editing: true);
        Console.WriteLine($"[context] {turns}-turn session, each turn a view of a {settings.GetValue("long-lines", 150)}-line file (about {new FileInfo(Path.Combine(workspace.RepositoryPath, files[0])).Length / 4:N0} tokens)");
        Console.WriteLine($"[context] last prompt: {withoutLast:N0} tokens without context editing, {withLast:N0} with it");
        Console.WriteLine($"[context] billed-equivalent input without context editing: {without:N0}; with it: {with:N0}");
        Console.WriteLine($"[context] ratio: {with / without:0.000}× (goal: at most 0.7×)");
    }
}

if (scenario is "all" or "job")
{
    var count = settings.GetValue("repositories", 5);
    var jobTurns = settings.GetValue("job-turns", 6);
    const string Prompt = """
        Upgrade our logging from the deprecated LegacyLog API to the structured Log v3 API. For every call of LegacyLog.Write,
        LegacyLog.Warn and LegacyLog.Error, use the matching Log.Information, Log.Warning or Log.Error call with a message template
        and named properties instead of string concatenation or interpolation; keep the level and the wording. Replace the
        LegacyLog configuration in the startup code with the Log v3 builder (console sink, minimum level from configuration, the
        same output format), remove the legacy configuration file and its references in build files and documentation, and
        update the package reference. Tests that assert on log output must assert on the structured properties. Do not change
        behaviour otherwise; if a repository does not use LegacyLog, change nothing and say so.
        """;
    var workspaces = new List<(CodyBatch.Core.Workspaces.Workspace Workspace, List<string> Files, string Name)>();
    for (var i = 0; i < count; i++)
    {
        var name = $"bench/service{i}";
        var (workspace, files) = await Session.WorkspaceAsync(root, name, 40, 20);
        workspaces.Add((workspace, files, name));
    }

    // Shared: one API (one cache), one gate, two runs at a time like the two workers of a host.
    double shared;
    await using (var api = await FakeMessagesApi.StartAsync())
    {
        api.TimeToFirstToken = TimeSpan.FromMilliseconds(50);
        var gate = new JobPrefixGate(TimeProvider.System);
        using var workers = new SemaphoreSlim(2);
        Session.Script(api, workspaces[0].Files, jobTurns - 2);
        var runs = workspaces.Select(async w =>
        {
            await workers.WaitAsync();
            try
            {
                return await Session.RunAsync(api, gate, new ClaudeOptions(), w.Workspace, w.Name, Prompt);
            }
            finally
            {
                workers.Release();
            }
        });
        await Task.WhenAll(runs.ToList());
        shared = api.Requests.Sum(r => Session.Billed(r.Usage));
    }

    // Alone: each run against its own cache, so none reads what another wrote.
    double alone = 0;
    foreach (var w in workspaces)
    {
        await using var api = await FakeMessagesApi.StartAsync();
        Session.Script(api, w.Files, jobTurns - 2);
        await Session.RunAsync(api, new JobPrefixGate(TimeProvider.System), new ClaudeOptions(), w.Workspace, w.Name, Prompt);
        alone += api.Requests.Sum(r => Session.Billed(r.Usage));
    }

    foreach (var w in workspaces)
    {
        await w.Workspace.DisposeAsync();
    }

    Console.WriteLine($"[job] {count} repositories, {jobTurns} turns each, a {Prompt.Length:N0}-character task");
    Console.WriteLine($"[job] billed-equivalent input with the shared prefix: {shared:N0}; each run paying for its own: {alone:N0}");
    Console.WriteLine($"[job] ratio: {shared / alone:0.000}× (goal: at most 0.85×)");
}

return 0;
