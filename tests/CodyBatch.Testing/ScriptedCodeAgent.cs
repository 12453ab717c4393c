using CodyBatch.Core.Agent;

namespace CodyBatch.Testing;

/// <summary>A code agent whose behaviour is a callback: tests script what "Claude" does in the workspace.</summary>
public sealed class ScriptedCodeAgent(Func<AgentRequest, CancellationToken, Task<AgentOutcome>> script) : ICodeAgent
{
    private readonly ConcurrentDictionary<int, TaskCompletionSource> _waits = new();
    private int _calls;
    private int _started;

    public int Calls => Volatile.Read(ref _calls);

    public Task<AgentOutcome> RunAsync(AgentRequest request, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _calls);
        var run = script(request, cancellationToken);

        // Said once the script's first await is reached (what it records before waiting is recorded).
        var started = Interlocked.Increment(ref _started);
        foreach (var (times, wait) in _waits)
        {
            if (times <= started)
            {
                wait.TrySetResult();
            }
        }

        return run;
    }

    /// <summary>Completes once <paramref name="times"/> runs have started and reached their first wait; fails the test if they never do.</summary>
    public Task StartedAsync(int times = 1)
    {
        var wait = _waits.GetOrAdd(times, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        if (Volatile.Read(ref _started) >= times)
        {
            wait.TrySetResult();
        }

        return wait.Task.Expect($"The agent starting {times} run(s)");
    }

    /// <summary>
    /// Appends a line to <paramref name="file"/> after <paramref name="delay"/>, records a short thread, reports usage, and submits
    /// (with <paramref name="summaryExtra"/> as a further paragraph of the summary, when given).
    /// </summary>
    public static ScriptedCodeAgent AppendingTo(string file, TimeSpan delay = default, string? summaryExtra = null) => new(async (request, ct) =>
    {
        request.Thread.Add("request", UserTurn(request.Prompt));
        var usage = new TokenUsage(InputTokens: 1000, OutputTokens: 200, CacheReadTokens: 50, CacheWriteTokens: 10, CostUsd: 0.006m);
        request.Usage.Report(usage);
        if (delay > TimeSpan.Zero)
        {
            await Task.Delay(delay, ct);
        }

        var path = Path.Combine(request.WorkspacePath, file);
        await File.AppendAllTextAsync(path, $"changed by {request.Repository}\n", ct);
        request.Thread.Add("response", new JsonObject
        {
            ["turn"] = 1,
            ["content"] = new JsonArray(new JsonObject { ["type"] = "text", ["text"] = "Done." }),
            ["stopReason"] = "end_turn",
            ["usage"] = new JsonObject { ["inputTokens"] = 1000, ["outputTokens"] = 200, ["cacheReadTokens"] = 50, ["cacheWriteTokens"] = 10, ["costUsd"] = 0.006m },
        });
        var summary = summaryExtra is null ? $"Appended a line to {file}." : $"Appended a line to {file}.\n\n{summaryExtra}";
        return AgentOutcome.Succeeded(new AgentResult(true, summary, "Append a line", "Body"), usage);
    });

    /// <summary>Waits until cancelled, recording one entry first (a run that never ends by itself).</summary>
    public static ScriptedCodeAgent Hanging() => new(async (request, ct) =>
    {
        request.Thread.Add("request", UserTurn(request.Prompt));
        request.Usage.Report(new TokenUsage(InputTokens: 10));
        await Task.Delay(Timeout.Infinite, ct);
        throw new InvalidOperationException("unreachable");
    });

    // Thread entries in the shape the Claude agent records (see the README), so readers of threads see the real thing.
    private static JsonObject UserTurn(string prompt) => new()
    {
        ["turn"] = 1,
        ["messages"] = new JsonArray(new JsonObject
        {
            ["role"] = "user",
            ["content"] = new JsonArray(new JsonObject { ["type"] = "text", ["text"] = $"<task>\n{prompt}\n</task>" }),
        }),
    };
}
