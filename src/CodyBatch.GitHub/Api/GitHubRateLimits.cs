using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace CodyBatch.GitHub.Api;

/// <summary>
/// The rate-limit state of every token this process uses, one per token for the whole process, and
/// how GitHub's answers say a limit was hit (primary: <c>x-ratelimit-remaining: 0</c> with
/// <c>x-ratelimit-reset</c>; secondary: 403 or 429 with <c>retry-after</c>, or saying so, a minute).
/// </summary>
public sealed class GitHubRateLimits(TimeProvider time)
{
    private readonly ConcurrentDictionary<string, GitHubRateLimitState> _states = new(StringComparer.Ordinal);

    /// <summary>The state of <paramref name="token"/> (kept by a hash of it, never the token itself).</summary>
    public GitHubRateLimitState For(string token) =>
        _states.GetOrAdd(Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(token))), _ => new GitHubRateLimitState(time));

    /// <summary>
    /// Whether an answer was a rate limit and which: null when it was something else. The wait is
    /// what the answer asks for (until the reset, after <c>retry-after</c>, or a minute).
    /// </summary>
    public static (TimeSpan Wait, string Kind)? Classify(int status, IReadOnlyDictionary<string, string>? headers, string message, DateTimeOffset now, bool secondary = false)
    {
        if (status is not (403 or 429))
        {
            return null;
        }

        headers ??= new Dictionary<string, string>();
        if (Header(headers, "retry-after") is { } retryAfter && int.TryParse(retryAfter, NumberStyles.Integer, CultureInfo.InvariantCulture, out var seconds))
        {
            return (TimeSpan.FromSeconds(Math.Max(seconds, 0)), "secondary");
        }

        if (Header(headers, "x-ratelimit-remaining") == "0" && Header(headers, "x-ratelimit-reset") is { } reset
            && long.TryParse(reset, NumberStyles.Integer, CultureInfo.InvariantCulture, out var epoch))
        {
            var until = DateTimeOffset.FromUnixTimeSeconds(epoch) - now;
            return (until > TimeSpan.Zero ? until + TimeSpan.FromSeconds(1) : TimeSpan.FromSeconds(1), "primary");
        }

        if (status == 429 || secondary || message.Contains("secondary rate limit", StringComparison.OrdinalIgnoreCase)
            || message.Contains("abuse", StringComparison.OrdinalIgnoreCase))
        {
            return (TimeSpan.FromMinutes(1), "secondary");
        }

        return null;
    }

    /// <summary>A header's value, whatever the case of its name.</summary>
    public static string? Header(IReadOnlyDictionary<string, string> headers, string name) =>
        headers.FirstOrDefault(h => string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase)).Value;
}
