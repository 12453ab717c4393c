using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace CodyBatch.Claude.Agent;

/// <summary>
/// Lets the first run of a job send its first request alone: the runs of one job share the prefix
/// tools + system prompt + task, and a cache entry exists only once a response has begun, so runs
/// that start together would each pay to write it. The others wait (up to a limit) for the first
/// one's first response and then read the prefix from the cache. One per process.
/// </summary>
public sealed class JobPrefixGate(TimeProvider time)
{
    // The cache keeps an entry five minutes after its last use; after that a run leads again.
    private static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(5);
    private readonly ConcurrentDictionary<string, (TaskCompletionSource Written, DateTimeOffset At)> _prefixes = new();

    /// <summary>
    /// Returns true at once when this run leads (it must call <see cref="Written"/> after its first
    /// response); otherwise waits for the leader's first response, at most <paramref name="limit"/>
    /// (waiting longer would cost more than writing the prefix again), and returns false.
    /// </summary>
    internal async Task<bool> EnterAsync(string key, TimeSpan limit, CancellationToken cancellationToken)
    {
        if (Enter(key) is not { } written)
        {
            return true;
        }

        try
        {
            await written.WaitAsync(limit, time, cancellationToken);
        }
        catch (TimeoutException)
        {
            // The first run is slow to answer; go ahead.
        }

        return false;
    }

    private Task? Enter(string key)
    {
        var now = time.GetUtcNow();
        foreach (var stale in _prefixes.Where(p => now - p.Value.At > Lifetime).Select(p => p.Key).ToList())
        {
            _prefixes.TryRemove(stale, out _);
        }

        var mine = (new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously), now);
        var entry = _prefixes.GetOrAdd(key, mine);
        return ReferenceEquals(entry.Written, mine.Item1) ? null : entry.Written.Task;
    }

    /// <summary>The leading run's first response began (or its request failed): the others may go.</summary>
    internal void Written(string key)
    {
        if (_prefixes.TryGetValue(key, out var entry))
        {
            entry.Written.TrySetResult();
        }
    }

    /// <summary>The key of a prefix: everything that decides whether two requests share it.</summary>
    internal static string Key(string model, JsonNode tools, string system, string task, JsonNode? thinking) =>
        Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('\u0001', model, tools.ToJsonString(), system, task, thinking?.ToJsonString() ?? ""))));
}
