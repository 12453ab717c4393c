using System.Text.Json.Nodes;
using CodyBatch.Core.Agent;
using CodyBatch.Core.Runs;

namespace CodyBatch.Bench.Campaign;

/// <summary>
/// The agent port answered by a script: one turn that takes <paramref name="turn"/> (as a Messages API answer
/// would), recorded in the thread with its usage, then a one-line change to the README and the result.
/// </summary>
internal sealed class SleepingAgent(TimeSpan turn, decimal costUsd) : ICodeAgent
{
    public async Task<AgentOutcome> RunAsync(AgentRequest request, CancellationToken cancellationToken)
    {
        request.Thread.Add("request", new JsonObject { ["turn"] = 1, ["messages"] = new JsonArray(new JsonObject { ["role"] = "user", ["content"] = request.Prompt }) });
        await Task.Delay(turn, cancellationToken);
        var usage = new TokenUsage(InputTokens: 2000, OutputTokens: 200, CostUsd: costUsd);
        request.Thread.Add("response", new JsonObject { ["turn"] = 1, ["content"] = new JsonArray(new JsonObject { ["type"] = "text", ["text"] = "Bumped the base image." }), ["stopReason"] = "end_turn" });
        request.Usage.Report(usage);
        await File.AppendAllTextAsync(Path.Combine(request.WorkspacePath, "README.md"), "base image: 2026.12\n", cancellationToken);
        request.Thread.Add("result", new JsonObject { ["wereChangesNecessary"] = true, ["summary"] = "Bumped the base image." });
        return AgentOutcome.Succeeded(new AgentResult(true, "Bumped the base image."), usage);
    }
}
