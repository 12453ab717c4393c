using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using CodyBatch.Core.Agent;
using CodyBatch.Core.Engine;
using CodyBatch.Core.Runs;

namespace CodyBatch.TestHost;

/// <summary>
/// The scripted agent the web UI's end-to-end tests watch: it works turn by turn (a search, its
/// result, usage and activity each turn, recorded as the Claude agent records them), then changes
/// the repository in every way a patch can show (a modified file with two hunks, a rename, a new
/// binary file). Repositories in <paramref name="failFirst"/> fail their first run; those in
/// <paramref name="long"/> work 60 quick turns (a long thread). <paramref name="summaryExtra"/>, when
/// given, is a further paragraph of each summary (markdown). On turn <paramref name="shellTurn"/>, when given, the
/// call is Claude's shell (<c>bash</c>) running <see cref="ShellCommand"/>, recorded as the bash tool records it
/// (activity, the thread's <c>shell</c> entry, the tool result's trailer), with output a hostile package could print.
/// </summary>
/// A triage run (read-only) searches once and answers: the change is necessary unless the repository is in
/// <paramref name="notNeeded"/>.
internal sealed class E2eAgent(int turns, TimeSpan turnDelay, IReadOnlySet<string> failFirst, IReadOnlySet<string> @long, string? summaryExtra = null, int? shellTurn = null, IReadOnlySet<string>? notNeeded = null) : ICodeAgent
{
    public const string ShellCommand = "npm install lodash@4";
    private const string ShellOutput = "npm warn <img src=/x onerror=alert(1)> **deprecated** inflight@1.0.6\nadded 1 package, and audited 2 packages in 1s\n";

    private readonly ConcurrentDictionary<string, int> _runs = new(StringComparer.OrdinalIgnoreCase);

    public async Task<AgentOutcome> RunAsync(AgentRequest request, CancellationToken cancellationToken)
    {
        if (request.Triage)
        {
            return await TriageAsync(request, cancellationToken);
        }

        var run = _runs.AddOrUpdate(request.Repository, 1, (_, n) => n + 1);
        var usage = TokenUsage.Zero;
        string? previousCall = null;
        var isLong = @long.Contains(request.Repository);
        var runTurns = isLong ? 60 : turns;
        var delay = isLong ? TimeSpan.FromMilliseconds(10) : turnDelay;
        for (var turn = 1; turn <= runTurns; turn++)
        {
            var previousWasShell = turn - 1 == shellTurn;
            JsonNode content = previousCall is null
                ? new JsonArray(new JsonObject { ["type"] = "text", ["text"] = $"<task>\n{request.Prompt}\n</task>" })
                : new JsonArray(new JsonObject
                {
                    ["type"] = "tool_result",
                    ["tool_use_id"] = previousCall,
                    ["content"] = previousWasShell
                        ? ShellOutput + "[exit code 0 · 1.2 s]"
                        : string.Join('\n', Enumerable.Range(1, 12).Select(i => $"/repo/src/list.txt:{i}: query(line {i})")) + "\n",
                });
            request.Thread.Add("request", new JsonObject { ["turn"] = turn, ["messages"] = new JsonArray(new JsonObject { ["role"] = "user", ["content"] = content }) });
            await (RunActivity.Current?.ReportAsync($"turn {turn} · search_code `query(`") ?? Task.CompletedTask);
            await Task.Delay(delay, cancellationToken);
            var turnUsage = new TokenUsage(InputTokens: 1000, OutputTokens: 100, CostUsd: 0.01m);
            usage += turnUsage;
            previousCall = $"call-{turn}";
            var shell = turn == shellTurn;
            var call = shell
                ? new JsonObject { ["type"] = "tool_use", ["id"] = previousCall, ["name"] = "bash", ["input"] = new JsonObject { ["command"] = ShellCommand } }
                : new JsonObject { ["type"] = "tool_use", ["id"] = previousCall, ["name"] = "search_code", ["input"] = new JsonObject { ["pattern"] = "query(" } };
            request.Thread.Add("response", new JsonObject
            {
                ["turn"] = turn,
                ["content"] = new JsonArray(
                    new JsonObject { ["type"] = "text", ["text"] = $"Looking at **step {turn}**.\nNext I search for callers." },
                    call),
                ["stopReason"] = "tool_use",
                ["usage"] = new JsonObject { ["inputTokens"] = 1000, ["outputTokens"] = 100, ["cacheReadTokens"] = 0, ["cacheWriteTokens"] = 0, ["costUsd"] = 0.01m },
            });
            request.Usage.Report(usage);
            if (shell)
            {
                // The command runs between Claude's answer and the next request, as the bash tool runs it.
                await (RunActivity.Current?.ReportAsync($"turn {turn} · running: {ShellCommand}") ?? Task.CompletedTask);
                await Task.Delay(delay, cancellationToken);
                request.Thread.Add("shell", new JsonObject { ["command"] = ShellCommand, ["exitCode"] = 0, ["durationMs"] = 1200, ["limit"] = null, ["cutChars"] = null, ["output"] = ShellOutput });
            }
        }

        if (run == 1 && failFirst.Contains(request.Repository))
        {
            return AgentOutcome.Failed("The scripted agent failed on purpose on its first run.", usage);
        }

        var root = request.WorkspacePath;
        await File.AppendAllTextAsync(Path.Combine(root, "README.md"), $"changed by {request.Repository}\n", cancellationToken);
        var list = (await File.ReadAllLinesAsync(Path.Combine(root, "src", "list.txt"), cancellationToken)).ToList();
        list[2] = "line 3, changed";
        list[^3] = "line near the end, changed";
        await File.WriteAllLinesAsync(Path.Combine(root, "src", "list.txt"), list, cancellationToken);
        File.Move(Path.Combine(root, "src", "app.txt"), Path.Combine(root, "src", "main.txt"));
        await File.WriteAllBytesAsync(Path.Combine(root, "logo.png"), [0x89, 0x50, 0x4E, 0x47, 0x00, 0x01, 0x02, 0x00], cancellationToken);
        request.Thread.Add("result", new JsonObject { ["wereChangesNecessary"] = true, ["summary"] = $"Changed {request.Repository}." });
        var summary = "Appended a line to README.md.\n\nAlso **renamed** `src/app.txt`." + (summaryExtra is null ? "" : $"\n\n{summaryExtra}");
        return AgentOutcome.Succeeded(new AgentResult(true, summary), usage);
    }

    private async Task<AgentOutcome> TriageAsync(AgentRequest request, CancellationToken cancellationToken)
    {
        request.Thread.Add("request", new JsonObject { ["turn"] = 1, ["messages"] = new JsonArray(new JsonObject { ["role"] = "user", ["content"] = $"<task>\n{request.Prompt}\n</task>" }) });
        await Task.Delay(turnDelay, cancellationToken);
        var usage = new TokenUsage(InputTokens: 500, OutputTokens: 50, CostUsd: 0.002m);
        request.Thread.Add("response", new JsonObject { ["turn"] = 1, ["content"] = new JsonArray(new JsonObject { ["type"] = "text", ["text"] = "Searched for the old image." }), ["stopReason"] = "end_turn" });
        request.Usage.Report(usage);
        var necessary = notNeeded?.Contains(request.Repository) != true;
        var reason = necessary ? "The Dockerfile still uses the old base image." : "The Dockerfile already uses the new base image.";
        return AgentOutcome.Succeeded(new AgentResult(necessary, reason) { Confidence = 0.9 }, usage);
    }
}
