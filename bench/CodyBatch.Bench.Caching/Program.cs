using System.Text.Json.Nodes;
using CodyBatch.Claude.Agent;
using CodyBatch.Claude.Messages;
using CodyBatch.Core.Agent;
using CodyBatch.Core.Configuration;
using CodyBatch.Core.Runs;
using CodyBatch.Core.Workspaces;
using CodyBatch.Testing;
using CodyBatch.Testing.Anthropic;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

// A scripted session of N turns (the agent views a different file each turn, then submits)
// against the fake Messages API, which bills with Anthropic's caching rules. Compares the
// billed-equivalent input tokens (uncached input + 1.25 × cache writes + 0.1 × cache reads)
// with the same session sent without caching (every request's whole prompt as input).
//
//   dotnet run -c Release --project bench/CodyBatch.Bench.Caching -- [--turns 30] [--files 300]
var settings = new ConfigurationBuilder().AddCommandLine(args).Build();
var turns = settings.GetValue("turns", 30);
var fileCount = settings.GetValue("files", 300);

using var root = new TempDirectory("codybatch-cachebench");
var factory = new WorkspaceFactory(Options.Create(new CodyBatchOptions { DataDirectory = root.Path }), Options.Create(new WorkspaceOptions()));
await using var workspace = factory.Create("01benchbenchbenchbenchbenc", "bench/app", 1);
var files = Enumerable.Range(0, fileCount).Select(i => $"src/module{i / 25}/Service{i}.cs").ToList();
foreach (var (file, i) in files.Select((f, i) => (f, i)))
{
    TestRepository.At(workspace.RepositoryPath).Write(file, string.Concat(Enumerable.Range(0, 30).Select(line => $"    // Service {i}, line {line}: ordinary code that the agent reads.\n")));
}

await workspace.BaselineAsync(CancellationToken.None);
await using var api = await FakeMessagesApi.StartAsync();
for (var turn = 1; turn < turns; turn++)
{
    api.Enqueue(FakeReply.Message(
        FakeReply.Text($"Reading file {turn}."),
        FakeReply.ToolUse("str_replace_based_edit_tool", new JsonObject { ["command"] = "view", ["path"] = $"/repo/{files[turn * 7 % files.Count]}" })));
}

api.Enqueue(FakeReply.Message(FakeReply.ToolUse("submit_result", new JsonObject { ["wereChangesNecessary"] = false, ["summary"] = "Read enough." })));
using var clients = new ClaudeClientFactory(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
{
    ["ANTHROPIC_API_KEY"] = api.ApiKey,
    ["ANTHROPIC_BASE_URL"] = api.BaseUrl,
}).Build());
var agent = new ClaudeCodeAgent(clients, Options.Create(new ClaudeOptions { MaxTurns = turns + 5 }), Options.Create(new WorkspaceOptions()), TimeProvider.System, NullLogger<ClaudeCodeAgent>.Instance);
var thread = new AgentThread("bench/app", "claude-sonnet-4-5", TimeProvider.System);
var outcome = await agent.RunAsync(
    new AgentRequest("Read the services", "claude-sonnet-4-5", "bench/app", workspace.RepositoryPath, thread, new Progress<TokenUsage>(), workspace),
    CancellationToken.None);

if (outcome.Result is null || api.Problems.Count > 0)
{
    Console.Error.WriteLine($"The session did not complete: {outcome.FailureReason} {string.Join("; ", api.Problems)}");
    return 1;
}

var requests = api.Requests;
double Billed(FakeUsage u) => u.InputTokens + (1.25 * u.CacheWriteTokens) + (0.1 * u.CacheReadTokens);
double Whole(FakeUsage u) => u.InputTokens + u.CacheWriteTokens + u.CacheReadTokens;
var cached = requests.Sum(r => Billed(r.Usage));
var uncached = requests.Sum(r => Whole(r.Usage));
Console.WriteLine($"{requests.Count} requests; prompt grows from {Whole(requests[0].Usage):N0} to {Whole(requests[^1].Usage):N0} tokens");
Console.WriteLine($"cache reads {requests.Sum(r => r.Usage.CacheReadTokens):N0}, cache writes {requests.Sum(r => r.Usage.CacheWriteTokens):N0}, uncached input {requests.Sum(r => r.Usage.InputTokens):N0} tokens");
Console.WriteLine($"billed-equivalent input with caching: {cached:N0} tokens");
Console.WriteLine($"the same session without caching:    {uncached:N0} tokens");
Console.WriteLine($"ratio: {cached / uncached:0.000}× (goal: at most 0.25×)");
Console.WriteLine($"agent's own cost figure: ${outcome.Usage.CostUsd:0.0000} at Sonnet list prices");
return 0;
