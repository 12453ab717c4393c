using CodyBatch.Core.Engine;
using CodyBatch.Core.Runs;
using CodyBatch.Core.Telemetry;
using Microsoft.Extensions.Options;
using Octokit;

namespace CodyBatch.GitHub.Api;

/// <summary>
/// Every GitHub call goes through here, so every call gets the same care. Rate limits: the token's
/// state is shared by the whole process (<see cref="GitHubRateLimitHandler"/> holds each request
/// while a limit is spent), and a call refused by one is made again, a bounded number of times.
/// Server errors (5xx) and lost connections: reads and writes that are safe to repeat are retried
/// with a doubling backoff; a write that is not (opening a pull request) goes through
/// <see cref="CreateOnceAsync{T}"/>, which looks for what an earlier try may have made before trying
/// again. Content-creating calls go one at a time for the token and at least
/// <see cref="GitHubOptions.WriteSpacing"/> apart. Octokit does none of this by itself.
/// </summary>
public sealed class GitHubCalls(IOptions<GitHubOptions> options, TimeProvider time)
{
    private static readonly AsyncLocal<string?> Current = new();
    private readonly SemaphoreSlim _writes = new(1, 1);
    private DateTimeOffset _lastWrite = DateTimeOffset.MinValue;

    /// <summary>What the call in this flow does ("read octo/app"), for the sentences that explain a wait.</summary>
    public static string? CurrentCall => Current.Value;

    /// <summary>Makes a reading call; retried on rate limits, server errors and lost connections.</summary>
    public Task<T> ReadAsync<T>(string what, Func<Task<T>> call, CancellationToken cancellationToken) =>
        RunAsync(what, call, retryServerErrors: true, cancellationToken);

    /// <summary>
    /// Makes a content-creating call: alone, and spaced from the previous one. Retried on server errors
    /// and lost connections only when <paramref name="safeToRepeat"/> (a Git Data write is: it makes
    /// the same object again, or moves a ref to the same commit).
    /// </summary>
    public async Task<T> WriteAsync<T>(string what, Func<Task<T>> call, CancellationToken cancellationToken, bool safeToRepeat = true)
    {
        await _writes.WaitAsync(cancellationToken);
        try
        {
            return await RunAsync(
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
                safeToRepeat,
                cancellationToken);
        }
        finally
        {
            _writes.Release();
        }
    }

    /// <summary>
    /// Creates something that must exist once (a pull request): looks for it first, creates it when it
    /// is not there, and after a server error or a lost connection looks again before creating again,
    /// because GitHub may have made it without the answer arriving.
    /// </summary>
    public async Task<T> CreateOnceAsync<T>(string what, Func<Task<T?>> find, Func<Task<T>> create, CancellationToken cancellationToken)
        where T : class
    {
        for (var attempt = 1; ; attempt++)
        {
            if (await ReadAsync($"look for an earlier try to {what}", find, cancellationToken) is { } found)
            {
                return found;
            }

            try
            {
                return await WriteAsync(what, create, cancellationToken, safeToRepeat: false);
            }
            catch (Exception e) when (Transient(e, cancellationToken) is { } failure)
            {
                await BackOffAsync(what, failure, attempt, cancellationToken);
            }
        }
    }

    private async Task<T> RunAsync<T>(string what, Func<Task<T>> call, bool retryServerErrors, CancellationToken cancellationToken)
    {
        // One span per call, over its retries and waits; the HTTP requests beneath it are the host's instrumentation's.
        using var span = CodyBatchTelemetry.Start("github", System.Diagnostics.ActivityKind.Internal)?.SetTag("codybatch.github.call", what);
        var rateLimited = 0;
        var failed = 0;
        while (true)
        {
            try
            {
                Current.Value = what;
                return await call();
            }
            catch (Exception e) when (RateLimit(e) is { } kind)
            {
                // The handler has recorded the limit in the token's state; the next try waits it out.
                if (++rateLimited > options.Value.MaxRateLimitRetries)
                {
                    throw new RunFailedException($"GitHub kept refusing to {what} because of its {kind} rate limit, {rateLimited} times in a row; retry the run later.");
                }
            }
            catch (Exception e) when (retryServerErrors && Transient(e, cancellationToken) is { } failure)
            {
                await BackOffAsync(what, failure, ++failed, cancellationToken);
            }
            finally
            {
                Current.Value = null;
            }
        }
    }

    private async Task BackOffAsync(string what, string failure, int attempt, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        if (attempt > settings.MaxServerErrorRetries)
        {
            throw new RunFailedException($"GitHub kept failing to {what} ({failure}), {attempt} times in a row; retry the run later.");
        }

        var wait = settings.ServerErrorBackoff * Math.Pow(2, attempt - 1);
        if (RunActivity.Current is { } activity)
        {
            await activity.ReportAsync($"GitHub failed to {what} ({failure}); trying again in {Durations.Describe(wait)}.");
        }

        await Task.Delay(wait, time, cancellationToken);
        if (RunActivity.Current is { } done)
        {
            await done.ReportAsync(null);
        }
    }

    private string? RateLimit(Exception e) => e switch
    {
        ApiException api => GitHubRateLimits.Classify(
            (int)api.StatusCode, api.HttpResponse?.Headers, api.ApiError?.Message ?? api.Message, time.GetUtcNow(), api is SecondaryRateLimitExceededException)?.Kind,
        GitHubResponseException raw => GitHubRateLimits.Classify(raw.Status, raw.Headers, raw.Message, time.GetUtcNow())?.Kind,
        _ => null,
    };

    // A failure worth another try: a server error, a connection that failed or broke, no answer in time.
    private static string? Transient(Exception e, CancellationToken cancellationToken) => e switch
    {
        ApiException api when (int)api.StatusCode >= 500 => $"{(int)api.StatusCode} {api.StatusCode}",
        GitHubResponseException raw when raw.Status >= 500 => $"{raw.Status} {raw.Message}".Trim(),
        HttpRequestException { StatusCode: null or >= System.Net.HttpStatusCode.InternalServerError } http => $"no connection: {http.Message}",
        HttpIOException io => $"the connection broke: {io.Message}",
        OperationCanceledException when !cancellationToken.IsCancellationRequested => "no answer in time",
        _ => null,
    };
}
