namespace CodyBatch.Testing.GitHub;

/// <summary>
/// GitHub's primary rate limit as a window a test turns on: the requests left and when the window
/// resets, the <c>x-ratelimit-*</c> headers on every answer, and GitHub's 403 for a request sent
/// while none is left — which is also a problem, since the client was told not to send it.
/// </summary>
public sealed partial class FakeGitHubApi
{
    private readonly Lock _limitGate = new();
    private (int Limit, int Remaining, DateTimeOffset Reset)? _primary;

    /// <summary>
    /// Turns on GitHub's primary rate limit as documented: <paramref name="remaining"/> requests left
    /// in a window that resets after <paramref name="resetIn"/> (then <paramref name="limit"/> again);

    /// every answer carries <c>x-ratelimit-limit/remaining/used/reset/resource</c>, and a request
    /// while none is left gets GitHub's 403 — and is a problem, because the client was told not to send it.
    /// </summary>
    public void LimitRequests(int remaining, TimeSpan resetIn, int limit = 5000)
    {
        lock (_limitGate)
        {
            _primary = (limit, remaining, Clock.GetUtcNow() + resetIn);
        }
    }

    /// <summary>When the current rate-limit window resets (whole seconds, as GitHub reports it).</summary>
    public DateTimeOffset RateLimitReset
    {
        get
        {
            lock (_limitGate)
            {
                return DateTimeOffset.FromUnixTimeSeconds((_primary?.Reset ?? Clock.GetUtcNow()).ToUnixTimeSeconds());
            }
        }
    }

    // Counts the request against the primary limit; false when it was refused (and answered).
    private async Task<bool> PrimaryLimitAsync(HttpContext context, FakeGitHubRequest request)
    {
        int limit, remaining;
        DateTimeOffset reset;
        bool refused;
        lock (_limitGate)
        {
            if (_primary is not { } primary)
            {
                return true;
            }

            var now = Clock.GetUtcNow();
            if (now >= DateTimeOffset.FromUnixTimeSeconds(primary.Reset.ToUnixTimeSeconds()))
            {
                primary = (primary.Limit, primary.Limit, now.AddHours(1));
            }

            refused = primary.Remaining <= 0;
            primary.Remaining = Math.Max(0, primary.Remaining - 1);
            _primary = primary;
            (limit, remaining, reset) = primary;
        }

        var headers = context.Response.Headers;
        headers["x-ratelimit-limit"] = limit.ToString(System.Globalization.CultureInfo.InvariantCulture);
        headers["x-ratelimit-remaining"] = remaining.ToString(System.Globalization.CultureInfo.InvariantCulture);
        headers["x-ratelimit-used"] = (limit - remaining).ToString(System.Globalization.CultureInfo.InvariantCulture);
        headers["x-ratelimit-reset"] = reset.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
        headers["x-ratelimit-resource"] = "core";
        if (!refused)
        {
            return true;
        }

        Problem($"{request.Method} {request.Path} sent at {request.At:HH:mm:ss} while the rate limit was spent until {reset:HH:mm:ss}");
        await JsonAsync(context, 403, new JsonObject
        {
            ["message"] = "API rate limit exceeded for user ID 1.",
            ["documentation_url"] = "https://docs.github.com/rest/overview/resources-in-the-rest-api#rate-limiting",
        });
        return false;
    }
}
