using System.Globalization;
using CodyBatch.Core.Engine;
using CodyBatch.Core.Runs;
using Microsoft.Extensions.Options;
using Octokit;

namespace CodyBatch.GitHub.GitHub;

/// <summary>
/// Every GitHub call goes through here. Primary rate limits (<c>x-ratelimit-remaining: 0</c>) are
/// waited out until <c>x-ratelimit-reset</c>; secondary ones (403 or 429, with <c>retry-after</c>, or
/// a minute when it says nothing) for as long as asked; a bounded number of times, each wait shown
/// on the run. Content-creating calls go one at a time for the token and at least
/// <see cref="GitHubOptions.WriteSpacing"/> apart. Octokit does none of this by itself.
/// </summary>
public sealed class GitHubCalls(IOptions<GitHubOptions> options, TimeProvider time)
{
    private readonly SemaphoreSlim _writes = new(1, 1);
    private DateTimeOffset _lastWrite = DateTimeOffset.MinValue;

    /// <summary>Makes a reading call.</summary>
    public Task<T> ReadAsync<T>(string what, Func<Task<T>> call, CancellationToken cancellationToken) =>
        WithRateLimitsAsync(what, call, cancellationToken);

    /// <summary>Makes a content-creating call: alone, and spaced from the previous one.</summary>
    public async Task<T> WriteAsync<T>(string what, Func<Task<T>> call, CancellationToken cancellationToken)
    {
        await _writes.WaitAsync(cancellationToken);
        try
        {
            return await WithRateLimitsAsync(
                what,
                async () =>
                {
                    var wait = _lastWrite + options.Value.WriteSpacing - time.GetUtcNow();
                    if (wait > TimeSpan.Zero)
                    {
                        await Task.Delay(wait, time, cancellationToken);
                    }

                    try
                    {
                        return await call();
                    }
                    finally
                    {
                        _lastWrite = time.GetUtcNow();
                    }
                },
                cancellationToken);
        }
        finally
        {
            _writes.Release();
        }
    }

    private async Task<T> WithRateLimitsAsync<T>(string what, Func<Task<T>> call, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        for (var attempt = 1; ; attempt++)
        {
            TimeSpan wait;
            string kind;
            try
            {
                return await call();
            }
            catch (ApiException e) when (RateLimitWait((int)e.StatusCode, e.HttpResponse?.Headers, e.ApiError?.Message ?? e.Message, e is SecondaryRateLimitExceededException) is { } limit)
            {
                (wait, kind) = limit;
            }
            catch (GitHubResponseException e) when (RateLimitWait(e.Status, e.Headers, e.Message, false) is { } limit)
            {
                (wait, kind) = limit;
            }

            if (attempt > settings.MaxRateLimitRetries)
            {
                throw new RunFailedException($"GitHub kept refusing to {what} because of its {kind} rate limit, {attempt} times in a row; retry the run later.");
            }

            if (wait > settings.MaxRateLimitWait)
            {
                throw new RunFailedException(
                    $"GitHub's {kind} rate limit allows the next request to {what} only in {Durations.Describe(wait)}, longer than CodyBatch:GitHub:MaxRateLimitWait ({Durations.Describe(settings.MaxRateLimitWait)}); retry the run after {(time.GetUtcNow() + wait).ToUniversalTime():HH:mm} UTC.");
            }

            if (RunActivity.Current is { } activity)
            {
                await activity.ReportAsync($"Waiting {Durations.Describe(wait)} for GitHub's {kind} rate limit, then retrying to {what}.");
            }

            await Task.Delay(wait, time, cancellationToken);
            if (RunActivity.Current is { } done)
            {
                await done.ReportAsync(null);
            }
        }
    }

    // How long to wait for a rate-limited response, or null when the failure is something else.
    private (TimeSpan Wait, string Kind)? RateLimitWait(int status, IReadOnlyDictionary<string, string>? responseHeaders, string message, bool secondary)
    {
        if (status is not (403 or 429))
        {
            return null;
        }

        var headers = responseHeaders ?? new Dictionary<string, string>();
        if (Header(headers, "retry-after") is { } retryAfter && int.TryParse(retryAfter, NumberStyles.Integer, CultureInfo.InvariantCulture, out var seconds))
        {
            return (TimeSpan.FromSeconds(Math.Max(seconds, 0)), "secondary");
        }

        if (Header(headers, "x-ratelimit-remaining") == "0" && Header(headers, "x-ratelimit-reset") is { } reset
            && long.TryParse(reset, NumberStyles.Integer, CultureInfo.InvariantCulture, out var epoch))
        {
            var until = DateTimeOffset.FromUnixTimeSeconds(epoch) - time.GetUtcNow();
            return (until > TimeSpan.Zero ? until + TimeSpan.FromSeconds(1) : TimeSpan.FromSeconds(1), "primary");
        }

        if (status == 429 || secondary || message.Contains("secondary rate limit", StringComparison.OrdinalIgnoreCase)
            || message.Contains("abuse", StringComparison.OrdinalIgnoreCase))
        {
            return (TimeSpan.FromMinutes(1), "secondary");
        }

        return null;
    }

    private static string? Header(IReadOnlyDictionary<string, string> headers, string name) =>
        headers.FirstOrDefault(h => string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase)).Value;

}
