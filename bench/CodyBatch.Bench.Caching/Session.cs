using System.Text.Json.Nodes;
using CodyBatch.Claude.Agent;
using CodyBatch.Claude.Messages;
using CodyBatch.Core.Agent;
using CodyBatch.Core.Configuration;
using CodyBatch.Core.Runs;
using CodyBatch.Core.Workspaces;
using CodyBatch.LocalGit;
using CodyBatch.Testing;
using CodyBatch.Testing.Anthropic;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace CodyBatch.Bench.Caching;

/// <summary>Scripted agent sessions against the fake Messages API, which bills with Anthropic's caching rules.</summary>
internal static class Session
{
    public const string Model = "claude-sonnet-4-5";

    /// <summary>Billed-equivalent input: uncached input + 1.25 × cache writes + 0.1 × cache reads.</summary>
    public static double Billed(FakeUsage u) => u.InputTokens + (1.25 * u.CacheWriteTokens) + (0.1 * u.CacheReadTokens);

    /// <summary>The whole prompt, as if nothing were cached.</summary>
    public static double Whole(FakeUsage u) => u.InputTokens + u.CacheWriteTokens + u.CacheReadTokens;

    /// <summary>A baselined workspace with <paramref name="count"/> files of <paramref name="lines"/> lines each.</summary>
    public static async Task<(Workspace Workspace, List<string> Files)> WorkspaceAsync(TempDirectory root, string name, int count, int lines)
    {
        var factory = new WorkspaceFactory(Options.Create(new CodyBatchOptions { DataDirectory = root.Path }), Options.Create(new WorkspaceOptions()), new GitCommandLine());
        var workspace = factory.Create("01benchbenchbenchbenchbenc", name, 1);
        var files = Enumerable.Range(0, count).Select(i => $"src/module{i / 25}/Service{i}.cs").ToList();
        foreach (var (file, i) in files.Select((f, i) => (f, i)))
        {
            TestRepository.At(workspace.RepositoryPath).Write(file, string.Concat(Enumerable.Range(0, lines).Select(line => $"    // {name} service {i}, line {line}: ordinary code that the agent reads.\n")));
        }

        await workspace.BaselineAsync(CancellationToken.None);
        return (workspace, files);
    }

    /// <summary>
    /// Answers a session by where the request is in it: the overview, <paramref name="views"/> file
    /// views (a different file each turn), then the result. Runs sharing one API each get the same session.
    /// </summary>
    public static void Script(FakeMessagesApi api, IReadOnlyList<string> files, int views) => api.Fallback = request =>
    {
        var turn = request.Body["messages"]!.AsArray().Count / 2;
        return turn switch
        {
            0 => FakeReply.Message(FakeReply.ToolUse("repository_overview", [])),
            _ when turn <= views => FakeReply.Message(
                FakeReply.Text($"Reading file {turn}."),
                FakeReply.ToolUse("str_replace_based_edit_tool", new JsonObject { ["command"] = "view", ["path"] = $"/repo/{files[turn * 7 % files.Count]}" })),
            _ => FakeReply.Message(FakeReply.ToolUse("submit_result", new JsonObject { ["wereChangesNecessary"] = false, ["summary"] = "Read enough." })),
        };
    };

    /// <summary>Runs one agent session on <paramref name="workspace"/> against <paramref name="api"/>.</summary>
    public static async Task<AgentOutcome> RunAsync(FakeMessagesApi api, JobPrefixGate gate, ClaudeOptions options, Workspace workspace, string repository, string prompt)
    {
        using var clients = new ClaudeClientFactory(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ANTHROPIC_API_KEY"] = api.ApiKey,
            ["ANTHROPIC_BASE_URL"] = api.BaseUrl,
        }).Build());
        var agent = new ClaudeCodeAgent(clients, gate, Options.Create(options), Options.Create(new WorkspaceOptions()), TimeProvider.System, NullLogger<ClaudeCodeAgent>.Instance);
        var outcome = await agent.RunAsync(
            new AgentRequest(prompt, Model, repository, workspace.RepositoryPath, new AgentThread(repository, Model, TimeProvider.System), new Progress<TokenUsage>(), workspace),
            CancellationToken.None);
        if (outcome.Result is null || api.Problems.Count > 0)
        {
            throw new InvalidOperationException($"The session did not complete: {outcome.FailureReason} {string.Join("; ", api.Problems)}");
        }

        return outcome;
    }
}
