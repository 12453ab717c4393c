namespace CodyBatch.Testing.GitHub;

/// <summary>
/// GitHub's primary rate limit and conditional requests as its REST documentation describes them:
/// every answer but a 304 counts (<c>x-ratelimit-*</c> headers), GET answers carry an <c>ETag</c>,
/// and a matching <c>If-None-Match</c> gets 304 with no body.
/// </summary>
public sealed partial class FakeGitHubApi
{
    public const int RateLimit = 5000;

    private readonly Recorded<(FakeGitHubRequest Request, int Status)> _answers = new();
    private readonly ConcurrentDictionary<FakeGitHubRequest, string> _etags = new();
    private int _rateLimitUsed;

    /// <summary>Requests counted against the rate limit so far (a 304 is not).</summary>
    public int RateLimitUsed => Volatile.Read(ref _rateLimitUsed);

    /// <summary>Every request with the status it was answered.</summary>
    public IReadOnlyList<(FakeGitHubRequest Request, int Status)> Answers => _answers.Snapshot();

    /// <summary>The ETag each conditional GET was answered with.</summary>
    public IReadOnlyDictionary<FakeGitHubRequest, string> ETags => _etags;

    // GitHub's conditional GET: an ETag on every answer; a matching If-None-Match gets 304 and no body.
    private async Task ConditionalAsync(HttpContext context, FakeGitHubRequest request, JsonNode body)
    {
        var etag = $"W/\"{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(body.ToJsonString())))}\"";
        _etags[request] = etag;
        context.Response.Headers.ETag = etag;
        context.Response.Headers.CacheControl = "private, max-age=60, s-maxage=60";
        context.Response.Headers.Vary = "Accept, Authorization, Cookie, X-GitHub-OTP";
        if (request.IfNoneMatch is { } sent && sent.Split(',').Select(t => t.Trim()).Any(t => t == etag || t == "*"))
        {
            context.Response.StatusCode = 304;
            return;
        }

        await JsonAsync(context, 200, body);
    }

    // Every answer but a 304 counts against the primary rate limit, as GitHub documents.
    private void CountRateLimit(HttpContext context, FakeGitHubRequest request)
    {
        if (request.Path.StartsWith("/_codeload/", StringComparison.Ordinal))
        {
            return;
        }

        context.Response.OnStarting(() =>
        {
            var status = context.Response.StatusCode;
            var used = status == 304 || IsGraphQl(request) ? Volatile.Read(ref _rateLimitUsed) : Interlocked.Increment(ref _rateLimitUsed);
            _answers.Add((request, status));
            var headers = context.Response.Headers;
            headers.TryAdd("x-ratelimit-limit", RateLimit.ToString(CultureInfo.InvariantCulture));
            headers.TryAdd("x-ratelimit-remaining", Math.Max(0, RateLimit - used).ToString(CultureInfo.InvariantCulture));
            headers.TryAdd("x-ratelimit-used", used.ToString(CultureInfo.InvariantCulture));
            headers.TryAdd("x-ratelimit-resource", "core");
            headers.TryAdd("x-ratelimit-reset", DateTimeOffset.UtcNow.AddHours(1).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture));
            return Task.CompletedTask;
        });
    }
}
